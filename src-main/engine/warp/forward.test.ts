import { describe, expect, it } from 'vitest';
import { IDENTITY4, intrinsicsFromFovY, type FrameCamera, type Mat4 } from '../geometry/conventions';
import { poseAt } from '../scene/poses';
import { psnr } from '../image/types';
import { renderScene, sampleScene } from '../scene/scene';
import { dilateBox, latentHoleMask, prepareSource, warpFrame } from './forward';

const K = intrinsicsFromFovY(50, 256, 144);
const scene = sampleScene();

describe('forward warp', () => {
  it('identity reproduces the photo bit for bit with no holes', () => {
    const cam: FrameCamera = { c2w: IDENTITY4, intrinsics: K };
    const a = renderScene(scene, cam, 1);
    // The sample scene has sky (no depth) at the top; give it a far depth so every pixel splats.
    const depth = a.depth.map((z) => (z > 0 ? z : 50));
    const src = prepareSource({ image: a.image, depth, intrinsics: K, c2w: IDENTITY4 });
    const out = warpFrame(src, cam);
    expect(out.holeFraction).toBe(0);
    expect(out.latentHoles.every((h) => h === 0)).toBe(true);
    expect(countDifferent(out.image, a.image.data)).toBe(0);
  });

  it('identity with an odd principal point and a non-identity pose is still exact', () => {
    const k = { width: 64, height: 48, fx: 70.3, fy: 69.1, cx: 31.7, cy: 22.9 };
    const pose = poseAt([0.3, -0.2, 1.1], 17);
    const img = {
      width: 64,
      height: 48,
      data: Float32Array.from({ length: 64 * 48 * 3 }, (_, i) => ((i * 7919) % 1000) / 999),
    };
    const depth = Float32Array.from({ length: 64 * 48 }, (_, i) => 1 + (i % 13) * 0.37);
    const out = warpFrame(prepareSource({ image: img, depth, intrinsics: k, c2w: pose }), { intrinsics: k, c2w: pose });
    expect(out.holeFraction).toBe(0);
    expect(countDifferent(out.image, img.data)).toBe(0);
  });

  it('a translated camera matches its direct render outside holes (>= 30 dB)', () => {
    const a = renderScene(scene, { c2w: IDENTITY4, intrinsics: K });
    const targets: Mat4[] = [poseAt([0.25, 0.05, 0]), poseAt([-0.2, 0.1, -0.4], -4), poseAt([0.1, 0, 0.3], 6)];
    const src = prepareSource({ image: a.image, depth: a.depth, intrinsics: K, c2w: IDENTITY4 });
    for (const c2w of targets) {
      const b = renderScene(scene, { c2w, intrinsics: K });
      const w = warpFrame(src, { c2w, intrinsics: K });
      const db = psnr({ width: K.width, height: K.height, data: w.image }, b.image, (p) => !w.holes[p]);
      expect(w.holeFraction).toBeGreaterThan(0.001);
      expect(w.holeFraction).toBeLessThan(0.4);
      expect(db).toBeGreaterThanOrEqual(30);
      // Without the warp the views differ a lot: the PSNR gain is the geometry.
      const none = psnr(a.image, b.image, (p) => !w.holes[p]);
      expect(db - none).toBeGreaterThan(8);
      console.log(
        `warp PSNR ${db.toFixed(2)} dB (unwarped ${none.toFixed(2)} dB), holes ${(w.holeFraction * 100).toFixed(1)}%`,
      );
    }
  });

  it('nearer points win over farther ones landing on the same pixel (soft z-buffer)', () => {
    // One row, fx = 4, cx = 4. Red source pixel 2 at z = 1 (X = -0.375) and green pixel 5 at z = 4
    // (X = 1.5). A camera moved to x = -1 sees both at x' = 6.5, the centre of pixel 6.
    const k = { width: 8, height: 1, fx: 4, fy: 4, cx: 4, cy: 0.5 };
    const img = { width: 8, height: 1, data: new Float32Array(24) };
    const depth = new Float32Array(8);
    img.data[2 * 3] = 1;
    img.data[5 * 3 + 1] = 1;
    depth[2] = 1;
    depth[5] = 4;
    const src = prepareSource({ image: img, depth, intrinsics: k, c2w: IDENTITY4 });
    const out = warpFrame(src, { intrinsics: k, c2w: poseAt([-1, 0, 0]) }, { dilateRadius: 0 });
    expect(Array.from(out.holes)).toEqual([1, 1, 1, 1, 1, 1, 0, 1]);
    // Weights 2^(-50 ln2/ln5) against e^-50: green gets about e^-28 of the pixel.
    expect(out.image[6 * 3]).toBeCloseTo(1, 10);
    expect(out.image[6 * 3 + 1]).toBeGreaterThan(0);
    expect(out.image[6 * 3 + 1]).toBeLessThan(1e-11);
  });

  it('orders occlusion by the TARGET camera depth, as the reference splats (hand-computed)', () => {
    // One row, fx = 2, cx = 4.5 (so pixel u looks along x/z = (u + 0.5 - 4.5) / 2). In the source
    // camera (OpenCV axes) red A = (-1, 0, 1) is pixel 2 at depth 1, green B = (2, 0, 4) pixel 5 at
    // depth 4: A is the nearer one. C = (5, 0, 7) lies on the line A + t (3, 0, 3) at t = 2, beyond
    // B (t = 1). A target camera at C looking back along (-1, 0, -1)/sqrt2 (GL world: position
    // (5, 0, -7), yaw 135 degrees) sees A and B on its optical axis, pixel 4 (x = cx = 4.5, index
    // 4.0), at target depths |CB| = 3 sqrt2 = 4.243 and |CA| = 6 sqrt2 = 8.485: B hides A.
    // Weights (1 + Z)^(-50 / ln(1 + 6 sqrt2)): A e^-50, B exp(-50 ln(1 + 3 sqrt2) / ln(1 + 6 sqrt2))
    // = exp(-50 * 1.65685 / 2.24972) = e^-36.824; red's share is 1 / (1 + e^13.176) = 1.9e-6.
    // (Ordered by source depth, ln 2 against ln 5, red would take all but e^-28 of the pixel.)
    const k = { width: 8, height: 1, fx: 2, fy: 2, cx: 4.5, cy: 0.5 };
    const img = { width: 8, height: 1, data: new Float32Array(24) };
    const depth = new Float32Array(8);
    img.data[2 * 3] = 1;
    depth[2] = 1;
    img.data[5 * 3 + 1] = 1;
    depth[5] = 4;
    const out = warpFrame(
      prepareSource({ image: img, depth, intrinsics: k, c2w: IDENTITY4 }),
      { intrinsics: k, c2w: poseAt([5, 0, -7], 135) },
      { dilateRadius: 0 },
    );
    expect(Array.from(out.holes)).toEqual([1, 1, 1, 1, 0, 1, 1, 1]);
    const redShare = 1 / (1 + Math.exp(50 - (50 * Math.log(1 + 3 * Math.SQRT2)) / Math.log(1 + 6 * Math.SQRT2)));
    expect(redShare).toBeCloseTo(1.9e-6, 7);
    expect(out.image[4 * 3]).toBeCloseTo(redShare, 9);
    expect(out.image[4 * 3 + 1]).toBeCloseTo(1 - redShare, 6);
  });

  it('drops points behind the target camera', () => {
    const k = { width: 4, height: 4, fx: 4, fy: 4, cx: 2, cy: 2 };
    const img = { width: 4, height: 4, data: new Float32Array(48).fill(0.5) };
    const depth = new Float32Array(16).fill(1);
    // Turned around (yaw 180) the target sees the points behind it: all holes.
    const out = warpFrame(prepareSource({ image: img, depth, intrinsics: k, c2w: IDENTITY4 }), {
      intrinsics: k,
      c2w: poseAt([0, 0, 0], 180),
    });
    expect(out.holeFraction).toBe(1);
    expect(out.image.every((v) => v === 0)).toBe(true);
  });
});

