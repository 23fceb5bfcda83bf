import { relativeCvTransform, type Intrinsics } from '../geometry/conventions';
import { dilateBox, latentHoleMask, type WarpedFrame, type WarpSource, type WarpTarget } from './forward';

/**
 * The NVS-Solver reference's forward warp (its forward_warp, compute_transformed_points and
 * bilinear_splatting) and hole masks, reproduced operation by operation in float64 for the
 * "reference" fidelity mode and `camtrack verify guidance`. The studio's own splatting (forward.ts
 * and the splat kernel) differs on purpose; docs/reference-deviations.md lists each difference.
 *
 * - Pixel (x, y) sits at integer coordinates (x, y) under K (no half-pixel centre).
 * - Points go through K2 T K1^-1 [x, y, 1] d; points behind the camera are projected too (through
 *   their negative z) and splatted.
 * - Positions are shifted by +1 into a canvas padded by one pixel; floor and ceil are taken and
 *   clipped to the padded canvas, so far-off points pile up on the padding, which is cropped. A
 *   coordinate that is an exact integer has floor == ceil, and both of its bilinear weights are 1:
 *   such a point deposits 4 times (2 times with one integer coordinate) onto one pixel.
 * - The soft z-buffer divides each weight by exp(log(1 + clip(z, 0, Zc)) / max log(1 + ...) * 50),
 *   z the depth in the target camera, the max over every source pixel.
 * - A pixel is known when its summed weight is > 0 and, except in the two-view pipeline, <= 0.6.
 * - Colour = weighted sum / weight in float64, clipped to [0, 255] and rounded half to even.
 * - Masks: holes dilated by a 5x5 box (the border is not a hole), the conditioning image is the warp
 *   with dilated holes zeroed, and a latent element (8 x 8 block) is a hole when >= 0.2 of it is.
 */
export type ReferenceWarpRule = 'single' | 'two-view' | 'video';

/** Depth clip of the soft z-buffer and the weight above which a pixel is a hole, per pipeline. */
export const REFERENCE_SPLAT: Readonly<Record<ReferenceWarpRule, { depthClip: number; maxWeight: number }>> = {
  single: { depthClip: 5000, maxWeight: 0.6 },
  'two-view': { depthClip: 1000, maxWeight: Infinity },
  video: { depthClip: 10000, maxWeight: 0.6 },
};

/** Row-major 3x3 and 4x4 matrices in float64. */
export type Mat3Array = ArrayLike<number>;
export type Mat4Array = ArrayLike<number>;

/**
 * The inverse of an n x n matrix as LAPACK's gesv computes it with the identity on the right (LU
 * with partial pivoting, then the two triangular solves), which is what numpy.linalg.inv does.
 */
export function lapackInverse(m: ArrayLike<number>, n: number): Float64Array {
  const a = Float64Array.from(m);
  const piv = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    let p = j;
    for (let i = j + 1; i < n; i++) if (Math.abs(a[i * n + j]) > Math.abs(a[p * n + j])) p = i;
    piv[j] = p;
    if (p !== j)
      for (let k = 0; k < n; k++) {
        const t = a[j * n + k];
        a[j * n + k] = a[p * n + k];
        a[p * n + k] = t;
      }
    const d = a[j * n + j];
    if (d === 0) throw new Error('lapackInverse: the matrix is singular');
    const r = 1 / d;
    for (let i = j + 1; i < n; i++) a[i * n + j] *= r;
    for (let i = j + 1; i < n; i++) for (let k = j + 1; k < n; k++) a[i * n + k] -= a[i * n + j] * a[j * n + k];
  }
  const b = new Float64Array(n * n);
  for (let i = 0; i < n; i++) b[i * n + i] = 1;
  for (let j = 0; j < n; j++) {
    const p = piv[j];
    if (p !== j)
      for (let k = 0; k < n; k++) {
        const t = b[j * n + k];
        b[j * n + k] = b[p * n + k];
        b[p * n + k] = t;
      }
  }
  for (let c = 0; c < n; c++) {
    for (let k = 0; k < n; k++) {
      const v = b[k * n + c];
      if (v !== 0) for (let i = k + 1; i < n; i++) b[i * n + c] -= v * a[i * n + k];
    }
    for (let k = n - 1; k >= 0; k--) {
      if (b[k * n + c] !== 0) {
        b[k * n + c] /= a[k * n + k];
        const v = b[k * n + c];
        for (let i = 0; i < k; i++) b[i * n + c] -= v * a[i * n + k];
      }
    }
  }
  return b;
}

