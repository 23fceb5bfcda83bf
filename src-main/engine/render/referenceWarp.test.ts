import { describe, expect, it } from 'vitest';
import { IDENTITY4, intrinsicsFromFovY, type FrameCamera, type Mat4 } from '../geometry/conventions';
import { sigmasForSteps } from '../schedule/sigmas';
import { poseAt } from '../scene/poses';
import { renderScene, sampleScene } from '../scene/scene';
import type { VideoSourceLoader } from '../video-input';
import type { WarpedFrame, WarpSource } from '../warp/forward';
import { referenceWarpFrame } from '../warp/reference';
import { referenceTwoViewTable } from './referenceWarp';
import { chooseWarpRoute, warpTrack, type WarpScene } from './stages/warp';

const K = intrinsicsFromFovY(50, 64, 48);
const scene = sampleScene();
function shot(c2w: Mat4) {
  const r = renderScene(scene, { c2w, intrinsics: K });
  return { image: r.image, depth: r.depth.map((z) => (z > 0 ? z : 50)), intrinsics: K, c2w };
}
const pixels = (f: WarpedFrame) => Array.from(f.image);
const orbit = (F: number): FrameCamera[] =>
  Array.from({ length: F }, (_, f) => ({ c2w: poseAt([0.05 * f, 0, 0.02 * f], 2 * f), intrinsics: K }));

/** Reference fidelity through warpTrack's seam: its three routes, each frame as the reference's warp makes it. */
describe('reference warps of a render', () => {
  const photo = shot(IDENTITY4);

  it('chooses the reference route of the scene, in one window, never for a filled preview', () => {
    const win = { start: 0, end: 700 }; // 2.15 million target pixels: the studio would warp them in the pool
    const video: WarpScene = { kind: 'video', photo, video: { count: 1, load: async () => photo } };
    const route = (s: WarpScene) => chooseWarpRoute({ scene: s, window: win, fidelity: 'reference' }).kind;
    expect(route({ kind: 'photo', photo })).toBe('reference-photo');
    expect(route({ kind: 'views', photo, views: [photo] })).toBe('reference-two-view');
    expect(route(video)).toBe('reference-video');
    expect(chooseWarpRoute({ scene: { kind: 'photo', photo }, window: win, fidelity: 'studio' }).kind).toBe(
      'photo-pool',
    );
    expect(() =>
      chooseWarpRoute({ scene: { kind: 'photo', photo }, window: win, fidelity: 'reference', fill: true }),
    ).toThrow(/never filled/);
    const start = { image: photo.image, previous: null };
    expect(() =>
      chooseWarpRoute({ scene: { kind: 'photo', photo }, window: win, start, fidelity: 'reference' }),
    ).toThrow(/one window/);
  });

  it("one photo: every frame, frame 0 included, is the reference's single-image warp", async () => {
    const cameras = orbit(4);
    let reported = 0;
    const r = await warpTrack({
      scene: { kind: 'photo', photo },
      cameras,
      window: { start: 0, end: 4 },
      fill: false,
      method: 'splat',
      fidelity: 'reference',
      onFrame: () => reported++,
    });
    expect(reported).toBe(4);
    expect(r.anchors).toEqual([]);
    r.frames.forEach((f, i) => expect(pixels(f)).toEqual(pixels(referenceWarpFrame(photo, cameras[i], 'single'))));
    // Not the studio's splat: the reference rounds colours to uint8 and dilates its holes.
    const studio = await warpTrack({
      scene: { kind: 'photo', photo },
      cameras,
      window: { start: 0, end: 4 },
      fill: false,
      method: 'splat',
    });
    expect(pixels(r.frames[3])).not.toEqual(pixels(studio.frames[3]));
  });

  it('a video: frame f from video frame f seen from the first camera, by the video splatting', async () => {
    const frameOf = (k: number): WarpSource => ({
      ...photo,
      image: { ...photo.image, data: photo.image.data.map((v) => v * (1 - 0.2 * k)) },
    });
    const loaded: number[] = [];
    const video: VideoSourceLoader = {
      count: 3,
      load: async (k) => {
        loaded.push(k);
        return frameOf(k);
      },
    };
    const cameras = orbit(5);
    const r = await warpTrack({
      scene: { kind: 'video', photo, video },
      cameras,
      window: { start: 0, end: 5 },
      fill: false,
      method: 'splat',
      fidelity: 'reference',
    });
    expect(loaded).toEqual([0, 1, 2]); // frames 3 and 4 hold the last video frame
    r.frames.forEach((f, i) => {
      const k = Math.min(i, 2);
      const alone = referenceWarpFrame({ ...frameOf(k), c2w: photo.c2w }, cameras[i], 'video');
      expect(pixels(f)).toEqual(pixels(alone));
    });
  });

  it('two photos: the first half of the frames from the first photo only, the rest from the second, the last frame the second photo', async () => {
    const F = 7;
    const end = poseAt([0.3, 0, 0.1], 4);
    const cameras: FrameCamera[] = Array.from({ length: F }, (_, f) => ({
      c2w: f === F - 1 ? end : poseAt([(0.3 * f) / (F - 1), 0, (0.1 * f) / (F - 1)], (4 * f) / (F - 1)),
      intrinsics: K,
    }));
    const view = shot(end);
    const r = await warpTrack({
      scene: { kind: 'views', photo, views: [view] },
      cameras,
      window: { start: 0, end: F },
      fill: false,
      method: 'splat',
      fidelity: 'reference',
    });
    expect(r.frames).toHaveLength(F);
    // No anchors: the reference leaves the last frame to the model.
    expect(r.anchors).toEqual([]);
    // Frames 1..3 (ceil(5 / 2)) from the photo, 4..5 from the view: each equals that one photo's warp alone.
    for (let f = 1; f < F - 1; f++) {
      const from = f <= 3 ? photo : view;
      const other = f <= 3 ? view : photo;
      expect(pixels(r.frames[f])).toEqual(pixels(referenceWarpFrame(from, cameras[f], 'two-view')));
      expect(pixels(r.frames[f])).not.toEqual(pixels(referenceWarpFrame(other, cameras[f], 'two-view')));
    }
    expect(pixels(r.frames[0])).toEqual(pixels(referenceWarpFrame(photo, cameras[0], 'two-view')));
    expect(Array.from(r.frames[F - 1].image)).toEqual(Array.from(view.image.data));
    expect(r.frames[F - 1].holeFraction).toBe(0);
    // Its lambda table: 1 at both photos, every entry in (0, 1].
    const table = referenceTwoViewTable(cameras, sigmasForSteps(100));
    expect([table.steps, table.frames]).toEqual([100, F]);
    for (let i = 0; i < 100; i++) {
      expect(table.values[i * F]).toBe(1);
      expect(table.values[i * F + F - 1]).toBe(1);
    }
    expect(table.values.every((v) => v > 0 && v <= 1)).toBe(true);
  });

  it('refuses more than two photos, naming the count, and two photos with no frame between them', async () => {
    const warp = (views: WarpSource[], frames: number) =>
      warpTrack({
        scene: { kind: 'views', photo, views },
        cameras: orbit(frames),
        window: { start: 0, end: frames },
        fill: false,
        method: 'splat',
        fidelity: 'reference',
      });
    await expect(warp([photo, photo], 3)).rejects.toThrow(/one photo or from two .* this project has 3/);
    await expect(warp([photo], 2)).rejects.toThrow(/two photos needs at least 3 frames \(got 2\)/);
  });
});
