/**
 * Whether the chosen model can render a track's frame count. SVD renders 14 frames and SVD-XT
 * 25 (the model manifest lists its counts); a longer track renders in overlapping windows of
 * the largest count. The UI shows these and flags a shorter count the model cannot take before a
 * render starts.
 */

/** Native frame counts of the Stable Video Diffusion family, for display. */
export const SVD_FRAME_COUNTS = Object.freeze({ svd: 14, 'svd-xt': 25 });

/**
 * null when the model renders `numFrames` frames, else a message saying which counts it renders
 * and what to do. An empty list means the model takes any count.
 */
export function checkFrameCount(numFrames: number, modelFrameCounts: readonly number[]): string | null {
  if (!Number.isInteger(numFrames) || numFrames < 2)
    return `The track must have a whole number of frames, at least 2 (it has ${numFrames}).`;
  if (modelFrameCounts.length === 0 || modelFrameCounts.includes(numFrames)) return null;
  const counts = [...new Set(modelFrameCounts)].sort((a, b) => a - b);
  // Longer than the model: the render runs in overlapping windows of its largest count (engine/windows).
  if (numFrames > counts[counts.length - 1]) return null;
  const nearest = counts.reduce((best, c) => (Math.abs(c - numFrames) < Math.abs(best - numFrames) ? c : best));
  const list =
    counts.length === 1
      ? `${counts[0]} frames`
      : `${counts.slice(0, -1).join(', ')} or ${counts[counts.length - 1]} frames`;
  return `The chosen model renders ${list}, but the track has ${numFrames}. Set the track to ${nearest} frames (keys can be rescaled) or choose a model that renders ${numFrames}.`;
}

/** "renders in 3 overlapping windows of 25 frames" when the track is longer than every count the model renders, else null. */
export function windowedNote(
  numFrames: number,
  modelFrameCounts: readonly number[],
  windowCount: (frames: number, length: number) => number,
): string | null {
  if (modelFrameCounts.length === 0) return null;
  const longest = Math.max(...modelFrameCounts);
  if (!(numFrames > longest)) return null;
  return `Longer than the model's ${longest} frames: renders in ${windowCount(numFrames, longest)} overlapping windows of ${longest}.`;
}
