import { relativeCvTransform, type Intrinsics, type Mat4 } from '../geometry/conventions';
import type { RgbImage } from '../image/types';
import { splatKernel } from '../kernels/splatKernel';

/**
 * Forward warping of one photo with depth into another camera (docs/design.md, "Warping"), after the
 * NVS-Solver reference's bilinear splatting:
 *  - every source pixel with depth is unprojected through its centre (u + 0.5, v + 0.5) with the
 *    source K (OpenCV axes), moved by relativeCvTransform(source.c2w, target.c2w) and projected
 *    with the target K; points with z <= Z_EPSILON (behind or at the camera) are dropped;
 *  - its colour is splatted onto the 4 target pixels around it with bilinear weights divided by
 *    exp(50 * log(1 + z) / max log(1 + z)), z the point's depth in the TARGET camera clamped to
 *    [0, 5000] and the max taken over every point of the source in front of the target camera (in
 *    view or not), as the reference's bilinear_splatting does with trans_depth1: a soft z-buffer
 *    in which the point nearer to the camera that sees it wins (ordering by source depth gets it
 *    wrong when the camera turns: two points on one target ray can be in the opposite order);
 *  - colours are normalised by the accumulated weight. A pixel is a hole when the sum of the
 *    plain bilinear weights it received (its coverage) is below `coverageThreshold`: the soft
 *    z-buffer factor spans e^-50..1 and says nothing about coverage, so it is kept out of the test;
 *  - holes are dilated by a (2r+1)^2 box (5x5), hole pixels are zeroed, and a latent element
 *    (8x8 block) is a hole when at least 0.2 of its pixels are.
 * A projection within 1e-6 px of a pixel centre is snapped onto it, so a point that lands on a
 * pixel gives weight exactly 1 there and 0 elsewhere: the identity warp reproduces the photo
 * bit for bit with no holes.
 */
export interface WarpSource {
  image: RgbImage;
  /** z-depth along the optical axis, width * height; 0 marks a pixel without depth. */
  depth: Float32Array;
  intrinsics: Intrinsics;
  c2w: Mat4;
}

export interface WarpTarget {
  intrinsics: Intrinsics;
  c2w: Mat4;
}

export interface WarpOptions {
  /** Minimum splat coverage of a valid pixel (default 0.01; the reference keeps any weight > 0). */
  coverageThreshold?: number;
  /** Hole dilation radius: 2 gives the reference's 5x5 box. */
  dilateRadius?: number;
  /** Latent downsampling (8) and the hole fraction that makes a latent element a hole (0.2). */
  latentBlock?: number;
  latentHoleFraction?: number;
  /** Also return each target pixel's depth (its splats' z in the target camera, averaged like colour). */
  withDepth?: boolean;
}

export interface WarpedFrame {
  width: number;
  height: number;
  /** RGB float32 in [0, 1], holes zeroed. */
  image: Float32Array;
  /** 1 = hole (after dilation), width * height. */
  holes: Uint8Array;
  latentWidth: number;
  latentHeight: number;
  /** 1 = hole, latentWidth * latentHeight. */
  latentHoles: Uint8Array;
  /** Fraction of pixels that are holes (after dilation). */
  holeFraction: number;
  /** Target-camera z per pixel (0 in holes), with `withDepth`. */
  depth?: Float32Array;
}

export const Z_EPSILON = 1e-6;
/** The reference clips the target depth to [0, 5000] before the log. */
const Z_CLAMP = 5000;

/**
 * A source checked for warping. The soft z-buffer depends on the target, so nothing per pixel is
 * precomputed; `maxLog`, when set, fixes its scale (sources fused into one frame share one).
 */
export interface PreparedSource extends WarpSource {
  maxLog?: number;
}

/** The soft z-buffer's scale for a farthest depth z: log(1 + z), z clamped to 5000. */
export function softZScale(z: number): number {
  return Math.log1p(z < Z_CLAMP ? z : Z_CLAMP);
}

/** The scale of the farthest pixel with depth: one that sources fused into a frame can share. */
export function depthMaxLog(depth: Float32Array): number {
  let maxZ = 0;
  for (let i = 0; i < depth.length; i++) if (depth[i] > maxZ) maxZ = depth[i];
  return softZScale(maxZ);
}

