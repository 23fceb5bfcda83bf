import { describe, expect, it } from 'vitest';
import {
  clampRect,
  clipToTsv,
  copyRect,
  drawProfile,
  fillRect,
  interpolateRect,
  invertRect,
  makeGrid,
  moveCursor,
  parseLambdaValue,
  pasteClip,
  profileOf,
  scaleRect,
  type Grid,
} from './edit';

/** A 4 x 5 grid whose cell (i, f) holds (10 i + f) / 100, column 0 all 1 as the studio makes it. */
function grid(): Grid {
  const v: number[] = [];
  for (let i = 0; i < 4; i++) for (let f = 0; f < 5; f++) v.push(f === 0 ? 1 : (10 * i + f) / 100);
  return makeGrid(4, 5, v);
}
const at = (g: Grid, i: number, f: number) => g.data[i * g.frames + f];

describe('selection operations', () => {
  it('fill changes exactly the selected guided cells and reports them', () => {
    const g = grid();
    const before = g.data.slice();
    const r = fillRect(g, { r0: 1, r1: 2, c0: 0, c1: 2 }, 0.5);
    expect(r).toEqual({ r0: 1, r1: 2, c0: 1, c1: 2 }); // column 0 (source frame) is not editable
    for (let i = 0; i < 4; i++) {
      for (let f = 0; f < 5; f++) {
        const inside = i >= 1 && i <= 2 && f >= 1 && f <= 2;
        expect(at(g, i, f)).toBe(inside ? 0.5 : before[i * 5 + f]);
      }
    }
  });

  it('scale, clamp and invert keep values in [0, 1]', () => {
    const g = grid();
    scaleRect(g, { r0: 3, r1: 3, c0: 1, c1: 4 }, 3); // 0.31..0.34 * 3 -> 0.93, 0.96, 0.99, 1 (clamped from 1.02)
    expect(Array.from(g.data.subarray(16, 20))).toEqual([0.31 * 3, 0.32 * 3, 0.33 * 3, 1]);
    clampRect(g, { r0: 0, r1: 0, c0: 1, c1: 4 }, 0.025, 0.035);
    expect(Array.from(g.data.subarray(1, 5))).toEqual([0.025, 0.025, 0.03, 0.035]);
    invertRect(g, { r0: 1, r1: 1, c0: 1, c1: 1 });
    expect(at(g, 1, 1)).toBeCloseTo(0.89, 12);
  });

  it('interpolates between the first and last row, or the first and last column', () => {
    const g = grid();
    fillRect(g, { r0: 0, r1: 0, c0: 1, c1: 4 }, 0.2);
    fillRect(g, { r0: 3, r1: 3, c0: 1, c1: 4 }, 0.8);
    interpolateRect(g, { r0: 0, r1: 3, c0: 2, c1: 3 }, 'steps');
    expect([at(g, 1, 2), at(g, 2, 2), at(g, 1, 3), at(g, 2, 3)].map((v) => +v.toFixed(12))).toEqual([
      0.4, 0.6, 0.4, 0.6,
    ]);
    expect(at(g, 1, 1)).toBe(0.11); // outside the selection
    const h = grid();
    interpolateRect(h, { r0: 2, r1: 2, c0: 1, c1: 4 }, 'frames'); // 0.21 .. 0.24 is already linear
    expect(at(h, 2, 2)).toBeCloseTo(0.22, 12);
    fillRect(h, { r0: 1, r1: 1, c0: 4, c1: 4 }, 0.71);
    interpolateRect(h, { r0: 1, r1: 1, c0: 1, c1: 4 }, 'frames'); // 0.11 -> 0.71 over 3 intervals
    expect([at(h, 1, 2), at(h, 1, 3)].map((v) => +v.toFixed(12))).toEqual([0.31, 0.51]);
  });
});

describe('copy and paste', () => {
  it('pastes a region with its top-left at the cursor, dropping what falls outside', () => {
    const g = grid();
    const clip = copyRect(g, { r0: 0, r1: 1, c0: 1, c1: 2 });
    expect(clip).toMatchObject({ rows: 2, cols: 2 });
    expect(Array.from(clip.values)).toEqual([0.01, 0.02, 0.11, 0.12]);
    expect(clipToTsv(clip)).toBe('0.01\t0.02\n0.11\t0.12');
    const r = pasteClip(g, clip, { row: 3, col: 3 });
    expect(r).toEqual({ r0: 3, r1: 3, c0: 3, c1: 4 });
    expect([at(g, 3, 3), at(g, 3, 4)]).toEqual([0.01, 0.02]);
    expect(at(g, 2, 3)).toBe(0.23);
  });
});

describe('profiles', () => {
  it('reads a row and a column', () => {
    const g = grid();
    expect(Array.from(profileOf(g, 'row', 2))).toEqual([1, 0.21, 0.22, 0.23, 0.24]);
    expect(Array.from(profileOf(g, 'col', 3))).toEqual([0.03, 0.13, 0.23, 0.33]);
  });

  it('drawing a segment fills every cell between the two points on the straight line', () => {
    const g = grid();
    const r = drawProfile(g, 'row', 1, { pos: 1, value: 0.2 }, { pos: 4, value: 0.8 });
    expect(r).toEqual({ r0: 1, r1: 1, c0: 1, c1: 4 });
    expect(Array.from(profileOf(g, 'row', 1)).map((v) => +v.toFixed(12))).toEqual([1, 0.2, 0.4, 0.6, 0.8]);
    drawProfile(g, 'col', 2, { pos: 3, value: 0 }, { pos: 1, value: 1 });
    expect(Array.from(profileOf(g, 'col', 2)).map((v) => +v.toFixed(12))).toEqual([0.02, 1, 0.5, 0]);
    // Column 0 is never drawn on.
    expect(drawProfile(g, 'row', 0, { pos: 0, value: 0 }, { pos: 0.4, value: 0 })).toBeNull();
  });
});

describe('keyboard', () => {
  it('moves the cursor inside the grid', () => {
    expect(moveCursor({ row: 0, col: 0 }, 'ArrowUp', 4, 5)).toEqual({ row: 0, col: 0 });
    expect(moveCursor({ row: 0, col: 0 }, 'ArrowDown', 4, 5)).toEqual({ row: 1, col: 0 });
    expect(moveCursor({ row: 1, col: 1 }, 'ArrowRight', 4, 5, true)).toEqual({ row: 1, col: 4 });
    expect(moveCursor({ row: 1, col: 3 }, 'Home', 4, 5)).toEqual({ row: 1, col: 0 });
    expect(moveCursor({ row: 1, col: 3 }, 'PageDown', 4, 5)).toEqual({ row: 3, col: 3 });
  });

  it('parses typed values and refuses what is not a weight', () => {
    expect(parseLambdaValue(' 0.25 ')).toEqual({ value: 0.25 });
    expect(parseLambdaValue('40%')).toEqual({ value: 0.4 });
    expect(parseLambdaValue('1.5')).toHaveProperty('error');
    expect(parseLambdaValue('abc')).toHaveProperty('error');
    expect(parseLambdaValue('')).toHaveProperty('error');
  });
});
