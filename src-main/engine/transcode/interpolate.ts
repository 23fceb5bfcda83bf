import { CamtrackError } from '../util/errors';

/**
 * Frame-rate conversion by motion-compensated interpolation (ffmpeg's minterpolate), as pure
 * numbers and filter text so the plan is testable without ffmpeg. SVD renders at 7 fps: a 25-frame
 * clip plays 3.6 s in 25 steps; at 24 fps the same 3.6 s gets 86 frames, the ones between the
 * rendered frames made by estimating motion between neighbours (bidirectional, adaptive overlapped
 * blocks), not by blending them.
 */

/** Frame rates an export offers besides the render's own. */
export const INTERPOLATED_FPS = [24, 30] as const;

/** The clip keeps its length: round(frames x to / from), at least one. */
export function interpolatedFrameCount(frames: number, fromFps: number, toFps: number): number {
  checkFps(fromFps);
  checkFps(toFps);
  if (!Number.isInteger(frames) || frames < 1)
    throw new CamtrackError('bad-input', `A clip has at least one frame (got ${frames}).`);
  return Math.max(1, Math.round((frames * toFps) / fromFps));
}

/**
 * The filter chain: RGB to full-range 4:4:4 (minterpolate takes YUV only; full range keeps every
 * pixel within one level of the source), the last frame held a few more frames (minterpolate drops
 * the last one or two frames of a stream, and the clip keeps its length), then the interpolation.
 */
export function interpolationFilter(fromFps: number, toFps: number): string {
  checkFps(fromFps);
  checkFps(toFps);
  const hold = 3 + Math.ceil(fromFps / toFps);
  return [
    'scale=out_range=full',
    'format=yuvj444p',
    `tpad=stop_mode=clone:stop=${hold}`,
    `minterpolate=fps=${Number(toFps.toFixed(6))}:mi_mode=mci:mc_mode=aobmc:me_mode=bidir:vsbmc=1`,
  ].join(',');
}

function checkFps(fps: number): void {
  if (!Number.isFinite(fps) || fps <= 0 || fps > 240)
    throw new CamtrackError('bad-input', `A frame rate must be in (0, 240] (got ${fps}).`);
}
