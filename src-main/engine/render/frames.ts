import type { RgbImage } from '../image/types';

/** Float RGB [0,1] -> RGB24, rounding to nearest. */
export function toRgb24(img: RgbImage): Uint8Array {
  const out = new Uint8Array(img.width * img.height * 3);
  const d = img.data;
  for (let i = 0; i < out.length; i++) {
    const v = d[i];
    out[i] = v <= 0 ? 0 : v >= 1 ? 255 : Math.round(v * 255);
  }
  return out;
}

/** Small RGB24 thumbnails of finished frames (nearest pixel), for the queue's live preview. */
export function previewThumbs(
  frames: Uint8Array[],
  width: number,
  height: number,
  maxSide = Infinity,
): { width: number; height: number; frames: Uint8Array[] } {
  const stride = Math.max(1, Math.ceil(Math.max(width, height) / maxSide));
  const w = Math.ceil(width / stride),
    h = Math.ceil(height / stride);
  return {
    width: w,
    height: h,
    frames: frames.map((f) => {
      const out = new Uint8Array(w * h * 3);
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
          const s = (y * stride * width + x * stride) * 3,
            d = (y * w + x) * 3;
          out[d] = f[s];
          out[d + 1] = f[s + 1];
          out[d + 2] = f[s + 2];
        }
      return out;
    }),
  };
}
