import type { ModelInfo } from '../../../src-main/api/contract';
import type { ProjectDoc } from '../../../src-main/engine/project/schema';
import { renderWindowPlan, windowsAt, type FrameWindow } from '../../../src-main/engine/windows';

/**
 * The lambda editor's view of a track rendered in windows (engine/windows): the same plan the
 * render makes (render.windowFrames, else the model's longest frame count), for a table that has
 * the track's frame count. Null when the track renders in one piece, or until the engine has said
 * which frame counts the model takes.
 */
export function lambdaWindows(
  doc: Pick<ProjectDoc, 'track' | 'render' | 'lambda'> | null,
  frameCounts: ModelInfo['frameCounts'] | null,
): FrameWindow[] | null {
  if (!doc || doc.lambda.frames !== doc.track.numFrames) return null;
  // Until the model is known only an explicit render.windowFrames is certain.
  if (frameCounts === null && doc.render.windowFrames === undefined) return null;
  try {
    return renderWindowPlan(doc.track.numFrames, doc.render, frameCounts ?? 'any');
  } catch {
    return null; // settings the render would refuse with its own message
  }
}

/** "3 windows of 25 frames, overlap 4 (0–24, 21–45, 35–59)". */
export function windowsSummary(ws: readonly FrameWindow[]): string {
  const len = ws[0].end - ws[0].start;
  const overlap = ws.length > 1 ? ws[0].end - ws[1].start : 0;
  return `${ws.length} windows of ${len} frames, overlap ${overlap} (${ws.map((w) => `${w.start}–${w.end - 1}`).join(', ')})`;
}

/** Where a track frame is in the windows: "window 1 frame 22, window 2 frame 1". */
export function windowPlace(ws: readonly FrameWindow[], col: number): string {
  return windowsAt(ws, col)
    .map((k) => `window ${k + 1} frame ${col - ws[k].start}${col === ws[k].start && k > 0 ? ' (its source)' : ''}`)
    .join(', ');
}
