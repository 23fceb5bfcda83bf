import { stretchPlacement } from '../image/fit';
import { resampleImage } from '../image/resample';
import type { RgbImage } from '../image/types';

/**
 * The Depth Anything V2 ONNX contract, pure parts: input `pixel_values` [1, 3, H, W] float32 with
 * H and W multiples of the ViT patch (14) and ImageNet normalisation; output `predicted_depth`
 * [1, H, W], relative disparity (larger = nearer). As in the reference preprocessing the photo is
 * resized keeping its aspect so the shorter side is 518, each side rounded to a multiple of 14.
 */
export const DEPTH_MODEL_INPUT = 'pixel_values';
export const DEPTH_MODEL_OUTPUT = 'predicted_depth';
export const DEPTH_MODEL_PATCH = 14;
export const DEPTH_MODEL_SHORT_SIDE = 518;
export const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
export const IMAGENET_STD = [0.229, 0.224, 0.225] as const;

export function depthModelInputSize(
  width: number,
  height: number,
  shortSide = DEPTH_MODEL_SHORT_SIDE,
): { width: number; height: number } {
  const s = shortSide / Math.min(width, height);
  const round14 = (v: number) => Math.max(DEPTH_MODEL_PATCH, Math.round(v / DEPTH_MODEL_PATCH) * DEPTH_MODEL_PATCH);
  return { width: round14(width * s), height: round14(height * s) };
}

/** The photo resized (stretched) to the model size and normalised, as an NCHW float32 tensor. */
export function toPixelValues(img: RgbImage, size: { width: number; height: number }): Float32Array {
  const r = resampleImage(img, stretchPlacement(img.width, img.height, size.width, size.height));
  const n = size.width * size.height;
  const out = new Float32Array(3 * n);
  for (let c = 0; c < 3; c++) {
    const m = IMAGENET_MEAN[c];
    const s = IMAGENET_STD[c];
    for (let p = 0; p < n; p++) out[c * n + p] = (r.data[p * 3 + c] - m) / s;
  }
  return out;
}
