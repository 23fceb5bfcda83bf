import { DEFAULT_MAX_PIXELS } from '../image/load';
import { CamtrackError } from '../util/errors';

/** Depth maps are capped like photos (image/load.ts): a larger one is refused before it is decoded. */
export const MAX_DEPTH_PIXELS = DEFAULT_MAX_PIXELS;

export function checkDepthPixels(name: string, width: number, height: number): void {
  if (width * height > MAX_DEPTH_PIXELS)
    throw new CamtrackError('bad-file', `${name} is ${width}x${height} (${((width * height) / 1e6).toFixed(1)} megapixels), above the limit of ${(MAX_DEPTH_PIXELS / 1e6).toFixed(0)} megapixels. Downscale it first.`);
}
