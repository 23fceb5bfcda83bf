import { describe, expect, it } from 'vitest';
import { IDENTITY4, intrinsicsFromFovY, type FrameCamera } from '../geometry/conventions';
import { psnr, type RgbImage } from '../image/types';
import { poseAt } from '../scene/poses';
import { renderScene, sampleScene, type Scene } from '../scene/scene';
import { prepareSource, warpFrame } from './forward';
import { EDGE_THRESHOLD, meshWarpFrame, prepareMeshSource } from './mesh';

const K = intrinsicsFromFovY(50, 256, 144);
const scene = sampleScene();
const image = (data: Float32Array, k = K): RgbImage => ({ width: k.width, height: k.height, data });

/** A flat textured wall at z = 4 in front of the camera (nothing else), for cracks and sub-pixel checks. */
const wall: Scene = {
  background: [0, 0, 0],
  light: [0, 0, 1],
  objects: [
    {
      kind: 'plane',
      point: [0, 0, -4],
      normal: [0, 0, 1],
      uAxis: [1, 0, 0],
      texture: { kind: 'checker', period: 0.6, a: [0.1, 0.3, 0.6], b: [0.9, 0.8, 0.3] },
    },
  ],
};

describe('mesh warp', () => {
  it('the identity reproduces the photo bit for bit, with no holes (sky, thin specks and the border included)', () => {
    const cam: FrameCamera = { c2w: IDENTITY4, intrinsics: K };
    const a = renderScene(scene, cam, 1);
    const depth = a.depth.slice();
    // Specks joined to no neighbour (each a lone point), and an odd pose and principal point below.
    for (const p of [40 * 256 + 17, 90 * 256 + 200, 143 * 256 + 255]) depth[p] *= 0.5;
    const out = meshWarpFrame(prepareMeshSource({ image: a.image, depth, intrinsics: K, c2w: IDENTITY4 }), cam);
    expect(out.holeFraction).toBe(0);
    expect(out.image).toEqual(a.image.data);

    const k = { width: 64, height: 48, fx: 70.3, fy: 69.1, cx: 31.7, cy: 22.9 };
    const pose = poseAt([0.3, -0.2, 1.1], 17);
    const img = Float32Array.from({ length: 64 * 48 * 3 }, (_, i) => ((i * 7919) % 1000) / 999);
    const z = Float32Array.from({ length: 64 * 48 }, (_, i) => 1 + (i % 13) * 0.37);
    const odd = meshWarpFrame(prepareMeshSource({ image: image(img, k), depth: z, intrinsics: k, c2w: pose }), {
      intrinsics: k,
      c2w: pose,
    });
    expect(odd.holeFraction).toBe(0);
    expect(odd.image).toEqual(img);
  });

  it('a dolly-in that triples a wall on screen leaves no cracks (the splatting warp cracks it)', () => {
    const a = renderScene(wall, { c2w: IDENTITY4, intrinsics: K }, 2);
    const cam: FrameCamera = { c2w: poseAt([0, 0, -4 * (2 / 3)]), intrinsics: K };
    const truth = renderScene(wall, cam, 2);
    const src = { image: a.image, depth: a.depth, intrinsics: K, c2w: IDENTITY4 };
    const mesh = meshWarpFrame(prepareMeshSource(src), cam, { dilateRadius: 0 });
    const splat = warpFrame(prepareSource(src), cam, { dilateRadius: 0 });
    expect(mesh.holeFraction).toBe(0);
    expect(splat.holeFraction).toBeGreaterThan(0.3);
    // Every pixel is the wall, magnified three times with linear lookup: close to the true view.
    expect(psnr(image(mesh.image), truth.image)).toBeGreaterThan(30);
  });

  it('places the photo with sub-pixel precision: half a pixel to the side averages the two neighbours', () => {
    const k = { width: 8, height: 4, fx: 8, fy: 8, cx: 4, cy: 2 };
    const img = Float32Array.from({ length: 8 * 4 * 3 }, (_, i) => Math.floor(i / 3) % 8);
    const depth = new Float32Array(32).fill(2);
    // Moving the camera by x = -0.125 at z = 2 shifts the image half a pixel to the right (fx = 8).
    const out = meshWarpFrame(
      prepareMeshSource({ image: image(img, k), depth, intrinsics: k, c2w: IDENTITY4 }),
      {
        c2w: poseAt([-0.125, 0, 0]),
        intrinsics: k,
      },
      { dilateRadius: 0 },
    );
    // Target pixel x sees source x - 0.5: the mean of source columns x - 1 and x. Column 0 sees the
    // photo's left edge: source pixel 0 reaches it (each border pixel covers its whole square).
    for (let x = 1; x < 8; x++) expect(out.image[(1 * 8 + x) * 3]).toBeCloseTo(x - 0.5, 5);
    expect([out.holes[8], out.image[8 * 3]]).toEqual([0, 0]);
  });

  it(`tears the mesh where neighbouring depths differ by more than ${EDGE_THRESHOLD * 100}% of the nearer, and only there`, () => {
    // Two fronto-parallel parts: columns 0-95 at z = 1, 96-127 a step behind. A camera moved right by
    // 0.6 shifts the near part 60 px left and the far part 60 / ratio px: the step opens 2-3 columns near x = 37.
    const k = { width: 128, height: 8, fx: 100, fy: 100, cx: 64, cy: 4 };
    const img = new Float32Array(128 * 8 * 3).fill(0.5);
    const holesAtStep = (depth: (u: number) => number, sharper?: number) => {
      const z = Float32Array.from({ length: 128 * 8 }, (_, i) => depth(i % 128));
      const src = prepareMeshSource({ image: image(img, k), depth: z, intrinsics: k, c2w: IDENTITY4 }, { sharper });
      const w = meshWarpFrame(src, { c2w: poseAt([0.6, 0, 0]), intrinsics: k }, { dilateRadius: 0 });
      return w.holes.filter((h, i) => h && i % 128 >= 20 && i % 128 <= 60).length;
    };
    const step = (ratio: number) => (u: number) => (u < 96 ? 1 : ratio);
    // Just under the threshold the step is stretched over (one surface); just over it, it opens.
    expect(holesAtStep(step(1 + EDGE_THRESHOLD * 0.98))).toBe(0);
    expect(holesAtStep(step(1 + EDGE_THRESHOLD * 1.05))).toBeGreaterThanOrEqual(2 * 8);
    // A plane seen at a grazing angle: every step is 4.3 to 12.5% (over the threshold) but all are alike
    // in disparity (linear in u), so it stays one surface: dollied in, its colours (a ramp across) are
    // interpolated between the pixels. Judged by the threshold alone (sharper 0) it falls apart into
    // pixel squares of flat colour.
    const g = { width: 16, height: 8, fx: 16, fy: 16, cx: 8, cy: 4 };
    const gz = Float32Array.from({ length: 16 * 8 }, (_, i) => 1 / (0.05 * (24 - (i % 16))));
    expect(gz[1] / gz[0]).toBeGreaterThan(1 + EDGE_THRESHOLD);
    const ramp = Float32Array.from({ length: 16 * 8 * 3 }, (_, i) => Math.floor(i / 3) % 16);
    const flatPixels = (sharper?: number) => {
      const src = { image: image(ramp, g), depth: gz, intrinsics: g, c2w: IDENTITY4 };
      const w = meshWarpFrame(prepareMeshSource(src, { sharper }), { c2w: poseAt([0, 0, -0.3]), intrinsics: g });
      let flat = 0;
      for (let i = 32; i < 96; i++) if (!w.holes[i] && Number.isInteger(w.image[i * 3])) flat++;
      return flat;
    };
    expect(flatPixels()).toBeLessThan(12);
    expect(flatPixels(0)).toBeGreaterThan(40);
  });

  it('matches the true views of the sample scene better than the splatting warp, with holes only at disocclusions', () => {
    const a = renderScene(scene, { c2w: IDENTITY4, intrinsics: K }, 2);
    const src = { image: a.image, depth: a.depth, intrinsics: K, c2w: IDENTITY4 };
    const mesh = prepareMeshSource(src);
    const splat = prepareSource(src);
    for (const c2w of [poseAt([0.25, 0.05, 0]), poseAt([-0.2, 0.1, -0.4], -4), poseAt([0.1, 0, -1.2], 6)]) {
      const truth = renderScene(scene, { c2w, intrinsics: K }, 2);
      const m = meshWarpFrame(mesh, { c2w, intrinsics: K }, { dilateRadius: 0 });
      const s = warpFrame(splat, { c2w, intrinsics: K }, { dilateRadius: 0 });
      const dbMesh = psnr(image(m.image), truth.image, (p) => !m.holes[p]);
      const dbSplat = psnr(image(s.image), truth.image, (p) => !s.holes[p]);
      expect(dbMesh).toBeGreaterThan(dbSplat);
      expect(dbMesh).toBeGreaterThan(31);
      // What the photo saw (the true view's points visible from the source camera) is covered; the
      // holes are what it did not see (behind a nearer surface, or outside it), give or take two pixels
      // (the true edge lies anywhere inside its pixels).
      const unseen = unseenBySource(truth.depth, { c2w, intrinsics: K }, a.depth, K);
      const near = dilate(dilate(unseen, K.width, K.height), K.width, K.height);
      let seenHoles = 0,
        seen = 0,
        unseenCount = 0;
      for (let p = 0; p < unseen.length; p++) {
        if (unseen[p]) unseenCount++;
        if (!near[p]) {
          seen++;
          if (m.holes[p]) seenHoles++;
        }
      }
      console.log(
        'seen holes',
        seenHoles / seen,
        'holes',
        m.holeFraction,
        'unseen',
        unseenCount / unseen.length,
        'splat seen holes',
        s.holes.filter((h, p) => h && !near[p]).length / seen,
      );
      expect(seenHoles / seen).toBeLessThan(0.002);
      expect(m.holeFraction).toBeLessThan((unseenCount / unseen.length) * 1.1);
    }
  });

  it('draws the layer behind the photo where the photo tears open, and nowhere in front of it', () => {
    const k = { width: 32, height: 16, fx: 20, fy: 20, cx: 16, cy: 8 };
    const img = new Float32Array(32 * 16 * 3).fill(0.5);
    const depth = Float32Array.from({ length: 32 * 16 }, (_, i) => (i % 32 < 16 ? 2 : 4));
    // The layer: the far half extended under the near one (red), as the preview's hidden layer does.
    // The camera moves right: the near half slides 5 px further left than the far half, opening the step.
    const behind = { rgb: new Float32Array(32 * 16 * 3), depth: new Float32Array(32 * 16) };
    for (let i = 0; i < 32 * 16; i++) {
      if (i % 32 < 8) continue;
      behind.depth[i] = 4;
      behind.rgb[i * 3] = 1;
    }
    const target = { c2w: poseAt([0.5, 0, 0]), intrinsics: k };
    const src = { image: image(img, k), depth, intrinsics: k, c2w: IDENTITY4 };
    const open = meshWarpFrame(prepareMeshSource(src), target, { dilateRadius: 0 });
    const layered = meshWarpFrame(prepareMeshSource(src, { behind }), target, { dilateRadius: 0 });
    let filled = 0;
    for (let p = 0; p < 32 * 16; p++) {
      if (open.holes[p] && !layered.holes[p]) {
        filled++;
        expect(layered.image[p * 3]).toBe(1);
      } else if (!open.holes[p]) expect(layered.image[p * 3]).toBe(0.5);
    }
    expect(filled).toBeGreaterThanOrEqual(2 * 16);
  });
});

