/**
 * The engine's image type. Pixels are float32 RGB in [0, 1], interleaved (r, g, b per pixel),
 * row-major with the top row first. Float keeps 16-bit sources exact enough and lets the warp
 * accumulate colours without conversions; the buffer may be a SharedArrayBuffer so worker threads
 * read it without copies.
 *
 * Pixel convention (used by K, the resampler and the warp alike): pixel (u, v) covers the square
 * [u, u+1) x [v, v+1) and its centre is at (u + 0.5, v + 0.5). A principal point at the image
 * centre is therefore (width / 2, height / 2), as `intrinsicsFromFovY` writes it, and scaling an
 * image by s scales fx, fy, cx, cy by s exactly.
 */
export interface RgbImage {
  width: number;
  height: number;
  /** width * height * 3 values in [0, 1]. */
  data: Float32Array;
}

export function createRgbImage(width: number, height: number, shared = false): RgbImage {
  const n = width * height * 3;
  const data = shared ? new Float32Array(new SharedArrayBuffer(n * 4)) : new Float32Array(n);
  return { width, height, data };
}

/** A copy of `img` whose pixels live in a SharedArrayBuffer (for worker threads). */
export function toSharedImage(img: RgbImage): RgbImage {
  if (img.data.buffer instanceof SharedArrayBuffer) return img;
  const out = createRgbImage(img.width, img.height, true);
  out.data.set(img.data);
  return out;
}

/** PSNR in dB between two images of one size over the pixels where `use` is true (all if absent). */
export function psnr(a: RgbImage, b: RgbImage, use?: (pixel: number) => boolean): number {
  if (a.width !== b.width || a.height !== b.height) throw new Error('psnr: images differ in size');
  let se = 0;
  let n = 0;
  const np = a.width * a.height;
  for (let p = 0; p < np; p++) {
    if (use && !use(p)) continue;
    for (let c = 0; c < 3; c++) {
      const d = a.data[p * 3 + c] - b.data[p * 3 + c];
      se += d * d;
    }
    n += 3;
  }
  if (n === 0) throw new Error('psnr: no pixels to compare');
  const mse = se / n;
  return mse === 0 ? Infinity : -10 * Math.log10(mse);
}
