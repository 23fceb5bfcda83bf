import { describe, expect, it } from 'vitest';
import { IDENTITY4, intrinsicsFromFovY, type FrameCamera } from '../../geometry/conventions';
import { fillWarpedFrame } from '../../preview';
import { poseAt } from '../../scene/poses';
import { renderScene, sampleScene } from '../../scene/scene';
import { CamtrackError } from '../../util/errors';
import type { VideoSourceLoader } from '../../video-input';
import { prepareSource, warpFrame, type WarpedFrame, type WarpSource } from '../../warp/forward';
import { filledDepth } from '../../windows/depth';
import { prepareWarp, previewWarpOptions, warpPrepared } from '../../warp/method';
import { hiddenLayerFor } from '../../preview/layer';
import { chooseWarpRoute, warpTrack, type WarpScene } from './warp';

/**
 * warpTrack, the render's one warp: each route against the plain single-threaded warp of the same
 * source (the oracle), bit for bit, and the route chosen for each kind of scene and window. The
 * routes are checked with the splatting warp (its oracle is warpFrame), and a mesh preview's in
 * the thread and the pool against the mesh warp with its hidden layer.
 */
function sceneAt(width: number, height: number, frames: number) {
  const K = intrinsicsFromFovY(50, width, height);
  const shot = renderScene(sampleScene(), { c2w: IDENTITY4, intrinsics: K }, 1);
  const photo: WarpSource = { image: shot.image, depth: shot.depth, intrinsics: K, c2w: IDENTITY4 };
  const cameras: FrameCamera[] = Array.from({ length: frames }, (_, i) => ({
    c2w: poseAt([0.03 * i, 0, -0.05 * i], 1.5 * i),
    intrinsics: K,
  }));
  return { photo, cameras };
}

const same = (a: WarpedFrame, b: WarpedFrame) =>
  Buffer.from(a.image.buffer).equals(Buffer.from(b.image.buffer)) &&
  Buffer.from(a.latentHoles).equals(Buffer.from(b.latentHoles)) &&
  a.holeFraction === b.holeFraction;

