/** Live previews: the engine sends RGB24 frames; canvases want RGBA. */

/** RGB24 pixels to RGBA with opaque alpha; refuses a buffer of the wrong size. */
export function rgbToRgba(rgb: Uint8Array, width: number, height: number, out?: Uint8ClampedArray): Uint8ClampedArray {
  const n = width * height;
  if (rgb.length !== n * 3)
    throw new Error(`A ${width}x${height} preview needs ${n * 3} RGB bytes, got ${rgb.length}.`);
  const rgba = out && out.length === n * 4 ? out : new Uint8ClampedArray(n * 4);
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    const k = i * 4;
    rgba[k] = rgb[j];
    rgba[k + 1] = rgb[j + 1];
    rgba[k + 2] = rgb[j + 2];
    rgba[k + 3] = 255;
  }
  return rgba;
}

/** The frame shown at time `ms` when a preview of `count` frames loops at `fps`. */
export function frameAt(ms: number, fps: number, count: number): number {
  if (count <= 0) return 0;
  const f = Math.floor((Math.max(0, ms) * Math.max(0.1, fps)) / 1000);
  return f % count;
}
