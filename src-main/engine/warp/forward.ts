import { relativeCvTransform, type Intrinsics, type Mat4 } from '../camera/conventions';
import type { RgbImage } from '../image/types';

/**
 * Forward warping of one photo with depth into another camera (DESIGN.md section 4), after the
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
const SNAP = 1e-6;
const SOFT_Z = 50;
/** The reference clips the target depth to [0, 5000] before the log. */
const Z_CLAMP = 5000;

/**
 * A source checked for warping. The soft z-buffer depends on the target, so nothing per pixel is
 * precomputed; `maxLog`, when set, fixes its scale (sources fused into one frame share one).
 */
export interface PreparedSource extends WarpSource {
  maxLog?: number;
}

/** max log(1 + z) over the pixels with depth (z clamped to 5000): a scale sources can share. */
export function depthMaxLog(depth: Float32Array): number {
  let maxLog = 0;
  for (let i = 0; i < depth.length; i++) {
    const z = depth[i];
    if (z > 0) {
      const l = Math.log1p(z < Z_CLAMP ? z : Z_CLAMP);
      if (l > maxLog) maxLog = l;
    }
  }
  return maxLog;
}

/**
 * `sharedMaxLog` unset: each frame's scale is the max over this source's target depths (the
 * reference's single view). Sources splatted into one frame pass one shared scale instead, or
 * their soft z-buffer factors would not compare (engine/sources).
 */
export function prepareSource(src: WarpSource, sharedMaxLog?: number): PreparedSource {
  const { width, height } = src.image;
  const n = width * height;
  if (src.depth.length !== n) throw new Error(`warp: depth has ${src.depth.length} values for a ${width}x${height} image`);
  if (src.intrinsics.width !== width || src.intrinsics.height !== height) throw new Error('warp: source intrinsics are for another size');
  return sharedMaxLog === undefined ? src : { ...src, maxLog: sharedMaxLog };
}

/**
 * Reusable accumulators (5 float64 per target pixel: r, g, b, weight, coverage), so a worker warping
 * many frames does not allocate and zero 20+ MB for each.
 */
let scratch = new Float64Array(0);
/** Target depth of each source pixel (0 = no point), per splat. */
let targetZ = new Float64Array(0);
/** Soft z-buffer weight of each source pixel with a point, per splat. */
let weights = new Float64Array(0);
/** Weighted target z per pixel, with `withDepth`. */
let zScratch = new Float64Array(0);

export function warpFrame(src: PreparedSource, target: WarpTarget, options: WarpOptions = {}): WarpedFrame {
  const acc = clearedAccumulator(target);
  const zacc = options.withDepth ? clearedDepthAccumulator(target) : undefined;
  splatSource(src, target, acc, 1, zacc);
  return resolveFrame(acc, target, options, zacc);
}

/** The shared depth accumulator (weighted target z per pixel), zeroed for `target`; see warpFrame's withDepth. */
export function clearedDepthAccumulator(target: WarpTarget): Float64Array {
  const tn = target.intrinsics.width * target.intrinsics.height;
  if (zScratch.length < tn) zScratch = new Float64Array(tn);
  else zScratch.fill(0, 0, tn);
  return zScratch;
}

/**
 * The shared accumulator, zeroed for `target`: 5 float64 per pixel (r, g, b, weight, coverage).
 * Valid until the next call; several sources may be splatted into it before resolveFrame.
 */
export function clearedAccumulator(target: WarpTarget): Float64Array {
  const tn = target.intrinsics.width * target.intrinsics.height;
  if (scratch.length < tn * 5) scratch = new Float64Array(tn * 5);
  else scratch.fill(0, 0, tn * 5);
  return scratch;
}

/**
 * Splats one prepared source into `acc` (see warpFrame). `blend` scales this source's colour
 * weights (not its coverage): 1 for a single view; engine/sources gives a source nearer the target
 * camera more say where several see the same surface. `zacc`, when given, sums each splat's
 * target z times its colour weight (resolveFrame turns it into the pixel's depth).
 */