/**
 * `sharedMaxLog` unset: each frame's scale is the max over this source's target depths (the
 * reference's single view). Sources splatted into one frame pass one shared scale instead, or
 * their soft z-buffer factors would not compare (engine/sources).
 */
export function prepareSource(src: WarpSource, sharedMaxLog?: number): PreparedSource {
  checkWarpSource(src);
  return sharedMaxLog === undefined ? src : { ...src, maxLog: sharedMaxLog };
}

/** A source's depth and intrinsics must be for its image's size (either warp); returns its pixel count. */
export function checkWarpSource(src: WarpSource): number {
  const { width, height } = src.image;
  const n = width * height;
  if (src.depth.length !== n)
    throw new Error(`warp: depth has ${src.depth.length} values for a ${width}x${height} image`);
  if (src.intrinsics.width !== width || src.intrinsics.height !== height)
    throw new Error('warp: source intrinsics are for another size');
  return n;
}

/**
 * The frame being made: its target and whether target depth is accumulated too. The sums live in
 * this thread's splat kernel (kernels/splatKernel.ts), so only one accumulation is open at a time:
 * beginAccumulation, splatSource for each source, then resolveFrame.
 */
export interface Accumulation {
  readonly target: WarpTarget;
  readonly withDepth: boolean;
}

export function warpFrame(src: PreparedSource, target: WarpTarget, options: WarpOptions = {}): WarpedFrame {
  const acc = beginAccumulation(target, options.withDepth ?? false);
  splatSource(src, acc, 1);
  return resolveFrame(acc, options);
}

/** Zeroed accumulators for `target` (r, g, b, weight, coverage per pixel, and weighted z with `withDepth`). */
export function beginAccumulation(target: WarpTarget, withDepth: boolean): Accumulation {
  splatKernel().begin(target.intrinsics.width * target.intrinsics.height, withDepth);
  return { target, withDepth };
}

/**
 * Splats one prepared source into the open accumulation (see the top of this file; the loops run
 * in a WebAssembly kernel, kernels/assembly/splat.ts). `blend` scales this source's colour weights
 * (not its coverage): 1 for a single view; engine/sources gives a source nearer the target camera
 * more say where several see the same surface.
 */
export function splatSource(src: PreparedSource, acc: Accumulation, blend = 1): void {
  const T = relativeCvTransform(src.c2w, acc.target.c2w);
  const { maxLog } = src;
  // Without a shared scale, the farthest point in front of the target camera sets it (the reference's single view).
  const scale = maxLog === undefined ? softZScale : () => maxLog;
  splatKernel().splat(src.image.data, src.depth, src.intrinsics, T, acc.target.intrinsics, blend, scale, acc.withDepth);
}

/** Colours, holes (dilated), the latent hole mask and the hole fraction from a filled accumulator. */
export function resolveFrame(accumulation: Accumulation, options: WarpOptions = {}): WarpedFrame {
  const { width, height } = accumulation.target.intrinsics;
  const kernel = splatKernel();
  const raw = kernel.resolveColours(options.coverageThreshold ?? 0.01);
  return finishFrame(raw, width, height, options, (holes) => kernel.applyHoles(holes, accumulation.withDepth));
}

/**
 * A warped frame from its raw holes, for either warp: the holes dilated, the colours (and depth)
 * zeroed in them by `applyHoles`, and the latent hole mask.
 */