describe('hole masks', () => {
  it('dilates with a 5x5 box and never creates holes from nothing', () => {
    const m = new Uint8Array(7 * 7);
    expect(dilateBox(m, 7, 7, 2).every((v) => v === 0)).toBe(true);
    m[3 * 7 + 3] = 1;
    const d = dilateBox(m, 7, 7, 2);
    for (let y = 0; y < 7; y++)
      for (let x = 0; x < 7; x++) expect(d[y * 7 + x]).toBe(Math.abs(x - 3) <= 2 && Math.abs(y - 3) <= 2 ? 1 : 0);
    const corner = new Uint8Array(7 * 7);
    corner[0] = 1;
    const dc = dilateBox(corner, 7, 7, 2);
    expect(dc.reduce((a, b) => a + b, 0)).toBe(9);
  });

  it('marks an 8x8 block as a hole from 20% of its pixels (13 of 64)', () => {
    const w = 16,
      h = 8;
    const holes = new Uint8Array(w * h);
    for (let i = 0; i < 12; i++) holes[Math.floor(i / 8) * w + (i % 8)] = 1; // 12 in block 0
    for (let i = 0; i < 13; i++) holes[Math.floor(i / 8) * w + 8 + (i % 8)] = 1; // 13 in block 1
    const { latentWidth, latentHeight, latentHoles } = latentHoleMask(holes, w, h, 8, 0.2);
    expect([latentWidth, latentHeight]).toEqual([2, 1]);
    expect(Array.from(latentHoles)).toEqual([0, 1]);
  });
});

function countDifferent(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

describe('5x5 dilation on words', () => {
  it('matches the general dilation on random masks (widths that are and are not multiples of 4)', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    for (const [w, h, density] of [
      [16, 9, 0.05],
      [32, 5, 0.2],
      [12, 12, 0.01],
      [8, 3, 0.5],
      [10, 7, 0.1],
      [13, 4, 0.3],
    ] as const) {
      const m = Uint8Array.from({ length: w * h }, () => (rand() < density ? 1 : 0));
      const fast = dilateBox(m, w, h, 2);
      // Brute force oracle.
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          let any = 0;
          for (let dy = -2; dy <= 2; dy++)
            for (let dx = -2; dx <= 2; dx++) {
              const yy = y + dy,
                xx = x + dx;
              if (yy >= 0 && yy < h && xx >= 0 && xx < w && m[yy * w + xx]) any = 1;
            }
          expect(fast[y * w + x]).toBe(any);
        }
      }
    }
  });
});
