import { DEFAULT_MAX_PIXELS } from '../image/load';
import { CamtrackError } from '../util/errors';
import { LIMITS } from '../util/limits';

/** Depth maps are capped like photos (image/load.ts): a larger one is refused before it is decoded. */
export const MAX_DEPTH_PIXELS = DEFAULT_MAX_PIXELS;

/**
 * Longest side of a depth map. A header of 50,000,000 x 2 pixels is under the pixel cap, but sharp
 * spends seconds on its rows before it finds the file holds no pixels; no depth map is that long.
 */
export const MAX_DEPTH_SIDE = LIMITS.imageSide;

export function checkDepthPixels(name: string, width: number, height: number): void {
  if (width > MAX_DEPTH_SIDE || height > MAX_DEPTH_SIDE)
    throw new CamtrackError(
      'bad-file',
      `${name} is ${width}x${height} pixels; a depth map may be at most ${MAX_DEPTH_SIDE} pixels on a side.`,
    );
  if (width * height > MAX_DEPTH_PIXELS)
    throw new CamtrackError(
      'bad-file',
      `${name} is ${width}x${height} (${((width * height) / 1e6).toFixed(1)} megapixels), above the limit of ${(MAX_DEPTH_PIXELS / 1e6).toFixed(0)} megapixels. Downscale it first.`,
    );
}
