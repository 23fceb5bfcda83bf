import type { Intrinsics } from '../geometry/conventions';
import { placeIntrinsics, type Placement } from './fit';

/**
 * "Crop photo to depth": the largest centred crop of the photo with the depth map's aspect, scaled
 * to a whole multiple of the depth's size (so the depth grid lies exactly on the photo's pixels;
 * never upscaled past the crop), with the camera's intrinsics carried through the same crop and
 * scale. Pure: the host applies the placement to the pixels.
 */
export interface AspectCrop {
  /** The crop in photo pixels. */
  crop: { x: number; y: number; width: number; height: number };
  /** The photo's pixels onto the output grid (out = scale * in - offset). */
  placement: Placement;
  /** The same camera on the output grid. */
  intrinsics: Intrinsics;
}

export function cropToAspect(photo: Intrinsics, targetWidth: number, targetHeight: number): AspectCrop {
  const { width: W, height: H } = photo;
  const aspect = targetWidth / targetHeight;
  let cw: number, ch: number;
  if (W / H > aspect) {
    ch = H;
    cw = Math.min(W, Math.round(H * aspect));
  } else {
    cw = W;
    ch = Math.min(H, Math.round(W / aspect));
  }
  const x = Math.floor((W - cw) / 2);
  const y = Math.floor((H - ch) / 2);
  // A whole multiple of the target: exactly the target's aspect, each depth pixel k x k photo pixels.
  const k = Math.floor(Math.min(cw / targetWidth, ch / targetHeight));
  const width = k >= 1 ? targetWidth * k : cw;
  const height = k >= 1 ? targetHeight * k : ch;
  const sx = width / cw,
    sy = height / ch;
  const placement: Placement = {
    srcWidth: W,
    srcHeight: H,
    width,
    height,
    scaleX: sx,
    scaleY: sy,
    offsetX: x * sx,
    offsetY: y * sy,
  };
  return { crop: { x, y, width: cw, height: ch }, placement, intrinsics: placeIntrinsics(photo, placement) };
}
