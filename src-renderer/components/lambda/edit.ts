/**
 * Editing the lambda table as the heatmap editor does it: pure operations on a working grid
 * (row-major [step][frame]). Every operation keeps values in [0, 1] (a guidance weight is a
 * fraction) and never touches column 0: frame 0 is the source photo, which the sampler keeps as
 * it is, so its weight means nothing and stays 1. Each operation returns the rectangle of cells
 * it may have changed (or null), so the view redraws only those.
 */
export interface Grid {
  readonly steps: number;
  readonly frames: number;
  readonly data: Float64Array;
}

/** Inclusive cell rectangle: rows r0..r1 (steps), columns c0..c1 (frames); r0 <= r1, c0 <= c1. */
export interface CellRect {
  r0: number;
  r1: number;
  c0: number;
  c1: number;
}

export interface Cell {
  row: number;
  col: number;
}

/** Frame 0 is never guided: the first column an edit may change. */
export const FIRST_EDITABLE_COL = 1;

export function makeGrid(steps: number, frames: number, values: ArrayLike<number>): Grid {
  if (values.length !== steps * frames)
    throw new Error(`A ${steps} x ${frames} grid needs ${steps * frames} values (got ${values.length}).`);
  return { steps, frames, data: Float64Array.from(values) };
}

export function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

export function rectOf(a: Cell, b: Cell): CellRect {
  return {
    r0: Math.min(a.row, b.row),
    r1: Math.max(a.row, b.row),
    c0: Math.min(a.col, b.col),
    c1: Math.max(a.col, b.col),
  };
}

/** The part of a rectangle inside the grid's editable cells, or null when none is. */
export function editableRect(g: Grid, r: CellRect): CellRect | null {
  const out = {
    r0: Math.max(0, r.r0),
    r1: Math.min(g.steps - 1, r.r1),
    c0: Math.max(FIRST_EDITABLE_COL, r.c0),
    c1: Math.min(g.frames - 1, r.c1),
  };
  return out.r0 > out.r1 || out.c0 > out.c1 ? null : out;
}

export function unionRect(a: CellRect | null, b: CellRect | null): CellRect | null {
  if (!a) return b;
  if (!b) return a;
  return { r0: Math.min(a.r0, b.r0), r1: Math.max(a.r1, b.r1), c0: Math.min(a.c0, b.c0), c1: Math.max(a.c1, b.c1) };
}

export function rectContains(r: CellRect, c: Cell): boolean {
  return c.row >= r.r0 && c.row <= r.r1 && c.col >= r.c0 && c.col <= r.c1;
}

/** Applies `fn(value, row, col)` to every editable cell of `rect`, clamping the result. */
export function mapRect(g: Grid, rect: CellRect, fn: (v: number, row: number, col: number) => number): CellRect | null {
  const r = editableRect(g, rect);
  if (!r) return null;
  for (let i = r.r0; i <= r.r1; i++) {
    for (let f = r.c0; f <= r.c1; f++) {
      const k = i * g.frames + f;
      g.data[k] = clamp01(fn(g.data[k], i, f));
    }
  }
  return r;
}

// Selection operations

export const fillRect = (g: Grid, rect: CellRect, value: number) => mapRect(g, rect, () => value);
export const scaleRect = (g: Grid, rect: CellRect, factor: number) => mapRect(g, rect, (v) => v * factor);
export const clampRect = (g: Grid, rect: CellRect, lo: number, hi: number) =>
  mapRect(g, rect, (v) => Math.min(Math.max(v, Math.min(lo, hi)), Math.max(lo, hi)));
export const invertRect = (g: Grid, rect: CellRect) => mapRect(g, rect, (v) => 1 - v);

/**
 * Linear interpolation across the selection between its edges: along 'steps', every column goes
 * linearly from its value at the first row to its value at the last; along 'frames', every row
 * from its first to its last column. The edges themselves keep their values.
 */
export function interpolateRect(g: Grid, rect: CellRect, axis: 'steps' | 'frames'): CellRect | null {
  const r = editableRect(g, rect);
  if (!r) return null;
  const { frames, data } = g;
  if (axis === 'steps') {
    const n = r.r1 - r.r0;
    if (n < 2) return r;
    for (let f = r.c0; f <= r.c1; f++) {
      const a = data[r.r0 * frames + f];
      const b = data[r.r1 * frames + f];
      for (let i = r.r0 + 1; i < r.r1; i++) data[i * frames + f] = clamp01(a + ((i - r.r0) / n) * (b - a));
    }
  } else {
    const n = r.c1 - r.c0;
    if (n < 2) return r;
    for (let i = r.r0; i <= r.r1; i++) {
      const a = data[i * frames + r.c0];
      const b = data[i * frames + r.c1];
      for (let f = r.c0 + 1; f < r.c1; f++) data[i * frames + f] = clamp01(a + ((f - r.c0) / n) * (b - a));
    }
  }
  return r;
}

