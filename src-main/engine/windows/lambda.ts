/**
 * The lambda table of a track rendered in windows (engine/windows).
 *
 * Storage: ONE track-wide table, [steps][track frames], as for any track (project.json's `lambda`,
 * the sidecar's `lambda`). Window k samples columns start_k..end_k-1 of it (`windowLambda`), so
 * window k's table is always [steps][window length] and carries that shape to the sampler.
 *
 * Overlap columns: a frame two windows share is ONE column, used by both windows (as window k's
 * frame t - start_k and window k+1's frame t - start_{k+1}). Both versions of that frame are
 * cross-faded into the video (stitch), so guiding them by the same amount keeps them alike and
 * the cross-fade invisible; two weights for one output frame could only pull them apart. Column
 * start_k of a later window is that window's frame 0, which the sampler replaces by its source
 * (the previous window's generated frame), so only the earlier window reads it.
 *
 * Editing "together" (`shareAcrossWindows`): an edit of a frame is copied to the same
 * window-relative frame of every window, so the windows share one pattern. An overlap frame is
 * at two relative positions (one per window holding it); it is copied to both. A window's frame 0
 * (its source, never guided) is not copied. A column the edit changed itself keeps its own value. Because windows overlap, a pattern can only be shared where
 * the overlaps allow it: the last window is shifted back to end at the track's end, and an
 * overlap column shows whichever relative position was edited last.
 */
import { CamtrackError } from '../util/errors';
import { makeLambdaTable, type LambdaTable } from '../lambda/table';
import type { FrameWindow } from './plan';

/** Window `w`'s own columns of the track-wide table: a [steps][w.end - w.start] table. */
export function windowLambda(t: LambdaTable, w: FrameWindow): LambdaTable {
  if (!(Number.isInteger(w.start) && Number.isInteger(w.end) && w.start >= 0 && w.end > w.start && w.end <= t.frames))
    throw new CamtrackError(
      'shape-mismatch',
      `Window ${w.start}..${w.end - 1} does not fit a lambda table of ${t.frames} frames.`,
    );
  const n = w.end - w.start;
  const data = new Float64Array(t.steps * n);
  for (let i = 0; i < t.steps; i++) data.set(t.data.subarray(i * t.frames + w.start, i * t.frames + w.end), i * n);
  return makeLambdaTable(t.steps, n, data);
}

/** The windows (0-based indices) that hold track frame `col`: one, or two in an overlap. */
export function windowsAt(windows: readonly FrameWindow[], col: number): number[] {
  const out: number[] = [];
  windows.forEach((w, k) => {
    if (col >= w.start && col < w.end) out.push(k);
  });
  return out;
}

/**
 * The track frames at the same window-relative position as `col` in every window (`col` itself
 * included), sorted: for each window holding `col`, its relative index r, then start_m + r for
 * every window m. Relative frame 0 is skipped: every window's frame 0 is its source (the photo,
 * or the previous window's generated frame), never guided, so it has no pattern to share; the
 * column is still the earlier window's frame, which keeps its own value.
 */
export function mirrorColumns(windows: readonly FrameWindow[], col: number): number[] {
  const set = new Set<number>([col]);
  for (const k of windowsAt(windows, col)) {
    const r = col - windows[k].start;
    if (r === 0) continue;
    for (const w of windows) if (w.start + r < w.end) set.add(w.start + r);
  }
  return [...set].sort((a, b) => a - b);
}

/** Inclusive rectangle of cells, as the editor's CellRect: rows (steps) r0..r1, columns (frames) c0..c1. */
export interface TableRect {
  r0: number;
  r1: number;
  c0: number;
  c1: number;
}

/**
 * Editing together: copies rows r0..r1 of every column in c0..c1 (the cells an edit just changed)
 * to that column's mirrors in the other windows. Columns below `firstEditable` (frame 0, the
 * photo) are neither copied from nor to. Changes `t.data` in place and returns the bounding box
 * of every cell written (the edit's rect included), or the rect itself when nothing was copied.
 */
export function shareAcrossWindows(
  t: Pick<LambdaTable, 'steps' | 'frames' | 'data'>,
  windows: readonly FrameWindow[],
  rect: TableRect,
  firstEditable = 1,
): TableRect {
  if (windows.length === 0 || windows[windows.length - 1].end !== t.frames)
    throw new CamtrackError(
      'shape-mismatch',
      `The windows end at frame ${windows.at(-1)?.end ?? 0}; the lambda table has ${t.frames} frames.`,
    );
  const out = { ...rect };
  const r0 = Math.max(0, rect.r0),
    r1 = Math.min(t.steps - 1, rect.r1);
  const edited = (c: number) => c >= rect.c0 && c <= rect.c1;
  const written = new Set<number>();
  for (let c = Math.max(firstEditable, rect.c0); c <= Math.min(t.frames - 1, rect.c1); c++) {
    for (const m of mirrorColumns(windows, c)) {
      // A column the edit changed keeps its own value; a mirror two edited columns share takes the first.
      if (m === c || m < firstEditable || edited(m) || written.has(m)) continue;
      written.add(m);
      for (let i = r0; i <= r1; i++) t.data[i * t.frames + m] = t.data[i * t.frames + c];
      out.c0 = Math.min(out.c0, m);
      out.c1 = Math.max(out.c1, m);
    }
  }
  return out;
}