/** a @ b for row-major n x n matrices, each entry summed left to right. */
export function matMul(a: ArrayLike<number>, b: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a[i * n + k] * b[k * n + j];
      out[i * n + j] = s;
    }
  return out;
}

/** The reference's world-to-camera pair as one camera-1-to-camera-2 transform: pose2 @ inv(pose1). */
export function referenceRelativePose(pose1: Mat4Array, pose2: Mat4Array): Float64Array {
  return matMul(pose2, lapackInverse(pose1, 4), 4);
}

/** K as a row-major 3x3 from intrinsics, applied to integer pixel indices as the reference does. */
export function referenceK(k: Intrinsics): Float64Array {
  return Float64Array.from([k.fx, 0, k.cx, 0, k.fy, k.cy, 0, 0, 1]);
}

export interface ReferenceProjection {
  width: number;
  height: number;
  /** trans_coordinates - grid per pixel, (x, y) interleaved. */
  flow: Float64Array;
  /** z of each source pixel in the target camera (negative behind it). */
  targetDepth: Float64Array;
}

/**
 * compute_transformed_points: every source pixel (x, y) with depth d to K2 T (d K1inv [x, y, 1], 1).
 * `k1Inverse` is K1's inverse as the reference has it (lapackInverse of K1, in K1's precision).
 */
export function referenceProject(
  depth: ArrayLike<number>,
  width: number,
  height: number,
  T: Mat4Array,
  k1Inverse: Mat3Array,
  k2: Mat3Array,
): ReferenceProjection {
  const n = width * height;
  if (depth.length !== n) throw new Error(`reference warp: ${depth.length} depths for a ${width}x${height} image`);
  const flow = new Float64Array(2 * n);
  const targetDepth = new Float64Array(n);
  const ki = k1Inverse;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const d = depth[i];
      // K1^-1 [x, y, 1], then times the depth.
      const ux = ki[0] * x + ki[1] * y + ki[2];
      const uy = ki[3] * x + ki[4] * y + ki[5];
      const uz = ki[6] * x + ki[7] * y + ki[8];
      const X = d * ux;
      const Y = d * uy;
      const Z = d * uz;
      const wx = T[0] * X + T[1] * Y + T[2] * Z + T[3];
      const wy = T[4] * X + T[5] * Y + T[6] * Z + T[7];
      const wz = T[8] * X + T[9] * Y + T[10] * Z + T[11];
      const px = k2[0] * wx + k2[1] * wy + k2[2] * wz;
      const py = k2[3] * wx + k2[4] * wy + k2[5] * wz;
      const pz = k2[6] * wx + k2[7] * wy + k2[8] * wz;
      flow[2 * i] = px / pz - x;
      flow[2 * i + 1] = py / pz - y;
      targetDepth[i] = pz;
    }
  }
  return { width, height, flow, targetDepth };
}

export interface ReferenceSplat {
  /** The weighted average per pixel and channel (0 where not known), before any rounding. */
  colour: Float64Array;
  /** 1 = known (weight > 0, and <= 0.6 where the rule has the cut). */
  known: Uint8Array;
}

/**
 * bilinear_splatting: `frame` (width * height * channels values, any numbers) moved by `flow` (per
 * pixel, x then y), with `depth` the target depth of each source pixel for the soft z-buffer.
 */