/**
 * Target pixels whose true surface point the source camera does not see: outside its image, or
 * behind a surface nearer to it (its depth there is more than 1% nearer than the point's).
 */
function unseenBySource(
  targetDepth: Float32Array,
  target: FrameCamera,
  sourceDepth: Float32Array,
  sk: typeof K,
): Uint8Array {
  const tk = target.intrinsics;
  const m = target.c2w;
  const out = new Uint8Array(targetDepth.length);
  for (let p = 0; p < targetDepth.length; p++) {
    const z = targetDepth[p];
    if (!(z > 0)) continue;
    // Target pixel centre ray (OpenCV axes) -> world (GL camera-to-world with the y and z flip) -> source (identity).
    const x = ((p % tk.width) + 0.5 - tk.cx) / tk.fx,
      y = (Math.floor(p / tk.width) + 0.5 - tk.cy) / tk.fy;
    const cx = x * z,
      cy = -y * z,
      cz = -z;
    const wx = m[0] * cx + m[1] * cy + m[2] * cz + m[3];
    const wy = m[4] * cx + m[5] * cy + m[6] * cz + m[7];
    const wz = m[8] * cx + m[9] * cy + m[10] * cz + m[11];
    const sz = -wz;
    const u = Math.floor((sk.fx * wx) / sz + sk.cx),
      v = Math.floor((sk.fy * -wy) / sz + sk.cy);
    if (sz <= 0 || u < 0 || v < 0 || u >= sk.width || v >= sk.height) out[p] = 1;
    else if (sourceDepth[v * sk.width + u] < sz * 0.99) out[p] = 1;
  }
  return out;
}

/** The mask grown by one pixel (3x3). */
function dilate(mask: Uint8Array, w: number, h: number): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      if (!mask[y * w + x]) continue;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx,
            yy = y + dy;
          if (xx >= 0 && yy >= 0 && xx < w && yy < h) out[yy * w + xx] = 1;
        }
    }
  return out;
}