export function splatSource(src: PreparedSource, target: WarpTarget, acc: Float64Array, blend = 1, zacc?: Float64Array): void {
  const sw = src.image.width;
  const sh = src.image.height;
  const tw = target.intrinsics.width;
  const th = target.intrinsics.height;

  const T = relativeCvTransform(src.c2w, target.c2w);
  const r00 = T[0], r01 = T[1], r02 = T[2], t0 = T[3];
  const r10 = T[4], r11 = T[5], r12 = T[6], t1 = T[7];
  const r20 = T[8], r21 = T[9], r22 = T[10], t2 = T[11];
  const sk = src.intrinsics;
  const tk = target.intrinsics;
  const fx = tk.fx, fy = tk.fy;
  // Target pixel-index coordinates: the centre of pixel i is at i + 0.5 in K's coordinates.
  const cx = tk.cx - 0.5, cy = tk.cy - 0.5;
  const rayX = new Float64Array(sw);
  for (let u = 0; u < sw; u++) rayX[u] = (u + 0.5 - sk.cx) / sk.fx;
  const depth = src.depth;
  const rgb = src.image.data;
  const maxX = tw - 1, maxY = th - 1;
  const sn = sw * sh;
  if (targetZ.length < sn) targetZ = new Float64Array(sn);
  const zt = targetZ;

  // Pass 1: each point's depth in the target camera (0 = no point, or behind it), and the largest.
  let maxZ = 0;
  for (let v = 0; v < sh; v++) {
    const b2 = r21 * ((v + 0.5 - sk.cy) / sk.fy) + r22;
    const row = v * sw;
    for (let u = 0; u < sw; u++) {
      const i = row + u;
      const z = depth[i];
      const Z = z > 0 ? z * (r20 * rayX[u] + b2) + t2 : 0;
      if (Z > Z_EPSILON) {
        zt[i] = Z;
        if (Z > maxZ) maxZ = Z;
      } else zt[i] = 0;
    }
  }
  // Soft z-buffer weight exp(-50 log(1 + Z) / maxLog) = (1 + Z)^k, in a tight loop of its own:
  // inside the splat loop below the Math.exp/log1p calls cost V8 about 10x their own time.
  const maxLog = src.maxLog ?? Math.log1p(maxZ < Z_CLAMP ? maxZ : Z_CLAMP);
  const k = maxLog > 0 ? -SOFT_Z / maxLog : 0;
  if (weights.length < sn) weights = new Float64Array(sn);
  const zw = weights;
  for (let i = 0; i < sn; i++) {
    const Z = zt[i];
    if (Z !== 0) zw[i] = Math.exp(k * Math.log1p(Z < Z_CLAMP ? Z : Z_CLAMP));
  }

  for (let v = 0; v < sh; v++) {
    const ry = (v + 0.5 - sk.cy) / sk.fy;
    // Rotated ray = column0 * rx + (column1 * ry + column2): the bracket is per row.
    const b0 = r01 * ry + r02, b1 = r11 * ry + r12;
    const row = v * sw;
    for (let u = 0; u < sw; u++) {
      const i = row + u;
      const Z = zt[i];
      if (Z === 0) continue;
      const z = depth[i];
      const rx = rayX[u];
      const iz = 1 / Z;
      let px = fx * (z * (r00 * rx + b0) + t0) * iz + cx;
      let py = fy * (z * (r10 * rx + b1) + t1) * iz + cy;
      if (!(px > -1 && px < tw && py > -1 && py < th)) continue;
      let x0 = Math.floor(px), y0 = Math.floor(py);
      let ax = px - x0, ay = py - y0;
      // Snap onto a pixel centre within SNAP: exact weights 1 and 0.
      if (ax < SNAP) ax = 0;
      else if (ax > 1 - SNAP) { ax = 0; x0++; }
      if (ay < SNAP) ay = 0;
      else if (ay > 1 - SNAP) { ay = 0; y0++; }
      const w = zw[i] * blend;
      const c3 = i * 3;
      const cr = rgb[c3] * w, cg = rgb[c3 + 1] * w, cb = rgb[c3 + 2] * w;
      const bx0 = 1 - ax, by0 = 1 - ay;
      // Four neighbours; a zero bilinear weight adds nothing, so it is skipped (exact identity).
      if (y0 >= 0 && y0 <= maxY) {
        let j = (y0 * tw + x0) * 5;
        if (x0 >= 0 && x0 <= maxX) {
          const b = bx0 * by0;
          acc[j] += b * cr; acc[j + 1] += b * cg; acc[j + 2] += b * cb; acc[j + 3] += b * w; acc[j + 4] += b;
          if (zacc) zacc[j / 5] += b * w * Z;
        }
        if (ax > 0 && x0 < maxX) {
          const b = ax * by0;
          j += 5;
          acc[j] += b * cr; acc[j + 1] += b * cg; acc[j + 2] += b * cb; acc[j + 3] += b * w; acc[j + 4] += b;
          if (zacc) zacc[j / 5] += b * w * Z;
        }
      }
      if (ay > 0 && y0 < maxY) {
        let j = ((y0 + 1) * tw + x0) * 5;
        if (x0 >= 0 && x0 <= maxX) {
          const b = bx0 * ay;
          acc[j] += b * cr; acc[j + 1] += b * cg; acc[j + 2] += b * cb; acc[j + 3] += b * w; acc[j + 4] += b;
          if (zacc) zacc[j / 5] += b * w * Z;
        }
        if (ax > 0 && x0 < maxX) {
          const b = ax * ay;
          j += 5;
          acc[j] += b * cr; acc[j + 1] += b * cg; acc[j + 2] += b * cb; acc[j + 3] += b * w; acc[j + 4] += b;
          if (zacc) zacc[j / 5] += b * w * Z;
        }
      }
    }
  }
}