export function referenceSplat(
  frame: ArrayLike<number>,
  channels: number,
  width: number,
  height: number,
  depth: ArrayLike<number>,
  flow: ArrayLike<number>,
  rule: ReferenceWarpRule,
): ReferenceSplat {
  const n = width * height;
  if (frame.length !== n * channels || depth.length !== n || flow.length !== 2 * n)
    throw new Error(`reference splat: the frame, depth and flow do not fit a ${width}x${height} image`);
  const { depthClip, maxWeight } = REFERENCE_SPLAT[rule];
  const logZ = new Float64Array(n);
  let maxLog = -Infinity;
  for (let i = 0; i < n; i++) {
    const z = depth[i];
    const l = Math.log(1 + (z < 0 ? 0 : z > depthClip ? depthClip : z));
    logZ[i] = l;
    if (l > maxLog) maxLog = l;
  }
  const pw = width + 2;
  const ph = height + 2;
  // Each point's four (padded) pixel indices and weights, in the reference's order nw, sw, ne, se.
  const idx = new Int32Array(4 * n);
  const wgt = new Float64Array(4 * n);
  const clip = (v: number, hi: number) => (v < 0 ? 0 : v > hi ? hi : v);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      // trans_pos = flow + grid, then + 1 into the padded canvas.
      const ox0 = flow[2 * i] + x + 1;
      const oy0 = flow[2 * i + 1] + y + 1;
      const fx = clip(Math.floor(ox0), pw - 1);
      const fy = clip(Math.floor(oy0), ph - 1);
      const cx = clip(Math.ceil(ox0), pw - 1);
      const cy = clip(Math.ceil(oy0), ph - 1);
      const ox = clip(ox0, pw - 1);
      const oy = clip(oy0, ph - 1);
      const dw = Math.exp((logZ[i] / maxLog) * 50);
      const wn = 1 - (oy - fy);
      const ws = 1 - (cy - oy);
      const ww = 1 - (ox - fx);
      const we = 1 - (cx - ox);
      if (!Number.isFinite(ox0) || !Number.isFinite(oy0)) {
        // A point exactly at the camera plane: numpy's int cast lands it on the padding, cropped.
        for (let q = 0; q < 4; q++) idx[q * n + i] = 0;
        continue;
      }
      idx[i] = fy * pw + fx;
      wgt[i] = (wn * ww) / dw;
      idx[n + i] = cy * pw + fx;
      wgt[n + i] = (ws * ww) / dw;
      idx[2 * n + i] = fy * pw + cx;
      wgt[2 * n + i] = (wn * we) / dw;
      idx[3 * n + i] = cy * pw + cx;
      wgt[3 * n + i] = (ws * we) / dw;
    }
  }
  // np.add.at in the reference's order: the four corners one after the other, pixels in C order.
  const acc = new Float64Array(pw * ph * channels);
  const wsum = new Float64Array(pw * ph);
  for (let q = 0; q < 4; q++) {
    for (let i = 0; i < n; i++) {
      const w = wgt[q * n + i];
      const p = idx[q * n + i];
      for (let c = 0; c < channels; c++) acc[p * channels + c] += frame[i * channels + c] * w;
    }
  }
  for (let q = 0; q < 4; q++) for (let i = 0; i < n; i++) wsum[idx[q * n + i]] += wgt[q * n + i];
  const colour = new Float64Array(n * channels);
  const known = new Uint8Array(n);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = (y + 1) * pw + x + 1;
      const w = wsum[p];
      if (!(w > 0 && w <= maxWeight)) continue;
      const i = y * width + x;
      known[i] = 1;
      for (let c = 0; c < channels; c++) colour[i * channels + c] = acc[p * channels + c] / w;
    }
  }
  return { colour, known };
}

/** numpy's round-half-to-even after a clip to [0, 255]: the uint8 the reference stores. */
export function toUint8Image(colour: Float64Array): Uint8Array {
  const out = new Uint8Array(colour.length);
  for (let i = 0; i < colour.length; i++) {
    const v = colour[i] < 0 ? 0 : colour[i] > 255 ? 255 : colour[i];
    const r = Math.round(v);
    out[i] = r - v === 0.5 && r % 2 === 1 ? r - 1 : r;
  }
  return out;
}

export interface ReferenceWarp {
  /** The warped photo, RGB uint8, 0 where not known. */
  warped: Uint8Array;
  /** 1 = known (the reference's mask2). */
  known: Uint8Array;
  flow: Float64Array;
  targetDepth: Float64Array;
}

/** forward_warp: a uint8 RGB photo with z-depth through T (camera 1 to camera 2) and K1, K2. */
export function referenceForwardWarp(
  image: Uint8Array,
  depth: ArrayLike<number>,
  width: number,
  height: number,
  T: Mat4Array,
  k1Inverse: Mat3Array,
  k2: Mat3Array,
  rule: ReferenceWarpRule,
): ReferenceWarp {
  const proj = referenceProject(depth, width, height, T, k1Inverse, k2);
  const s = referenceSplat(image, 3, width, height, proj.targetDepth, proj.flow, rule);
  return { warped: toUint8Image(s.colour), known: s.known, flow: proj.flow, targetDepth: proj.targetDepth };
}

export interface ReferenceMasks {
  /** 1 = hole, after the 5x5 dilation. */
  dilated: Uint8Array;
  /** The conditioning image: the warp with dilated holes zeroed, RGB uint8. */
  cond: Uint8Array;
  /** Hole fraction of each 8x8 block. */
  latentMean: Float64Array;
  /** 1 = hole: the block's hole fraction is >= 0.2. */
  latentHoles: Uint8Array;
}

