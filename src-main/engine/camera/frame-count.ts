/**
 * Whether the chosen model can render a track's frame count. SVD renders 14 frames and SVD-XT
 * 25 (the model manifest lists its counts); the UI shows these and flags any other count before
 * a render starts.
 */

/** Native frame counts of the Stable Video Diffusion family, for display. */
export const SVD_FRAME_COUNTS = Object.freeze({ svd: 14, 'svd-xt': 25 });

/**
 * null when the model renders `numFrames` frames, else a message saying which counts it renders
 * and what to do. An empty list means the model takes any count.
 */
export function checkFrameCount(numFrames: number, modelFrameCounts: readonly number[]): string | null {
  if (!Number.isInteger(numFrames) || numFrames < 2) return `The track must have a whole number of frames, at least 2 (it has ${numFrames}).`;
  if (modelFrameCounts.length === 0 || modelFrameCounts.includes(numFrames)) return null;
  const counts = [...new Set(modelFrameCounts)].sort((a, b) => a - b);
  const nearest = counts.reduce((best, c) => (Math.abs(c - numFrames) < Math.abs(best - numFrames) ? c : best));
  const list = counts.length === 1 ? `${counts[0]} frames` : `${counts.slice(0, -1).join(', ')} or ${counts[counts.length - 1]} frames`;
  return `The chosen model renders ${list}, but the track has ${numFrames}. Set the track to ${nearest} frames (keys can be rescaled) or choose a model that renders ${numFrames}.`;
}
