import type { WarpedFrame } from '../warp/forward';
import { pushPullFill } from './fill';

/**
 * A warped frame with its holes filled (the preview render's frame): the image is replaced by the
 * filled one; holes, latent holes and depth stay as the warp gave them (they say what was invented).
 */
export function fillWarpedFrame(frame: WarpedFrame): WarpedFrame {
  const image = pushPullFill({
    width: frame.width,
    height: frame.height,
    image: frame.image,
    holes: frame.holes,
    depth: frame.depth,
  });
  return { ...frame, image };
}
