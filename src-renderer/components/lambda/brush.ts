import { clamp01, FIRST_EDITABLE_COL, unionRect, type CellRect, type Grid } from './edit';

/**
 * The heatmap brush. A stroke works like a paint program's stroke opacity: it remembers the table
 * as it was when the stroke began (`base`) and, per cell, the strongest brush coverage any dab of
 * the stroke has given it (`cover`, 0..1). A cell's value is always
 *   base + cover * (target(base) - base)
 * so passing over a cell twice, or moving the pointer slowly, does not pile the effect up: the
 * result depends on where the stroke went, not on how many pointer events arrived.
 */
export type BrushMode = 'set' | 'add' | 'multiply' | 'smooth';

export interface BrushSettings {
  mode: BrushMode;
  /** Diameter in cells (1 paints a single cell). */
  size: number;
  /** Coverage at the brush centre, 0..1. */
  strength: number;
  /** Soft edge as a fraction of the radius: 0 is a hard disc, 1 fades from the centre. */
  falloff: number;
  /** 'set': the value painted; 'add': the amount added (may be negative); 'multiply': the factor. */
  amount: number;
}

export const DEFAULT_BRUSH: BrushSettings = { mode: 'set', size: 3, strength: 1, falloff: 0.5, amount: 0.8 };

/** Coverage of a cell at distance `d` (cells) from the brush centre. */
export function brushWeight(d: number, b: Pick<BrushSettings, 'size' | 'strength' | 'falloff'>): number {
  const radius = Math.max(0.5, b.size / 2);
  const u = d / radius;
  if (u > 1) return 0;
  const inner = 1 - Math.min(1, Math.max(0, b.falloff));
  if (u <= inner) return b.strength;
  // Smoothstep from the inner radius (full) to the rim (zero).
  const s = (1 - u) / (1 - inner);
  return b.strength * s * s * (3 - 2 * s);
}

/** The value a cell moves toward under full coverage. */
function target(mode: BrushMode, amount: number, base: Float64Array, g: Grid, i: number, f: number): number {
  const v = base[i * g.frames + f];
  switch (mode) {
    case 'set':
      return amount;
    case 'add':
      return v + amount;
    case 'multiply':
      return v * amount;
    case 'smooth': {
      // Mean of the 3 x 3 neighbourhood in the table as the stroke began (guided frames only).
      let sum = 0;
      let n = 0;
      for (let di = -1; di <= 1; di++) {
        const r = i + di;
        if (r < 0 || r >= g.steps) continue;
        for (let df = -1; df <= 1; df++) {
          const c = f + df;
          if (c < FIRST_EDITABLE_COL || c >= g.frames) continue;
          sum += base[r * g.frames + c];
          n++;
        }
      }
      return sum / n;
    }
  }
}

export class Stroke {
  readonly base: Float64Array;
  readonly cover: Float32Array;
  private last: { row: number; col: number } | null = null;

  constructor(
    readonly grid: Grid,
    readonly brush: BrushSettings,
  ) {
    this.base = grid.data.slice();
    this.cover = new Float32Array(grid.data.length);
  }

  /**
   * One dab centred at (row, col) in cell units, where cell (i, f) spans [i, i+1) x [f, f+1) and
   * its centre is (i + 0.5, f + 0.5). Returns the cells it changed.
   */
  dab(row: number, col: number): CellRect | null {
    const g = this.grid;
    const b = this.brush;
    const radius = Math.max(0.5, b.size / 2);
    const r0 = Math.max(0, Math.floor(row - radius));
    const r1 = Math.min(g.steps - 1, Math.floor(row + radius));
    const c0 = Math.max(FIRST_EDITABLE_COL, Math.floor(col - radius));
    const c1 = Math.min(g.frames - 1, Math.floor(col + radius));
    let changed: CellRect | null = null;
    for (let i = r0; i <= r1; i++) {
      for (let f = c0; f <= c1; f++) {
        const w = brushWeight(Math.hypot(i + 0.5 - row, f + 0.5 - col), b);
        const k = i * g.frames + f;
        if (w <= this.cover[k]) continue;
        this.cover[k] = w;
        const base = this.base[k];
        g.data[k] = clamp01(base + w * (target(b.mode, b.amount, this.base, g, i, f) - base));
        changed = unionRect(changed, { r0: i, r1: i, c0: f, c1: f });
      }
    }
    return changed;
  }

  /** Moves the brush to (row, col), dabbing along the way (a quarter radius apart) so no gap opens. */
  moveTo(row: number, col: number): CellRect | null {
    const from = this.last ?? { row, col };
    this.last = { row, col };
    const spacing = Math.max(0.5, this.brush.size / 2) / 4;
    const n = Math.max(1, Math.ceil(Math.hypot(row - from.row, col - from.col) / spacing));
    let changed: CellRect | null = null;
    for (let s = 1; s <= n; s++)
      changed = unionRect(
        changed,
        this.dab(from.row + ((row - from.row) * s) / n, from.col + ((col - from.col) * s) / n),
      );
    return changed;
  }
}