/** The latent block and the fraction that makes it a hole (the reference's reshape(H/8, 8, W/8, 8) and 0.2). */
export const REFERENCE_LATENT_BLOCK = 8;
export const REFERENCE_LATENT_HOLE_FRACTION = 0.2;

/** The mask processing of the reference's warp loops, from forward_warp's outputs. */
export function referenceMasks(warped: Uint8Array, known: Uint8Array, width: number, height: number): ReferenceMasks {
  const B = REFERENCE_LATENT_BLOCK;
  if (width % B !== 0 || height % B !== 0)
    throw new Error(
      `reference masks: the reference pools 8x8 blocks by a reshape, so the size must be a multiple of 8 (got ${width}x${height})`,
    );
  const n = width * height;
  const raw = new Uint8Array(n);
  for (let i = 0; i < n; i++) raw[i] = known[i] ? 0 : 1;
  const dilated = dilateBox(raw, width, height, 2);
  const cond = new Uint8Array(3 * n);
  for (let i = 0; i < n; i++) if (!dilated[i]) for (let c = 0; c < 3; c++) cond[3 * i + c] = warped[3 * i + c];
  const lw = width / B;
  const lh = height / B;
  const latentMean = new Float64Array(lw * lh);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) latentMean[((y / B) | 0) * lw + ((x / B) | 0)] += dilated[y * width + x];
  for (let j = 0; j < latentMean.length; j++) latentMean[j] /= B * B;
  // The counts are whole, so the reference's mean and ours are the same float; the mask is its twin's.
  const { latentHoles } = latentHoleMask(dilated, width, height, B, REFERENCE_LATENT_HOLE_FRACTION);
  return { dilated, cond, latentMean, latentHoles };
}

/** A float RGB image in [0, 1] as the uint8 photo the reference reads. */
export function toUint8Photo(data: Float32Array): Uint8Array {
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = Math.round(Math.min(1, Math.max(0, data[i])) * 255);
  return out;
}

/**
 * One frame of a render in reference fidelity: the photo warped by the reference's rule into the
 * target camera, with its masks, as the WarpedFrame the render encodes (colours / 255).
 */
export function referenceWarpFrame(src: WarpSource, target: WarpTarget, rule: ReferenceWarpRule): WarpedFrame {
  const { width, height } = src.image;
  const tk = target.intrinsics;
  if (tk.width !== width || tk.height !== height)
    throw new Error('reference warp: the reference warps into a camera of the photo’s own size');
  const T = new Float64Array(16);
  T.set(relativeCvTransform(src.c2w, target.c2w));
  T[15] = 1;
  const w = referenceForwardWarp(
    toUint8Photo(src.image.data),
    src.depth,
    width,
    height,
    T,
    lapackInverse(referenceK(src.intrinsics), 3),
    referenceK(tk),
    rule,
  );
  const m = referenceMasks(w.warped, w.known, width, height);
  const image = new Float32Array(m.cond.length);
  for (let i = 0; i < image.length; i++) image[i] = m.cond[i] / 255;
  let holes = 0;
  for (let i = 0; i < m.dilated.length; i++) holes += m.dilated[i];
  return {
    width,
    height,
    image,
    holes: m.dilated,
    latentWidth: width / REFERENCE_LATENT_BLOCK,
    latentHeight: height / REFERENCE_LATENT_BLOCK,
    latentHoles: m.latentHoles,
    holeFraction: holes / (width * height),
  };
}

/** The far clip of the reference's disparity-to-depth: 500 for one photo, 10000 for a video. */
export const REFERENCE_DEPTH_FAR: Readonly<Record<'single' | 'video', number>> = { single: 500, video: 10000 };

/**
 * The reference pipelines' depth from a Depth Anything disparity, in float32 as numpy does it:
 * d < 1e-5 becomes 1e-5, then 10000 / d, clipped to [1e-4, far].
 */
export function referenceDepthFromDisparity(disparity: ArrayLike<number>, far: number): Float32Array {
  const f = Math.fround;
  const lo = f(1e-5);
  const near = f(1e-4);
  const out = new Float32Array(disparity.length);
  for (let i = 0; i < out.length; i++) {
    let d = f(disparity[i]);
    if (d < lo) d = lo;
    const z = f(10000 / d);
    out[i] = z < near ? near : z > far ? far : z;
  }
  return out;
}
