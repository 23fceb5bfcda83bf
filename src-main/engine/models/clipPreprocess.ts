/**
 * The image encoder's input exactly as diffusers' StableVideoDiffusionPipeline._encode_image makes
 * it (docs/design.md, "The model contract"): RGB in [0,1] -> x*2-1 -> `_resize_with_antialiasing` to 224x224 (a
 * separable Gaussian blur with reflect padding, then torch's bicubic interpolation with
 * align_corners=True, cubic a = -0.75) -> (x+1)/2 -> CLIP normalisation (x - mean) / std, planar
 * [3][224][224]. Pure; float32 storage between the passes, as torch computes it.
 */
import type { RgbImage } from '../image/types';

export const CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073] as const;
export const CLIP_STD = [0.26862954, 0.26130258, 0.27577711] as const;
export const CLIP_SIZE = 224;

/** diffusers' blur for one axis of a resize from `from` to `to` pixels: sigma and the odd kernel size. */
export function antialiasKernel(from: number, to: number): { sigma: number; size: number } {
  const sigma = Math.max((from / to - 1) / 2, 0.001);
  let size = Math.trunc(Math.max(2 * 2 * sigma, 3));
  if (size % 2 === 0) size += 1;
  return { sigma, size };
}

/** The normalised Gaussian taps (kornia's `_gaussian`: x = i - size//2, exp(-x^2 / (2 sigma^2))). */
export function gaussianTaps(size: number, sigma: number): Float32Array {
  const f = Math.fround;
  const s2 = f(2 * f(sigma * sigma));
  const taps = new Float32Array(size);
  let sum = 0;
  for (let i = 0; i < size; i++) {
    const x = i - Math.floor(size / 2);
    taps[i] = f(Math.exp(-f(x * x) / s2));
    sum += taps[i];
  }
  for (let i = 0; i < size; i++) taps[i] = f(taps[i] / sum);
  return taps;
}

/** torch's 'reflect' padding index: mirror about the edge pixel, which is not repeated. */
function reflect(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let k = ((i % period) + period) % period;
  if (k >= n) k = period - k;
  return k;
}

/** Correlates every plane of `src` ([planes][h][w]) with `taps` along x or y, reflect-padded. */
function blurAxis(
  src: Float32Array,
  planes: number,
  h: number,
  w: number,
  taps: Float32Array,
  axis: 'x' | 'y',
): Float32Array {
  const out = new Float32Array(src.length);
  const r = (taps.length - 1) >> 1;
  const n = axis === 'x' ? w : h;
  const idx = new Int32Array(n + 2 * r);
  for (let i = 0; i < idx.length; i++) idx[i] = reflect(i - r, n);
  for (let p = 0; p < planes; p++) {
    const base = p * h * w;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let acc = 0;
        if (axis === 'x') for (let k = 0; k < taps.length; k++) acc += taps[k] * src[base + y * w + idx[x + k]];
        else for (let k = 0; k < taps.length; k++) acc += taps[k] * src[base + idx[y + k] * w + x];
        out[base + y * w + x] = acc;
      }
    }
  }
  return out;
}

const A = -0.75;
const cubic1 = (x: number) => ((A + 2) * x - (A + 3)) * x * x + 1;
const cubic2 = (x: number) => ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;

/** Source indices (clamped) and the 4 cubic weights of each output position, align_corners=True. */
function cubicTable(inSize: number, outSize: number): { index: Int32Array; weight: Float64Array } {
  const scale = outSize > 1 ? Math.fround((inSize - 1) / (outSize - 1)) : 0;
  const index = new Int32Array(outSize * 4);
  const weight = new Float64Array(outSize * 4);
  for (let o = 0; o < outSize; o++) {
    const real = Math.fround(scale * o);
    const i0 = Math.floor(real);
    const t = Math.min(Math.max(real - i0, 0), 1);
    const ws = [cubic2(t + 1), cubic1(t), cubic1(1 - t), cubic2(2 - t)];
    for (let k = 0; k < 4; k++) {
      index[o * 4 + k] = Math.min(Math.max(i0 - 1 + k, 0), inSize - 1);
      weight[o * 4 + k] = ws[k];
    }
  }
  return { index, weight };
}

/** torch.nn.functional.interpolate(mode='bicubic', align_corners=True) of each plane. */
function bicubic(src: Float32Array, planes: number, h: number, w: number, outH: number, outW: number): Float32Array {
  const tx = cubicTable(w, outW);
  const ty = cubicTable(h, outH);
  const out = new Float32Array(planes * outH * outW);
  for (let p = 0; p < planes; p++) {
    const base = p * h * w;
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        let acc = 0;
        for (let ky = 0; ky < 4; ky++) {
          const row = base + ty.index[oy * 4 + ky] * w;
          let r = 0;
          for (let kx = 0; kx < 4; kx++) r += tx.weight[ox * 4 + kx] * src[row + tx.index[ox * 4 + kx]];
          acc += ty.weight[oy * 4 + ky] * r;
        }
        out[(p * outH + oy) * outW + ox] = acc;
      }
    }
  }
  return out;
}

/** diffusers' `_resize_with_antialiasing` of planar [planes][h][w] values to outH x outW. */
export function resizeWithAntialiasing(
  src: Float32Array,
  planes: number,
  h: number,
  w: number,
  outH: number,
  outW: number,
): Float32Array {
  const ky = antialiasKernel(h, outH);
  const kx = antialiasKernel(w, outW);
  const blurredX = blurAxis(src, planes, h, w, gaussianTaps(kx.size, kx.sigma), 'x');
  const blurred = blurAxis(blurredX, planes, h, w, gaussianTaps(ky.size, ky.sigma), 'y');
  return bicubic(blurred, planes, h, w, outH, outW);
}

/** The image encoder's pixel_values for an RGB image, planar [3][224][224]. */
export function clipPixels(img: RgbImage): Float32Array {
  const n = img.width * img.height;
  const planar = new Float32Array(3 * n);
  for (let p = 0; p < n; p++) for (let c = 0; c < 3; c++) planar[c * n + p] = img.data[p * 3 + c] * 2 - 1;
  const small = resizeWithAntialiasing(planar, 3, img.height, img.width, CLIP_SIZE, CLIP_SIZE);
  const m = CLIP_SIZE * CLIP_SIZE;
  for (let c = 0; c < 3; c++) {
    const mean = CLIP_MEAN[c];
    const std = CLIP_STD[c];
    for (let i = c * m; i < (c + 1) * m; i++) small[i] = ((small[i] + 1) / 2 - mean) / std;
  }
  return small;
}
