import { describe, expect, it } from 'vitest';
import { sigmasForSteps } from '../schedule/sigmas';
import { CamtrackError } from '../util/errors';
import { resampleLambda } from './resample';
import { defaultLambda } from './search';
import { makeLambdaTable, type LambdaTable } from './table';

const at = (t: LambdaTable, i: number, f: number) => t.data[i * t.frames + f];
const maxDiff = (a: LambdaTable, b: LambdaTable) => {
  let m = 0;
  for (let i = 0; i < a.data.length; i++) m = Math.max(m, Math.abs(a.data[i] - b.data[i]));
  return m;
};

/** A smooth test table: value = f(log sigma, t / (F-1)), column 0 = 1. */
function smoothTable(sigmas: Float32Array, frames: number): LambdaTable {
  const steps = sigmas.length - 1;
  const data = new Float64Array(steps * frames);
  for (let i = 0; i < steps; i++) {
    data[i * frames] = 1;
    for (let f = 1; f < frames; f++)
      data[i * frames + f] = 0.5 + 0.4 * Math.sin(Math.log(sigmas[i]) / 3 + (2 * f) / (frames - 1));
  }
  return makeLambdaTable(steps, frames, data);
}

describe('resampleLambda', () => {
  const s25 = sigmasForSteps(25);
  const s50 = sigmasForSteps(50);
  const s100 = sigmasForSteps(100);

  it('returns a table resampled to its own shape unchanged', () => {
    const { table } = defaultLambda(s25, 25);
    const same = resampleLambda(table, s25, sigmasForSteps(25), 25);
    expect(Array.from(same.data)).toEqual(Array.from(table.data));
    expect(same.data).not.toBe(table.data); // a copy: editing one does not edit the other
  });

  it('keeps column 0 at exactly 1 and places rows by log sigma, columns by t / (F - 1)', () => {
    const t = smoothTable(s25, 25);
    const r = resampleLambda(t, s25, s50, 13);
    expect([r.steps, r.frames]).toEqual([50, 13]);
    for (let j = 0; j < 50; j++) expect(at(r, j, 0)).toBe(1);
    // First and last rows share sigma 700 and 0.002: exact rows there. New frame g sits at old
    // frame 2g (12 * 2 = 24), so those values are taken exactly.
    for (let g = 1; g < 13; g++) {
      expect(at(r, 0, g)).toBe(at(t, 0, 2 * g));
      expect(at(r, 49, g)).toBe(at(t, 24, 2 * g));
    }
    // An interior row: linear in log sigma between the two old rows around it.
    const x = Math.log(s50[20]);
    let i = 0;
    while (!(Math.log(s25[i]) >= x && x > Math.log(s25[i + 1]))) i++;
    const w = (Math.log(s25[i]) - x) / (Math.log(s25[i]) - Math.log(s25[i + 1]));
    expect(at(r, 20, 5)).toBeCloseTo((1 - w) * at(t, i, 10) + w * at(t, i + 1, 10), 14);
    // An interior column: new frame 1 of 4 frames sits at old position 24/3 = 8.
    const r4 = resampleLambda(t, s25, s25, 4);
    expect(at(r4, 3, 1)).toBe(at(t, 3, 8));
    // New frame 1 of 49 sits at old position 0.5, but frame 0's 1 is a placeholder: it takes old frame 1.
    const r49 = resampleLambda(t, s25, s25, 49);
    expect(at(r49, 3, 1)).toBe(at(t, 3, 1));
    const r7 = resampleLambda(t, s25, s25, 8); // new frame 1 at 24/7 = 3.43: between old 3 and 4
    const p = 24 / 7;
    expect(at(r7, 3, 1)).toBeCloseTo(at(t, 3, 3) + (p - 3) * (at(t, 3, 4) - at(t, 3, 3)), 14);
  });

  it('round-trips frames 25 -> 49 -> 25 exactly (the old frames are among the new ones)', () => {
    const t = smoothTable(s25, 25);
    const back = resampleLambda(resampleLambda(t, s25, s25, 49), s25, s25, 25);
    expect(maxDiff(back, t)).toBeLessThan(1e-15);
  });

  it('round-trips steps 25 -> 100 -> 25 within the bound of re-interpolating a piecewise-linear row', () => {
    // Along log sigma the table is piecewise linear with kinks at the old rows. Interpolating
    // samples of it taken at the 100-step sigmas, at an old row x_i bracketed by new rows at
    // distances d1, d2, is off by d1 d2 / (d1 + d2) * |slope change at x_i| <= h / 4 * |dm|,
    // h the new spacing there. The test computes that bound per entry and checks against it.
    const t = smoothTable(s25, 25);
    const up = resampleLambda(t, s25, s100, 25);
    const back = resampleLambda(up, s100, s25, 25);
    const x25 = Array.from(s25.subarray(0, 25), Math.log);
    const x100 = Array.from(s100.subarray(0, 100), Math.log);
    let worstRatio = 0;
    for (let i = 1; i < 24; i++) {
      const j = x100.findIndex((x) => x < x25[i]);
      const h = x100[j - 1] - x100[j];
      for (let f = 1; f < 25; f++) {
        const m1 = (at(t, i - 1, f) - at(t, i, f)) / (x25[i - 1] - x25[i]);
        const m2 = (at(t, i, f) - at(t, i + 1, f)) / (x25[i] - x25[i + 1]);
        const bound = (h / 4) * Math.abs(m2 - m1) + 1e-14;
        const err = Math.abs(at(back, i, f) - at(t, i, f));
        expect(err, `step ${i}, frame ${f}`).toBeLessThanOrEqual(bound);
        worstRatio = Math.max(worstRatio, err / bound);
      }
    }
    // The end rows share their sigma in both schedules: exact.
    for (let f = 0; f < 25; f++) {
      expect(at(back, 0, f)).toBe(at(t, 0, f));
      expect(at(back, 24, f)).toBe(at(t, 24, f));
    }
    expect(worstRatio).toBeGreaterThan(0.05); // the bound is tight, not vacuous
    expect(maxDiff(back, t)).toBeLessThan(0.01);
  });

  it('keeps a painted region in place across a change of steps and frames', () => {
    // Paint 0.9 over frames 10..16 (of 25, normalised 0.42..0.67) at sigmas 1..10 on a 0.3 background.
    const data = new Float64Array(25 * 25).fill(0.3);
    for (let i = 0; i < 25; i++) {
      data[i * 25] = 1;
      if (s25[i] >= 1 && s25[i] <= 10) for (let f = 10; f <= 16; f++) data[i * 25 + f] = 0.9;
    }
    const painted = makeLambdaTable(25, 25, data);
    const r = resampleLambda(painted, s25, s100, 49);
    // Inside: between the painted old rows and frames; outside: beyond the unpainted old rows and
    // frames next to the paint (between those, values blend linearly).
    const old = Array.from(s25.subarray(0, 25));
    const paintedRows = old.filter((x) => x >= 1 && x <= 10);
    const [hiIn, loIn] = [Math.max(...paintedRows), Math.min(...paintedRows)];
    const hiOut = Math.min(...old.filter((x) => x > 10));
    const loOut = Math.max(...old.filter((x) => x < 1));
    const inside: number[] = [];
    const outside: number[] = [];
    for (let j = 0; j < 100; j++) {
      for (let g = 1; g < 49; g++) {
        const u = g / 48;
        const v = at(r, j, g);
        if (s100[j] <= hiIn && s100[j] >= loIn && u >= 10 / 24 && u <= 16 / 24) inside.push(v);
        if (s100[j] >= hiOut || s100[j] <= loOut || u <= 9 / 24 || u >= 17 / 24) outside.push(v);
      }
    }
    expect(inside.length).toBeGreaterThan(50);
    expect(outside.length).toBeGreaterThan(1000);
    for (const v of inside) expect(v).toBeCloseTo(0.9, 12);
    for (const v of outside) expect(v).toBeCloseTo(0.3, 12);
  });

  it('refuses a schedule that does not match the table, and fewer than 2 frames', () => {
    const t = smoothTable(s25, 25);
    expect(() => resampleLambda(t, s50, s25, 25)).toThrow(/25 steps but the old sigma schedule has 50/);
    expect(() => resampleLambda(t, s25, s50, 1)).toThrow(CamtrackError);
    expect(() => resampleLambda(t, s25, [5, 6, 0], 25)).toThrow(/decrease/);
  });
});
