import { afterAll, describe, expect, it } from 'vitest';
import { IDENTITY4, intrinsicsFromFovY } from '../geometry/conventions';
import { renderScene, sampleScene } from '../scene/scene';
import { prepareSource, warpFrame } from './forward';
import { poseAt } from '../scene/poses';
import { createWarpPool } from './pool';
import { prepareWarp, previewWarpOptions, warpPrepared } from './method';
import { buildHiddenLayer, layerRadius } from '../preview/layer';
import { fillWarpedFrame } from '../preview/frame';

const K = intrinsicsFromFovY(50, 128, 72);
const pool = createWarpPool(2);
afterAll(() => pool.close());

describe('warp pool', () => {
  it('gives the same frames as the single-threaded warp, in track order', async () => {
    const a = renderScene(sampleScene(), { c2w: IDENTITY4, intrinsics: K }, 1);
    const source = { image: a.image, depth: a.depth, intrinsics: K, c2w: IDENTITY4 };
    const targets = [0, 1, 2, 3, 4].map((i) => ({ c2w: poseAt([0.05 * i, 0, -0.1 * i], 2 * i), intrinsics: K }));
    const seen: number[] = [];
    const { frames, frameMs } = await pool.warpFrames(source, targets, {}, (i) => seen.push(i));
    expect(seen.sort()).toEqual([0, 1, 2, 3, 4]);
    expect(frameMs.every((ms) => ms >= 0)).toBe(true);
    const prepared = prepareSource(source);
    targets.forEach((t, i) => {
      const ref = warpFrame(prepared, t);
      expect(frames[i].holeFraction).toBe(ref.holeFraction);
      expect(Buffer.from(frames[i].image.buffer).equals(Buffer.from(ref.image.buffer))).toBe(true);
      expect(Buffer.from(frames[i].latentHoles).equals(Buffer.from(ref.latentHoles))).toBe(true);
    });
    // The pool can run a second track on the same workers.
    const again = await pool.warpFrames(source, targets.slice(0, 1));
    expect(again.frames[0].holeFraction).toBe(0);
  });

  it('runs the mesh warp with its hidden layer and the fill as this thread does', async () => {
    const a = renderScene(sampleScene(), { c2w: IDENTITY4, intrinsics: K }, 1);
    const source = { image: a.image, depth: a.depth, intrinsics: K, c2w: IDENTITY4 };
    const targets = [1, 2, 3].map((i) => ({ c2w: poseAt([0.08 * i, 0, 0]), intrinsics: K }));
    const behind = buildHiddenLayer(source, { radius: layerRadius(source, targets) });
    const options = previewWarpOptions('mesh');
    const { frames } = await pool.warpFrames(source, targets, { ...options, fill: true, method: 'mesh', behind });
    const here = prepareWarp(source, 'mesh', { behind });
    targets.forEach((t, i) => {
      const ref = fillWarpedFrame(warpPrepared(here, t, options));
      expect(Buffer.from(frames[i].image.buffer).equals(Buffer.from(ref.image.buffer))).toBe(true);
      expect(Buffer.from(frames[i].holes).equals(Buffer.from(ref.holes))).toBe(true);
    });
  });
});
