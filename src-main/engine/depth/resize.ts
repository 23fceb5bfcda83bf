import type { Placement } from '../image/fit';
import { CamtrackError } from '../util/errors';
import type { DepthMap } from './types';

export type DepthResize = 'bilinear' | 'nearest';

/**
 * Resamples a depth map onto a placement's grid (the same placement the photo went through, so
 * depth and colour stay registered). 'bilinear' interpolates among the valid ones of the 4
 * neighbours only, renormalised, and leaves a pixel without depth when less than half of its
 * interpolation weight is valid: no depth is ever blended with "no depth". 'nearest' copies.
 * Pixels outside the source (pad bars) have no depth.
 */
export function resizeDepth(src: DepthMap, p: Placement, mode: DepthResize = 'bilinear'): DepthMap {
  if (src.width !== p.srcWidth || src.height !== p.srcHeight)
    throw new Error('resizeDepth: placement is for another size');
  const { width, height } = p;
  const out = new Float32Array(width * height);
  const sw = src.width,
    sh = src.height,
    s = src.z;
  for (let v = 0; v < height; v++) {
    const ys = (v + 0.5 + p.offsetY) / p.scaleY; // continuous source coordinate of the centre
    if (ys < 0 || ys >= sh) continue;
    for (let u = 0; u < width; u++) {
      const xs = (u + 0.5 + p.offsetX) / p.scaleX;
      if (xs < 0 || xs >= sw) continue;
      if (mode === 'nearest') {
        out[v * width + u] = s[Math.floor(ys) * sw + Math.floor(xs)];
        continue;
      }
      const fx = Math.min(Math.max(xs - 0.5, 0), sw - 1),
        fy = Math.min(Math.max(ys - 0.5, 0), sh - 1);
      const x0 = Math.floor(fx),
        y0 = Math.floor(fy);
      const x1 = Math.min(x0 + 1, sw - 1),
        y1 = Math.min(y0 + 1, sh - 1);
      const ax = fx - x0,
        ay = fy - y0;
      let acc = 0,
        wsum = 0;
      const add = (i: number, w: number) => {
        const z = s[i];
        if (w > 0 && z > 0) {
          acc += w * z;
          wsum += w;
        }
      };
      add(y0 * sw + x0, (1 - ax) * (1 - ay));
      add(y0 * sw + x1, ax * (1 - ay));
      add(y1 * sw + x0, (1 - ax) * ay);
      add(y1 * sw + x1, ax * ay);
      if (wsum >= 0.5) out[v * width + u] = acc / wsum;
    }
  }
  return { width, height, z: out };
}

/**
 * Checks that a depth grid can describe a photo: same shape up to a stretch of at most 2% between
 * the axes (models like Depth Anything work at multiples of 14 and change the aspect a little).
 */
export function checkDepthAspect(
  depthWidth: number,
  depthHeight: number,
  imageWidth: number,
  imageHeight: number,
): void {
  const a = depthWidth / depthHeight;
  const b = imageWidth / imageHeight;
  if (Math.abs(a / b - 1) > 0.02) {
    throw new CamtrackError(
      'shape-mismatch',
      `The depth is ${depthWidth}x${depthHeight} (aspect ${a.toFixed(3)}) but the photo is ${imageWidth}x${imageHeight} (aspect ${b.toFixed(3)}): they cannot be the same view. Use the depth map made for this photo.`,
    );
  }
}
