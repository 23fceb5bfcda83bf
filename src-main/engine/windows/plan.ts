/**
 * Tracks longer than the model: the track is cut into overlapping windows, each exactly the
 * model's frame count. The rule: window k starts at k * (modelFrames - overlap); the last window
 * is shifted back to end at numFrames, so it may overlap its neighbour by more than `overlap`.
 * 60 frames, a 25-frame model, overlap 4: [0,25), [21,46), [35,60) (the last overlap is 11).
 * Pure functions: the render and the sidecar both use them.
 */
import { CamtrackError } from '../util/errors';

export interface FrameWindow {
  /** First frame of the window (track index). */
  start: number;
  /** One past the last frame (exclusive). */
  end: number;
}

/** Frames shared by consecutive windows, unless a render says otherwise. */
export const DEFAULT_OVERLAP = 4;

function wholeNumber(name: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min)
    throw new CamtrackError('bad-input', `${name} must be a whole number ≥ ${min} (got ${v}).`);
}

export function planWindows(numFrames: number, modelFrames: number, overlap = DEFAULT_OVERLAP): FrameWindow[] {
  wholeNumber('The track frame count', numFrames, 1);
  wholeNumber("The model's frame count", modelFrames, 2);
  wholeNumber('The window overlap', overlap, 1);
  if (overlap >= modelFrames)
    throw new CamtrackError(
      'bad-input',
      `The window overlap (${overlap}) must be smaller than the model's frame count (${modelFrames}).`,
    );
  if (numFrames <= modelFrames) return [{ start: 0, end: numFrames }];
  const step = modelFrames - overlap;
  const windows: FrameWindow[] = [];
  for (let start = 0; ; start += step) {
    if (start + modelFrames >= numFrames) {
      windows.push({ start: numFrames - modelFrames, end: numFrames });
      return windows;
    }
    windows.push({ start, end: start + modelFrames });
  }
}

/**
 * Linear cross-fade across an overlap of `n` frames: the weight of the LATER window at each
 * overlap frame, rising strictly inside (0,1) — i/(n+1) for i = 1..n — so neither window is cut off
 * at a single frame.
 */
export function blendWeights(n: number): number[] {
  wholeNumber('The overlap length', n, 0);
  return Array.from({ length: n }, (_, i) => (i + 1) / (n + 1));
}

/** Frames as flat numeric arrays, all the same length (RGB24 or float RGB). */
export type FrameData = Uint8Array | Float32Array;

/**
 * One track from per-window frames: frames only one window covers are taken as they are; an
 * overlap frame is (1 - w) * earlier + w * later with w from blendWeights. Uint8 frames round.
 */
export function stitch<T extends FrameData>(
  windows: readonly FrameWindow[],
  windowFrames: readonly (readonly T[])[],
): T[] {
  if (windows.length === 0) throw new CamtrackError('bad-input', 'There are no windows to stitch.');
  if (windowFrames.length !== windows.length)
    throw new CamtrackError(
      'shape-mismatch',
      `${windowFrames.length} windows of frames for ${windows.length} planned windows.`,
    );
  windows.forEach((w, k) => {
    if (windowFrames[k].length !== w.end - w.start)
      throw new CamtrackError(
        'shape-mismatch',
        `Window ${k + 1} has ${windowFrames[k].length} frames; it spans ${w.end - w.start} (${w.start}..${w.end - 1}).`,
      );
    if (k > 0 && (w.start > windows[k - 1].end || w.start <= windows[k - 1].start))
      throw new CamtrackError(
        'bad-input',
        `Window ${k + 1} (from frame ${w.start}) does not overlap or follow window ${k} (${windows[k - 1].start}..${windows[k - 1].end - 1}).`,
      );
  });
  const total = windows[windows.length - 1].end;
  const out: T[] = new Array(total);
  for (let k = 0; k < windows.length; k++) {
    const w = windows[k];
    const next = windows[k + 1];
    // Frames of this window from where the previous overlap ends up to where the next begins.
    const ownFrom = k === 0 ? w.start : windows[k - 1].end;
    const ownTo = next ? next.start : w.end;
    for (let t = ownFrom; t < ownTo; t++) out[t] = windowFrames[k][t - w.start];
    if (!next) continue;
    const weights = blendWeights(w.end - next.start);
    for (let t = next.start; t < w.end; t++) {
      const a = windowFrames[k][t - w.start],
        b = windowFrames[k + 1][t - next.start];
      const wt = weights[t - next.start];
      const mixed = new (a.constructor as new (n: number) => T)(a.length);
      const round = mixed instanceof Uint8Array;
      for (let i = 0; i < a.length; i++) {
        const v = (1 - wt) * a[i] + wt * b[i];
        mixed[i] = round ? Math.round(v) : v;
      }
      out[t] = mixed;
    }
  }
  return out;
}

/**
 * The windows a render of `numFrames` frames uses, or null when it is one piece: windows of
 * `render.windowFrames` when set, else of the model's largest frame count when the track is longer
 * ('any', the preview and the draft model, needs `windowFrames`). The render, the timeline's note
 * and the lambda editor all ask this, so they show what the render does.
 */
export function renderWindowPlan(
  numFrames: number,
  render: { windowFrames?: number; windowOverlap?: number },
  modelFrameCounts: readonly number[] | 'any',
): FrameWindow[] | null {
  const longest =
    modelFrameCounts === 'any' || modelFrameCounts.length === 0 ? undefined : Math.max(...modelFrameCounts);
  const length = render.windowFrames ?? (longest !== undefined && numFrames > longest ? longest : undefined);
  if (length === undefined || !(numFrames > length)) return null;
  return planWindows(numFrames, length, render.windowOverlap ?? DEFAULT_OVERLAP);
}
