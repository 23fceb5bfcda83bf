import { describe, expect, it } from 'vitest';
import { brushWeight, Stroke, type BrushSettings } from './brush';
import { makeGrid } from './edit';

const flat = (steps: number, frames: number, v: number) =>
  makeGrid(
    steps,
    frames,
    Array.from({ length: steps * frames }, (_, k) => (k % frames === 0 ? 1 : v)),
  );
const hard = (over: Partial<BrushSettings>): BrushSettings => ({
  mode: 'set',
  size: 1,
  strength: 1,
  falloff: 0,
  amount: 0.8,
  ...over,
});

describe('brush weight', () => {
  it('is full inside the hard core, smooth to zero at the rim, zero outside', () => {
    const b = { size: 4, strength: 0.5, falloff: 0.5 }; // radius 2, core radius 1
    expect(brushWeight(0, b)).toBe(0.5);
    expect(brushWeight(1, b)).toBe(0.5);
    expect(brushWeight(1.5, b)).toBeCloseTo(0.25, 12); // smoothstep(0.5) = 0.5
    expect(brushWeight(2, b)).toBe(0);
    expect(brushWeight(2.01, b)).toBe(0);
  });
});

describe('strokes', () => {
  it('a hard 1-cell stroke along a row sets exactly the cells it crossed', () => {
    const g = flat(6, 8, 0.3);
    const s = new Stroke(g, hard({}));
    s.moveTo(2.5, 1.5);
    const r = s.moveTo(2.5, 5.5);
    expect(r).toEqual({ r0: 2, r1: 2, c0: 2, c1: 5 });
    for (let i = 0; i < 6; i++) {
      for (let f = 0; f < 8; f++) {
        const painted = i === 2 && f >= 1 && f <= 5;
        expect(g.data[i * 8 + f]).toBe(f === 0 ? 1 : painted ? 0.8 : 0.3);
      }
    }
  });

  it('adds once per stroke however often the pointer passes, and clamps to [0, 1]', () => {
    const g = flat(3, 4, 0.5);
    const s = new Stroke(g, hard({ mode: 'add', amount: 0.25 }));
    for (let k = 0; k < 5; k++) {
      s.moveTo(1.5, 1.5);
      s.moveTo(1.5, 3.5);
    }
    expect(Array.from(g.data.subarray(4, 8))).toEqual([1, 0.75, 0.75, 0.75]);
    const t = new Stroke(g, hard({ mode: 'add', amount: 0.5 }));
    t.moveTo(1.5, 2.5);
    expect(g.data[6]).toBe(1);
  });

  it('multiplies with partial strength: base + w (base * k - base)', () => {
    const g = flat(3, 4, 0.6);
    new Stroke(g, hard({ mode: 'multiply', amount: 0.5, strength: 0.5 })).moveTo(0.5, 2.5);
    expect(g.data[2]).toBeCloseTo(0.6 + 0.5 * (0.3 - 0.6), 12);
  });

  it('smooths toward the 3x3 mean of the table as the stroke began', () => {
    const g = flat(3, 4, 0.2);
    g.data[1 * 4 + 2] = 1; // a spike in the middle
    new Stroke(g, hard({ mode: 'smooth' })).moveTo(1.5, 2.5);
    // Neighbourhood: rows 0..2, columns 1..3 (9 cells): eight 0.2 and one 1.
    expect(g.data[6]).toBeCloseTo((8 * 0.2 + 1) / 9, 12);
  });

  it('never paints the source column', () => {
    const g = flat(2, 3, 0.4);
    new Stroke(g, hard({ size: 3, amount: 0 })).moveTo(0.5, 0.5);
    expect(g.data[0]).toBe(1);
    expect(g.data[1]).toBe(0);
  });
});