/** Colours, holes (dilated), the latent hole mask and the hole fraction from a filled accumulator. */
export function resolveFrame(acc: Float64Array, target: WarpTarget, options: WarpOptions = {}, zacc?: Float64Array): WarpedFrame {
  const coverageThreshold = options.coverageThreshold ?? 0.01;
  const tw = target.intrinsics.width;
  const th = target.intrinsics.height;
  const tn = tw * th;
  // One pass over the accumulators: raw holes, and colours everywhere else; hole pixels after
  // dilation are zeroed afterwards (they are few).
  const raw = new Uint8Array(tn);
  const image = new Float32Array(tn * 3);
  for (let j = 0, k = 0; j < tn; j++, k += 5) {
    const w = acc[k + 3];
    if (acc[k + 4] < coverageThreshold || !(w > 0)) {
      raw[j] = 1;
      continue;
    }
    const inv = 1 / w;
    image[j * 3] = acc[k] * inv;
    image[j * 3 + 1] = acc[k + 1] * inv;
    image[j * 3 + 2] = acc[k + 2] * inv;
  }
  const holes = dilateBox(raw, tw, th, options.dilateRadius ?? 2);
  let holeCount = 0;
  for (let j = 0; j < tn; j++) {
    if (holes[j]) {
      holeCount++;
      image[j * 3] = 0;
      image[j * 3 + 1] = 0;
      image[j * 3 + 2] = 0;
    }
  }
  const latent = latentHoleMask(holes, tw, th, options.latentBlock ?? 8, options.latentHoleFraction ?? 0.2);
  const frame: WarpedFrame = { width: tw, height: th, image, holes, ...latent, holeFraction: holeCount / tn };
  if (zacc) {
    const z = new Float32Array(tn);
    for (let j = 0; j < tn; j++) if (!holes[j]) z[j] = zacc[j] / acc[j * 5 + 3];
    frame.depth = z;
  }
  return frame;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** A pixel is a hole when any pixel of the (2r+1)^2 box around it is; outside the image is not a hole. */
export function dilateBox(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  if (radius <= 0) return mask.slice();
  if (radius === 2 && width % 4 === 0 && LITTLE_ENDIAN && mask.byteOffset % 4 === 0) return dilate5x5Words(mask, width, height);
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
        tmp[o + i] = cur | (cur << 8) | (cur << 16) | (cur >>> 8) | (cur >>> 16) | (prev >>> 16) | (prev >>> 24) | (next << 16) | (next << 24);
      }
      prev = cur;
      cur = next;
    }
  }
  const out = new Uint8Array(width * height);
  const dst = new Uint32Array(out.buffer);
  for (let y = 0; y < height; y++) {
    const lo = Math.max(0, y - 2), hi = Math.min(height - 1, y + 2);
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