describe('warpTrack routes', () => {
  const small = sceneAt(128, 64, 6);
  const photoScene: WarpScene = { kind: 'photo', photo: small.photo };

  it('chooses one route per scene and window: video, later window, views, then the photo by size', () => {
    const win = { start: 0, end: 6 };
    const start = { image: small.photo.image, previous: null };
    const video: WarpScene = { kind: 'video', photo: small.photo, video: { count: 1, load: async () => small.photo } };
    const views: WarpScene = { kind: 'views', photo: small.photo, views: [small.photo] };
    expect(chooseWarpRoute({ scene: video, window: win, start }).kind).toBe('video');
    expect(chooseWarpRoute({ scene: photoScene, window: win, start }).kind).toBe('later-window');
    expect(chooseWarpRoute({ scene: views, window: win }).kind).toBe('views');
    expect(chooseWarpRoute({ scene: photoScene, window: win }).kind).toBe('photo-in-thread');
    // 2,000,000 target pixels and up go to the worker pool: 245 frames of 128x64 is 2,007,040.
    expect(chooseWarpRoute({ scene: photoScene, window: { start: 10, end: 254 } }).kind).toBe('photo-in-thread');
    expect(chooseWarpRoute({ scene: photoScene, window: { start: 10, end: 255 } }).kind).toBe('photo-pool');
  });

  it("a window of a small track warps on this thread: the window's own cameras, each as warpFrame makes it", async () => {
    let reported = 0;
    const { frames, anchors, source } = await warpTrack({
      scene: photoScene,
      cameras: small.cameras,
      window: { start: 2, end: 5 },
      fill: false,
      method: 'splat',
      onFrame: () => reported++,
    });
    const prepared = prepareSource(small.photo);
    expect(frames).toHaveLength(3);
    frames.forEach((f, i) => expect(same(f, warpFrame(prepared, small.cameras[2 + i]))).toBe(true));
    expect(frames[0].depth).toBeUndefined();
    expect([reported, anchors, source]).toEqual([3, [], null]);
  });

  it('a preview fills every frame (and keeps its depth), in the thread and in the worker pool alike', async () => {
    const big = sceneAt(512, 256, 16); // 16 x 512 x 256 = 2.1 M target pixels: the pool
    const prepared = prepareSource(big.photo);
    const oracle = big.cameras.map((c) => fillWarpedFrame(warpFrame(prepared, c, { withDepth: true })));
    const scene: WarpScene = { kind: 'photo', photo: big.photo };
    expect(chooseWarpRoute({ scene, window: { start: 0, end: 16 } }).kind).toBe('photo-pool');
    let reported = 0;
    const pooled = await warpTrack({
      scene,
      cameras: big.cameras,
      window: { start: 0, end: 16 },
      fill: true,
      method: 'splat',
      onFrame: () => reported++,
    });
    expect(reported).toBe(16);
    pooled.frames.forEach((f, i) => expect(same(f, oracle[i])).toBe(true));
    const threaded = await warpTrack({
      scene,
      cameras: big.cameras,
      window: { start: 0, end: 2 },
      fill: true,
      method: 'splat',
    });
    threaded.frames.forEach((f, i) => {
      expect(same(f, oracle[i])).toBe(true);
      expect(f.depth).toBeInstanceOf(Float32Array);
    });
    expect(oracle[5].holeFraction).toBeGreaterThan(0); // the camera moved: there were holes to fill
  });

  it('a mesh preview draws the hidden layer behind the photo and fills the rest, in the thread and the pool alike', async () => {
    const big = sceneAt(512, 256, 16);
    const layered = prepareWarp(big.photo, 'mesh', { behind: hiddenLayerFor(big.photo, big.cameras) });
    const options = previewWarpOptions('mesh');
    const oracle = big.cameras.map((c) => fillWarpedFrame(warpPrepared(layered, c, options)));
    const scene: WarpScene = { kind: 'photo', photo: big.photo };
    const pooled = await warpTrack({
      scene,
      cameras: big.cameras,
      window: { start: 0, end: 16 },
      fill: true,
      method: 'mesh',
    });
    pooled.frames.forEach((f, i) => expect(same(f, oracle[i])).toBe(true));
    // A window of two draws the layer built for the whole track: its frames are the track's.
    const threaded = await warpTrack({
      scene,
      cameras: big.cameras,
      window: { start: 0, end: 2 },
      fill: true,
      method: 'mesh',
    });
    threaded.frames.forEach((f, i) => expect(same(f, oracle[i])).toBe(true));
    // The layer covered what the mesh alone leaves open: fewer holes for the fill to guess.
    const alone = warpPrepared(prepareWarp(big.photo, 'mesh'), big.cameras[15], options);
    expect(pooled.frames[15].holeFraction).toBeLessThan(alone.holeFraction);
  });

  it('a video window warps each frame from its own video frame, counted from the track start', async () => {
    // Four distinct "video frames": the photo with its colours scaled.
    const frameOf = (k: number): WarpSource => ({
      ...small.photo,
      image: { ...small.photo.image, data: small.photo.image.data.map((v) => v * (1 - 0.2 * k)) },
    });
    const loaded: number[] = [];
    const video: VideoSourceLoader = {
      count: 4,
      load: async (k) => {
        loaded.push(k);
        return frameOf(k);
      },
    };
    const scene: WarpScene = { kind: 'video', photo: small.photo, video };
    // A later window (its start is ignored: the scene keeps moving); frames 2..5, the track outlasting the video.
    const start = { image: small.photo.image, previous: null };
    const { frames } = await warpTrack({
      scene,
      cameras: small.cameras,
      window: { start: 2, end: 6 },
      start,
      fill: false,
      method: 'splat',
    });
    expect(loaded).toEqual([2, 3]); // frames 4 and 5 hold the last source frame, loaded once
    frames.forEach((f, i) => {
      const k = Math.min(2 + i, 3);
      expect(same(f, warpFrame(prepareSource(frameOf(k)), small.cameras[2 + i]))).toBe(true);
    });
  });

  it("a later window starts from the frame it is given: its first frame is that image where the photo's warp sees the scene", async () => {
    // The frame "the previous window made" at camera 3: the photo's warp there, filled, darkened so it can be told apart.
    const made = fillWarpedFrame(warpFrame(prepareSource(small.photo), small.cameras[3], { withDepth: true }));
    const image = { width: 128, height: 64, data: made.image.map((v) => v * 0.5) };
    // Window [3, 6) starting from that image, after a window warped from the photo alone.
    const laterWindow = (view?: WarpedFrame) =>
      warpTrack({
        scene: photoScene,
        cameras: small.cameras,
        window: { start: 3, end: 6 },
        start: { image, previous: null, view },
        fill: false,
        method: 'splat',
      });
    const w = await laterWindow();
    expect(w.frames).toHaveLength(3);
    expect(w.source).toMatchObject({ image, c2w: small.cameras[3].c2w, intrinsics: small.cameras[3].intrinsics });
    // At its own camera the new source outweighs the photo: frame 0 is the given image (to within the blend).
    let diff = 0,
      n = 0;
    const f0 = w.frames[0];
    for (let p = 0; p < 128 * 64; p++) {
      if (f0.holes[p]) continue;
      for (let c = 0; c < 3; c++) diff += Math.abs(f0.image[p * 3 + c] - image.data[p * 3 + c]);
      n++;
    }
    expect(n).toBeGreaterThan(0.9 * 128 * 64);
    expect(diff / (3 * n)).toBeLessThan(0.01);
    // The source's depth is the photo's warp depth at that camera, holes filled: no unknown (0) depth left.
    expect(w.source!.depth.every((z) => z > 0)).toBe(true);
    // Given the previous window's own view there (a preview's carries its depth), that depth is used: the same window.
    const reused = await laterWindow(made);
    expect(Buffer.from(reused.source!.depth.buffer).equals(Buffer.from(w.source!.depth.buffer))).toBe(true);
    reused.frames.forEach((f, i) => expect(same(f, w.frames[i])).toBe(true));
    // ...and it is that view's depth, not a second warp: a view with its depth doubled gives a source twice as deep.
    const doubled = { ...made, depth: made.depth!.map((z) => 2 * z) };
    const deeper = await laterWindow(doubled);
    expect(Array.from(deeper.source!.depth)).toEqual(Array.from(filledDepth(doubled)));
    expect(deeper.source!.depth[0]).toBeCloseTo(2 * w.source!.depth[0], 4);
  });

  it('stops at a cancel, on this thread and in the pool', async () => {
    const signal = AbortSignal.abort();
    const big = sceneAt(512, 256, 16);
    for (const [scene, cameras, end] of [
      [photoScene, small.cameras, 6],
      [{ kind: 'photo', photo: big.photo } as WarpScene, big.cameras, 16],
    ] as const) {
      const e = await warpTrack({
        scene,
        cameras,
        window: { start: 0, end },
        fill: false,
        method: 'splat',
        signal,
      }).catch((x) => x);
      expect(e).toBeInstanceOf(CamtrackError);
      expect((e as CamtrackError).code).toBe('cancelled');
    }
  });
});
