import type { Intrinsics } from '../geometry/conventions';

/**
 * How a source image of one size is placed on a render of another size. Continuous pixel
 * coordinates map as out = scale * in - offset on each axis (see the pixel convention in
 * types.ts). 'crop' covers the render and trims the overflow evenly on both sides; 'pad' fits
 * the whole image inside and leaves black bars (negative offset) evenly on both sides.
 */
export interface Placement {
  srcWidth: number;
  srcHeight: number;
  width: number;
  height: number;
  scaleX: number;
  scaleY: number;
  offsetX: number;
  offsetY: number;
}

export type FitMode = 'crop' | 'pad';

export function computeFit(
  srcWidth: number,
  srcHeight: number,
  width: number,
  height: number,
  fit: FitMode,
): Placement {
  const sx = width / srcWidth;
  const sy = height / srcHeight;
  const s = fit === 'crop' ? Math.max(sx, sy) : Math.min(sx, sy);
  return {
    srcWidth,
    srcHeight,
    width,
    height,
    scaleX: s,
    scaleY: s,
    offsetX: (s * srcWidth - width) / 2,
    offsetY: (s * srcHeight - height) / 2,
  };
}

/** A placement that stretches a grid of one size over another (e.g. a depth map onto its photo). */
export function stretchPlacement(srcWidth: number, srcHeight: number, width: number, height: number): Placement {
  return {
    srcWidth,
    srcHeight,
    width,
    height,
    scaleX: width / srcWidth,
    scaleY: height / srcHeight,
    offsetX: 0,
    offsetY: 0,
  };
}

/** Placement a then b (a's output grid is b's source grid). */
export function composePlacements(a: Placement, b: Placement): Placement {
  return {
    srcWidth: a.srcWidth,
    srcHeight: a.srcHeight,
    width: b.width,
    height: b.height,
    scaleX: b.scaleX * a.scaleX,
    scaleY: b.scaleY * a.scaleY,
    offsetX: b.scaleX * a.offsetX + b.offsetX,
    offsetY: b.scaleY * a.offsetY + b.offsetY,
  };
}

/** The intrinsics of the placed image: the same camera, its pixel grid scaled and shifted. */
export function placeIntrinsics(k: Intrinsics, p: Placement): Intrinsics {
  return {
    width: p.width,
    height: p.height,
    fx: k.fx * p.scaleX,
    fy: k.fy * p.scaleY,
    cx: k.cx * p.scaleX - p.offsetX,
    cy: k.cy * p.scaleY - p.offsetY,
  };
}
