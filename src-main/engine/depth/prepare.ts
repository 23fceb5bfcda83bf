import type { Placement } from '../image/fit';
import { composePlacements, stretchPlacement } from '../image/fit';
import type { DepthMapping } from '../project/schema';
import { applyDepthMapping, type DepthReport } from './mapping';
import { checkDepthAspect, resizeDepth, type DepthResize } from './resize';
import type { DepthMap, RawDepth } from './types';

/**
 * Raw depth -> z-depth on the render grid: the mapping is applied at the depth's own resolution,
 * then the depth grid is stretched over the photo it belongs to (sizes may differ, the aspect may
 * not by more than 2%) and placed exactly as the photo was (`imagePlacement`, crop or pad).
 * Nearest by default, as the reference (cv2.INTER_NEAREST): interpolating across an object's edge
 * invents depths between foreground and background, points floating in mid-air that the warp then
 * splats as streaks. (cv2's nearest takes floor(x * scale), half a pixel off; here the pixel whose
 * area holds the output pixel's centre, registered with the photo's own resampling.)
 */
export function depthForRender(
  raw: RawDepth,
  mapping: DepthMapping,
  imagePlacement: Placement,
  resize: DepthResize = 'nearest',
): { depth: DepthMap; report: DepthReport } {
  checkDepthAspect(raw.width, raw.height, imagePlacement.srcWidth, imagePlacement.srcHeight);
  const { depth, report } = applyDepthMapping(raw, mapping);
  const onPhoto = stretchPlacement(raw.width, raw.height, imagePlacement.srcWidth, imagePlacement.srcHeight);
  const p = composePlacements(onPhoto, imagePlacement);
  const identity =
    p.width === raw.width &&
    p.height === raw.height &&
    p.scaleX === 1 &&
    p.scaleY === 1 &&
    p.offsetX === 0 &&
    p.offsetY === 0;
  return { depth: identity ? depth : resizeDepth(depth, p, resize), report };
}