export function finishFrame(
  raw: Uint8Array,
  width: number,
  height: number,
  options: WarpOptions,
  applyHoles: (holes: Uint8Array) => { image: Float32Array; holeCount: number; depth?: Float32Array },
): WarpedFrame {
  const holes = dilateBox(raw, width, height, options.dilateRadius ?? 2);
  const { image, holeCount, depth } = applyHoles(holes);
  const latent = latentHoleMask(holes, width, height, options.latentBlock ?? 8, options.latentHoleFraction ?? 0.2);
  const frame: WarpedFrame = { width, height, image, holes, ...latent, holeFraction: holeCount / (width * height) };
  if (depth) frame.depth = depth;
  return frame;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** A pixel is a hole when any pixel of the (2r+1)^2 box around it is; outside the image is not a hole. */
export function dilateBox(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  if (radius <= 0) return mask.slice();
  if (radius === 2 && width % 4 === 0 && LITTLE_ENDIAN && mask.byteOffset % 4 === 0)
    return dilate5x5Words(mask, width, height);
  const tmp = new Uint8Array(mask.length);
  // Horizontal pass with a running count of holes in the window.
  for (let y = 0; y < height; y++) {
    const o = y * width;
    let count = 0;
    for (let x = 0; x < Math.min(radius, width); x++) count += mask[o + x];
    for (let x = 0; x < width; x++) {
      if (x + radius < width) count += mask[o + x + radius];
      if (x - radius - 1 >= 0) count -= mask[o + x - radius - 1];
      tmp[o + x] = count > 0 ? 1 : 0;
    }
  }
  // Vertical pass row by row (contiguous memory), with a running count per column.
  const out = new Uint8Array(mask.length);
  const count = new Int32Array(width);
  for (let y = 0; y < Math.min(radius, height); y++) for (let x = 0; x < width; x++) count[x] += tmp[y * width + x];
  for (let y = 0; y < height; y++) {
    if (y + radius < height) {
      const o = (y + radius) * width;
      for (let x = 0; x < width; x++) count[x] += tmp[o + x];
    }
    if (y - radius - 1 >= 0) {
      const o = (y - radius - 1) * width;
      for (let x = 0; x < width; x++) count[x] -= tmp[o + x];
    }
    const o = y * width;
    for (let x = 0; x < width; x++) out[o + x] = count[x] > 0 ? 1 : 0;
  }
  return out;
}

/**
 * The 5x5 case on 32-bit words, 4 pixels (bytes of 0 or 1) at a time: OR of byte shifts within a
 * word and from its neighbours across the row, then OR of 5 rows. Little-endian: byte k of a word
 * is pixel 4i + k, so `<< 8` moves each pixel one to the right.
 */
function dilate5x5Words(mask: Uint8Array, width: number, height: number): Uint8Array {
  const wpr = width >> 2;
  const src = new Uint32Array(mask.buffer, mask.byteOffset, (width * height) >> 2);
  const tmp = new Uint32Array(wpr * height);
  for (let y = 0; y < height; y++) {
    const o = y * wpr;
    let prev = 0;
    let cur = src[o];
    for (let i = 0; i < wpr; i++) {
      const next = i + 1 < wpr ? src[o + i + 1] : 0;
      if ((prev | cur | next) !== 0) {
        tmp[o + i] =
          cur |
          (cur << 8) |
          (cur << 16) |
          (cur >>> 8) |
          (cur >>> 16) |
          (prev >>> 16) |
          (prev >>> 24) |
          (next << 16) |
          (next << 24);
      }
      prev = cur;
      cur = next;
    }
  }
  const out = new Uint8Array(width * height);
  const dst = new Uint32Array(out.buffer);
  for (let y = 0; y < height; y++) {
    const lo = Math.max(0, y - 2),
      hi = Math.min(height - 1, y + 2);
    const o = y * wpr;
    for (let i = 0; i < wpr; i++) {
      let v = 0;
      for (let r = lo; r <= hi; r++) v |= tmp[r * wpr + i];
      dst[o + i] = v;
    }
  }
  return out;
}

/** Latent-resolution mask: a block (partial at the edges) is a hole when >= `fraction` of its pixels are. */
export function latentHoleMask(holes: Uint8Array, width: number, height: number, block: number, fraction: number) {
  const lw = Math.ceil(width / block);
  const lh = Math.ceil(height / block);
  const counts = new Int32Array(lw * lh);
  for (let y = 0; y < height; y++) {
    const ly = ((y / block) | 0) * lw;
    const row = y * width;
    for (let bx = 0, x = 0; bx < lw; bx++) {
      const end = Math.min(width, x + block);
      let c = 0;
      for (; x < end; x++) c += holes[row + x];
      counts[ly + bx] += c;
    }
  }
  const latentHoles = new Uint8Array(lw * lh);
  for (let by = 0; by < lh; by++) {
    const bh = Math.min(block, height - by * block);
    for (let bx = 0; bx < lw; bx++) {
      const bw = Math.min(block, width - bx * block);
      latentHoles[by * lw + bx] = counts[by * lw + bx] >= fraction * bw * bh ? 1 : 0;
    }
  }
  return { latentWidth: lw, latentHeight: lh, latentHoles };
}
