import { describe, expect, it } from 'vitest';
import type { FrameCamera } from '../geometry/conventions';
import { psnr } from '../image/types';
import { poseAt } from '../scene/poses';
import { renderScene, sampleScene } from '../scene/scene';
import type { WarpedFrame, WarpSource } from '../warp/forward';
import { prepareWarp, warpPrepared } from '../warp/method';
import { prepareSources, warpFused } from './fuse';

const K = { width: 192, height: 128, fx: 150, fy: 150, cx: 96, cy: 64 };
const scene = sampleScene();
// Three cameras on a line, the outer two turned slightly towards the middle of the scene.
const left: FrameCamera = { c2w: poseAt([-1.2, 0.1, 0], -6), intrinsics: K };
const middle: FrameCamera = { c2w: poseAt([0, 0.1, 0]), intrinsics: K };
const right: FrameCamera = { c2w: poseAt([1.2, 0.1, 0], 6), intrinsics: K };
const shot = (c: FrameCamera) => ({ ...renderScene(scene, c, 2), camera: c });
const views = [shot(left), shot(right)];
const truth = shot(middle);
const source = (v: (typeof views)[number]) => ({ image: v.image, depth: v.depth, intrinsics: K, c2w: v.camera.c2w });
const img = (w: WarpedFrame) => ({ width: w.width, height: w.height, data: w.image });
const holes = (w: WarpedFrame) => w.holes.reduce((a, b) => a + b, 0);

describe.each(['splat', 'mesh'] as const)('sparse views, %s warp: one z-buffer across sources', (method) => {
  const fused = prepareSources(views.map(source), method);
  const single = (v: WarpSource, c: FrameCamera) => warpPrepared(prepareWarp(v, method), c);

  it('the fused warp of the middle camera has fewer holes and a higher PSNR than either view alone', () => {
    const both = warpFused(fused, middle);
    const alone = views.map((v) => single(source(v), middle));
    const p = (w: WarpedFrame) => psnr(img(w), truth.image);
    console.log(
      `${method}, middle camera: fused ${holes(both)} holes, ${p(both).toFixed(2)} dB; left alone ${holes(alone[0])} holes, ${p(alone[0]).toFixed(2)} dB; right alone ${holes(alone[1])} holes, ${p(alone[1]).toFixed(2)} dB`,
    );
    for (const a of alone) {
      expect(holes(both)).toBeLessThan(holes(a));
      expect(p(both)).toBeGreaterThan(p(a) + 1);
      // Not only by filling holes: where the single view has content the fusion is as good.
      const seen = (px: number) => !a.holes[px] && !both.holes[px];
      expect(psnr(img(both), truth.image, seen)).toBeGreaterThan(psnr(img(a), truth.image, seen) - 0.5);
    }
    // Where the fusion has content it matches the true render.
    expect(psnr(img(both), truth.image, (px) => !both.holes[px])).toBeGreaterThan(25);
  });

  it('frames at the source cameras reproduce their photos (PSNR >= 35 dB)', () => {
    for (const v of views) {
      const w = warpFused(fused, v.camera);
      const p = psnr(img(w), v.image);
      console.log(`at a source camera: ${p.toFixed(2)} dB, ${holes(w)} holes`);
      expect(holes(w)).toBe(0);
      expect(p).toBeGreaterThanOrEqual(35);
    }
  });

  it('with one source it is the single-view warp exactly, and a source toggled off takes no part', () => {
    const one = prepareSources([source(views[0])], method);
    const a = warpFused(one, middle);
    const b = single(source(views[0]), middle);
    // Typed arrays compared element by element (a failing toEqual would print megabytes).
    expect(a.image.every((v, i) => v === b.image[i])).toBe(true);
    expect(a.holes.every((v, i) => v === b.holes[i])).toBe(true);
    const off = warpFused(fused, middle, {}, [true, false]);
    expect(off.holes.every((v, i) => v === b.holes[i])).toBe(true);
  });

  it('the nearest surface wins across sources: a near object in one view hides the far wall of the other', () => {
    // The left view sees the scene; the right "view" is the left one pushed 3 units back, so every
    // one of its surfaces lies behind the left view's. Fused at the left camera, the left view wins.
    const near = source(views[0]);
    const far = { ...near, depth: near.depth.map((z) => z + 3), c2w: left.c2w };
    const w = warpFused(prepareSources([far, near], method), left);
    expect(psnr(img(w), views[0].image)).toBeGreaterThan(40);
  });
});