// Copy and paste

export interface Clip {
  rows: number;
  cols: number;
  values: Float64Array;
}

export function copyRect(g: Grid, rect: CellRect): Clip {
  const r0 = Math.max(0, rect.r0);
  const r1 = Math.min(g.steps - 1, rect.r1);
  const c0 = Math.max(0, rect.c0);
  const c1 = Math.min(g.frames - 1, rect.c1);
  const rows = r1 - r0 + 1;
  const cols = c1 - c0 + 1;
  const values = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++)
    values.set(g.data.subarray((r0 + i) * g.frames + c0, (r0 + i) * g.frames + c0 + cols), i * cols);
  return { rows, cols, values };
}

/** Pastes with the clip's top-left at `at`; what falls outside the grid or on column 0 is dropped. */
export function pasteClip(g: Grid, clip: Clip, at: Cell): CellRect | null {
  return mapRect(
    g,
    { r0: at.row, r1: at.row + clip.rows - 1, c0: at.col, c1: at.col + clip.cols - 1 },
    (_v, i, f) => clip.values[(i - at.row) * clip.cols + (f - at.col)],
  );
}

/** Tab-separated rows, as spreadsheets paste them. */
export function clipToTsv(clip: Clip): string {
  const lines: string[] = [];
  for (let i = 0; i < clip.rows; i++)
    lines.push(Array.from(clip.values.subarray(i * clip.cols, (i + 1) * clip.cols), (v) => String(v)).join('\t'));
  return lines.join('\n');
}

// Profiles: a row (one step across the frames) or a column (one frame across the steps) as a curve

export type ProfileAxis = 'row' | 'col';

/** The values of a row or a column of the grid. */
export function profileOf(g: Grid, axis: ProfileAxis, index: number): Float64Array {
  if (axis === 'row') return g.data.slice(index * g.frames, (index + 1) * g.frames);
  const out = new Float64Array(g.steps);
  for (let i = 0; i < g.steps; i++) out[i] = g.data[i * g.frames + index];
  return out;
}

/**
 * Drawing on a profile from point a to point b (position along the profile, value): every cell
 * between the two positions takes the straight line's value there, so a fast drag leaves no gaps.
 */
export function drawProfile(
  g: Grid,
  axis: ProfileAxis,
  index: number,
  a: { pos: number; value: number },
  b: { pos: number; value: number },
): CellRect | null {
  const len = axis === 'row' ? g.frames : g.steps;
  const p0 = Math.round(Math.min(a.pos, b.pos));
  const p1 = Math.round(Math.max(a.pos, b.pos));
  const lo = Math.max(axis === 'row' ? FIRST_EDITABLE_COL : 0, p0);
  const hi = Math.min(len - 1, p1);
  if (lo > hi) return null;
  const span = b.pos - a.pos;
  const valueAt = (p: number) =>
    Math.abs(span) < 1e-9 ? b.value : a.value + ((p - a.pos) / span) * (b.value - a.value);
  const rect = axis === 'row' ? { r0: index, r1: index, c0: lo, c1: hi } : { r0: lo, r1: hi, c0: index, c1: index };
  // Positions are clamped to the segment so rounding at its ends does not overshoot the line.
  return mapRect(g, rect, (_v, i, f) => {
    const p = axis === 'row' ? f : i;
    return valueAt(Math.min(Math.max(p, Math.min(a.pos, b.pos)), Math.max(a.pos, b.pos)));
  });
}

// Keyboard

/** Moves a cell cursor by an arrow key (with Ctrl/Cmd: by 10), staying inside the grid. */
export function moveCursor(c: Cell, key: string, steps: number, frames: number, big = false): Cell {
  const d = big ? 10 : 1;
  const row =
    key === 'ArrowUp'
      ? c.row - d
      : key === 'ArrowDown'
        ? c.row + d
        : key === 'PageUp'
          ? 0
          : key === 'PageDown'
            ? steps - 1
            : c.row;
  const col =
    key === 'ArrowLeft'
      ? c.col - d
      : key === 'ArrowRight'
        ? c.col + d
        : key === 'Home'
          ? 0
          : key === 'End'
            ? frames - 1
            : c.col;
  return { row: Math.min(steps - 1, Math.max(0, row)), col: Math.min(frames - 1, Math.max(0, col)) };
}

/** A typed lambda value: a number in [0, 1], or a message saying why not. */
export function parseLambdaValue(text: string): { value: number } | { error: string } {
  const t = text.trim();
  if (t === '') return { error: 'Type a value between 0 and 1.' };
  const v = Number(t.endsWith('%') ? t.slice(0, -1) : t) / (t.endsWith('%') ? 100 : 1);
  if (!Number.isFinite(v)) return { error: `"${t}" is not a number.` };
  if (v < 0 || v > 1)
    return { error: `${t} is outside [0, 1]: lambda is the fraction of a frame that follows its warped view.` };
  return { value: v };
}
