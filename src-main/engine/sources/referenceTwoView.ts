/**
 * The reference's two-view rule for where each frame's warp comes from (svd_interpolate_two_img_dgs
 * warp_images): the first photo sits at frame 0 and the second at the last frame F - 1; frames
 * 1..F-2 are warped from one photo only, the first half (1..12 of 25) from the first photo, the rest
 * (13..23) from the second, never fused. The studio's own rule (fuse.ts) warps every frame from all
 * views into one z-buffer.
 */
export function referenceTwoViewSource(frame: number, frames: number): 0 | 1 {
  return frame <= Math.ceil((frames - 2) / 2) ? 0 : 1;
}
