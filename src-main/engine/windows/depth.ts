/**
 * The carried depth of a window: a later window of a long track is warped from the frame the
 * window before it made at its first frame, placed at that frame's camera with this depth (the
 * warp's own depth there, its holes filled background first), and from the photo
 * (render/stages/warp.ts).
 */
import { pushPullFill } from '../preview';
import { CamtrackError } from '../util/errors';
import type { WarpedFrame } from '../warp/forward';

/** A warped frame's depth with its holes filled (background first), so it can serve as a source. */
export function filledDepth(frame: WarpedFrame): Float32Array {
  const d = frame.depth;
  if (!d) throw new CamtrackError('shape-mismatch', 'The warped frame carries no depth; warp it with withDepth.');
  const n = frame.width * frame.height;
  const rgb = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) rgb[i * 3] = rgb[i * 3 + 1] = rgb[i * 3 + 2] = d[i];
  const filled = pushPullFill({ width: frame.width, height: frame.height, image: rgb, holes: frame.holes, depth: d });
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = filled[i * 3];
  return out;
}
