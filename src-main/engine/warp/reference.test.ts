import { describe, expect, it } from 'vitest';
import { IDENTITY4, intrinsicsFromFovY, type Mat4 } from '../geometry/conventions';
import { psnr } from '../image/types';
import { poseAt } from '../scene/poses';
import { renderScene, sampleScene } from '../scene/scene';
import { prepareSource, warpFrame } from './forward';
import { referenceSplat, referenceWarpFrame, toUint8Image } from './reference';

/** A 3x3 frame whose only moving point is the centre pixel, sent by `flow`; the others go far off. */
function onePoint(flow: [number, number], depth: number) {
  const frame = new Float64Array(27).fill(0);
  frame.set([200, 100, 50], 4 * 3);
  const flows = new Float64Array(18).fill(100); // off the canvas: onto the cropped padding
  flows.set(flow, 8);
  const depths = new Float64Array(9).fill(depth);
  depths[0] = 4000; // the farthest point sets the soft z-buffer scale
  return { frame, flows, depths };
}

describe('reference bilinear splatting', () => {
  it('an exactly integer position deposits 4 times its weight: a near point becomes a hole under the 0.6 cut', () => {
    const { frame, flows, depths } = onePoint([0, 0], 1e-3);
    const single = referenceSplat(frame, 3, 3, 3, depths, flows, 'single');
    const two = referenceSplat(frame, 3, 3, 3, depths, flows, 'two-view');
    expect(Array.from(single.known)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    // The two-view file has no cut: the same pixel is known, with its colour.
    expect(two.known[4]).toBe(1);
    expect(Array.from(toUint8Image(two.colour).subarray(12, 15))).toEqual([200, 100, 50]);
    // Half a pixel off in x only: y is integer, so its two weights are both 1 and each pixel gets 2 x 0.5.
    const half = onePoint([0.5, 0], 1e-3);
    const h = referenceSplat(half.frame, 3, 3, 3, half.depths, half.flows, 'single');
    expect(h.known[4] + h.known[5]).toBe(0);
    // Half a pixel off in both: four deposits of 0.25, all known.
    const quarter = onePoint([0.5, 0.5], 1e-3);
    const q = referenceSplat(quarter.frame, 3, 3, 3, quarter.depths, quarter.flows, 'single');
    expect([q.known[4], q.known[5], q.known[7], q.known[8]]).toEqual([1, 1, 1, 1]);
  });

  it('a point behind the camera (negative depth) is splatted at weight factor 1', () => {
    const { frame, flows, depths } = onePoint([0.25, 0.25], -2);
    const two = referenceSplat(frame, 3, 3, 3, depths, flows, 'two-view');
    expect(two.known[4]).toBe(1);
  });

  it('rounds half to even, as numpy', () => {
    expect(Array.from(toUint8Image(Float64Array.from([0.5, 1.5, 2.5, 254.5, 255.7, -3])))).toEqual([
      0, 2, 2, 254, 255, 0,
    ]);
  });
});

describe('reference warp against the studio splat on the ray-cast scene', () => {
  it('the same holes and PSNR within 0.2 dB on three moves; at identity the uint8 rounding costs the reference', () => {
    const K = intrinsicsFromFovY(50, 256, 144);
    const scene = sampleScene();
    const a = renderScene(scene, { c2w: IDENTITY4, intrinsics: K });
    // The sky has no depth: a far plane for both (the reference would splat depth 0 at the camera).
    const src = { image: a.image, depth: a.depth.map((z) => (z > 0 ? z : 50)), intrinsics: K, c2w: IDENTITY4 };
    const prepared = prepareSource(src);
    const moves: Mat4[] = [poseAt([0.25, 0.05, 0]), poseAt([-0.2, 0.1, -0.4], -4), poseAt([0.1, 0, 0.3], 6)];
    for (const c2w of [IDENTITY4, ...moves]) {
      const truth = renderScene(scene, { c2w, intrinsics: K }).image;
      const s = warpFrame(prepared, { c2w, intrinsics: K });
      const r = referenceWarpFrame(src, { c2w, intrinsics: K }, 'single');
      const seen = (p: number) => !s.holes[p] && !r.holes[p];
      const ps = psnr({ width: 256, height: 144, data: s.image }, truth, seen);
      const pr = psnr({ width: 256, height: 144, data: r.image }, truth, seen);
      console.log(
        `holes studio ${(100 * s.holeFraction).toFixed(1)}% reference ${(100 * r.holeFraction).toFixed(1)}%, PSNR studio ${ps.toFixed(2)} dB reference ${pr.toFixed(2)} dB`,
      );
      expect(Math.abs(s.holeFraction - r.holeFraction)).toBeLessThan(0.005);
      if (c2w === IDENTITY4) {
        expect(ps).toBe(Infinity);
        expect(pr).toBeGreaterThan(55);
        expect(pr).toBeLessThan(62);
      } else expect(Math.abs(ps - pr)).toBeLessThan(0.2);
    }
  });
});
