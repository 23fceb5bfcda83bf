/** Hole colour of the look-through preview: magenta, a colour photos rarely have, so holes read at a glance. */
export const HOLE_RGB: readonly [number, number, number] = [255, 0, 200];

/**
 * Tints hole pixels of an RGBA image in place: where the mask's red channel is >= 128 the pixel
 * becomes `amount` of HOLE_RGB over its own colour (holes are black in the warped image, so they
 * show as a dimmed magenta; a hole that still has colour keeps a trace of it).
 */
export function tintHolePixels(rgba: Uint8ClampedArray, mask: Uint8ClampedArray, amount = 0.75): number {
  let holes = 0;
  for (let i = 0; i < rgba.length; i += 4) {
    if (mask[i] < 128) continue;
    holes++;
    rgba[i] = rgba[i] * (1 - amount) + HOLE_RGB[0] * amount;
    rgba[i + 1] = rgba[i + 1] * (1 - amount) + HOLE_RGB[1] * amount;
    rgba[i + 2] = rgba[i + 2] * (1 - amount) + HOLE_RGB[2] * amount;
  }
  return holes;
}

/** Draws the warped image on `canvas` with its holes tinted. */
export function tintHoles(
  canvas: HTMLCanvasElement,
  image: CanvasImageSource,
  mask: CanvasImageSource,
  width: number,
  height: number,
): void {
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.drawImage(mask, 0, 0);
  const m = ctx.getImageData(0, 0, width, height).data;
  ctx.drawImage(image, 0, 0);
  const px = ctx.getImageData(0, 0, width, height);
  tintHolePixels(px.data, m);
  ctx.putImageData(px, 0, 0);
}
