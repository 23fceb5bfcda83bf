/**
 * The tiny random-weight SVD of fixtures/tiny-svd (real diffusers architecture, goldens computed by
 * diffusers; see its README): paths, golden arrays and the tolerances its README gives.
 */
import path from 'node:path';
import { loadImageFile } from '../engine/image/load';
import type { RgbImage } from '../engine/image/types';
import { readNpyFile } from '../engine/npy/file';
import { REPO_ROOT } from './fixtures';

export const TINY_SVD = path.join(REPO_ROOT, 'fixtures', 'tiny-svd');
export const tinyModelDir = (dtype: 'fp32' | 'fp16') => path.join(TINY_SVD, dtype);

/** A golden array as float32, with its shape. */
export async function golden(
  name: string,
  set: 'golden' | 'golden_fp16' = 'golden',
): Promise<{ data: Float32Array; shape: number[] }> {
  const a = await readNpyFile(path.join(TINY_SVD, set, `${name}.npy`));
  return { data: Float32Array.from(a.data), shape: [...a.shape] };
}

export async function goldenImage(name: 'image' | 'clip_large'): Promise<RgbImage> {
  return (await loadImageFile(path.join(TINY_SVD, 'golden', `${name}.png`))).image;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}

/** The README's suggested tolerances (max abs). */
export const TOL = {
  fp32: { embeds: 1e-4, latent: 1e-4, denoised: 1e-4, frames: 1e-4, xSteps: 1e-3, pixels: 1e-4 },
  fp16: { embeds: 0.01, latent: 0.01, denoised: 0.05, frames: 0.03 },
} as const;

/** The golden run's settings (README: "Goldens from diffusers, float32"). */
export const GOLDEN = {
  width: 256,
  height: 128,
  frames: 14,
  steps: 4,
  fps: 7,
  motionBucketId: 127,
  noiseAugStrength: 0.02,
  minGuidance: 1,
  maxGuidance: 3,
  decodeChunk: 8,
  denoiseSigma: 5,
} as const;
