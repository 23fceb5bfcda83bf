import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sigmasForSteps } from '../schedule/sigmas';
import { CamtrackError } from '../util/errors';
import {
  defaultLambda,
  lambdaForTriple,
  lambdaScore,
  lambdaTripleScore,
  SEARCH_V1,
  SEARCH_V2,
  SEARCH_V3,
} from './search';

/**
 * A literal port of the reference loop (NVS-Solver search_hypers), written independently of
 * search.ts: every triple, every entry, all four candidates, arrays of numbers, as the Python
 * does. Math.sqrt of a negative is NaN, as numpy float64's `** 0.5` is there.
 */
function literalSearch(sigmasIn: ArrayLike<number>, F: number) {
  const sigmas = Array.from(sigmasIn).slice(0, -1);
  const sigmasMax = Math.max(...sigmas);
  const v1List = [0.001, 0.002, 0.003, 0.004, 0.005, 0.006, 0.007, 0.008, 0.009];
  const v2List = Array.from({ length: 20 }, (_, i) => 50 + 50 * i);
  const v3List = Array.from({ length: 10 }, (_, i) => 10 + 10 * i);
  let zeroCountDefault = 0;
  let best: { v: [number, number, number]; table: number[] } | null = null;
  const scores: number[] = [];
  for (const v1 of v1List) {
    for (const v2 of v2List) {
      for (const v3 of v3List) {
        let flag = true;
        const list: number[] = [];
        for (const sigma of sigmas) {
          const sigmaN = sigma / sigmasMax;
          for (let tau = 0; tau < F; tau++) {
            if (tau === 0) {
              list.push(1);
              continue;
            }
            const Q = v3 * Math.abs(tau / (F - 1) - 0) - v2 * sigmaN;
            const k = 0.8;
            const b = -0.2;
            const l1 =
              (-(2 * v1 + k * Q) + Math.sqrt((2 * k * v1 + k * Q) ** 2 - 4 * k * v1 * (k * v1 + Q * b))) / (2 * k * v1);
            const l2 =
              (-(2 * v1 + k * Q) - Math.sqrt((2 * k * v1 + k * Q) ** 2 - 4 * k * v1 * (k * v1 + Q * b))) / (2 * k * v1);
            const w = -v1;
            const l3 =
              (-(2 * w + k * Q) + Math.sqrt((2 * k * w + k * Q) ** 2 - 4 * k * w * (k * w + Q * b))) / (2 * k * w);
            const l4 =
              (-(2 * w + k * Q) - Math.sqrt((2 * k * w + k * Q) ** 2 - 4 * k * w * (k * w + Q * b))) / (2 * k * w);
            if (l1 > 1.0) list.push(l1 / (1 + l1));
            else if (l2 > 1.0) list.push(l2 / (1 + l2));
            else if (l3 <= 1.0 && l3 > 0) list.push(l3 / (1 + l3));
            else if (l4 <= 1.0 && l4 > 0) list.push(l4 / (1 + l4));
            else {
              flag = false;
              break;
            }
          }
        }
        if (flag) {
          const zeroCount = list.filter((x) => x > 0.5).length;
          scores.push(zeroCount);
          if (zeroCount > zeroCountDefault) {
            zeroCountDefault = zeroCount;
            best = { v: [v1, v2, v3], table: list };
          }
        } else scores.push(-1);
      }
    }
  }
  return { best: best!, score: zeroCountDefault, scores };
}

const here = path.dirname(fileURLToPath(import.meta.url));
interface RefCase {
  steps: number;
  frames: number;
  sigmas: number[];
  v1: number;
  v2: number;
  v3: number;
  score: number;
  lambda?: number[];
  sample?: [number, number][];
}
const reference = JSON.parse(readFileSync(path.join(here, 'testdata', 'reference_search.json'), 'utf8')) as {
  cases: RefCase[];
};

describe('the search grid', () => {
  it('is the reference grid (v1 = numpy.linspace(0.001, 0.009, 9), v2 = 50..1000, v3 = 10..100)', () => {
    expect(SEARCH_V1).toEqual([0.001, 0.002, 0.003, 0.004, 0.005, 0.006, 0.007, 0.008, 0.009]);
    expect(SEARCH_V2[0]).toBe(50);
    expect(SEARCH_V2[19]).toBe(1000);
    expect(SEARCH_V2.length).toBe(20);
    expect(SEARCH_V3).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  });
});

describe('lambdaForTriple: hand-worked entries', () => {
  // Written out independently of the reference's expression: with k = 0.8, b = -0.2,
  // B^2 - C = 0.64 Q (Q + 5a) for a = v1 and 0.64 Q (Q - 5a) for a = -v1; the accepted roots are
  //   Q < 0:  L = (0.8|Q| - 2a + 0.8 sqrt(|Q| (|Q| - 5a))) / (1.6a)          (a = +v1, first root)
  //   Q > 0:  L = 2.5a / (0.8Q - 2a + 0.8 sqrt(Q (Q - 5a)))                  (a = -v1, first root,
  //           rationalised so that no digits cancel), and Lambda = L / (1 + L).
  const s = sigmasForSteps(25);
  const a = 0.001;
  const t = lambdaForTriple(s, 25, a, 1000, 10)!;
  const neg = (Q: number) => {
    const q = -Q;
    const L = (0.8 * q - 2 * a + 0.8 * Math.sqrt(q * (q - 5 * a))) / (1.6 * a);
    return L / (1 + L);
  };
  const pos = (Q: number, v1 = a) => {
    const L = (2.5 * v1) / (0.8 * Q - 2 * v1 + 0.8 * Math.sqrt(Q * (Q - 5 * v1)));
    return L / (1 + L);
  };

  it('step 0, frame 24: sn = 1, tn = 1, Q = 10 - 1000 = -990, Lambda = 0.99999899', () => {
    expect(t.data[24]).toBeCloseTo(neg(-990), 12);
    expect(t.data[24]).toBeCloseTo(0.99999899, 8);
  });

  it('step 24, frame 1: sn = 0.002/700 (float32 0.002), Q = 10/24 - 1000 sn = 0.4138095, Lambda = 0.0037845', () => {
    const sn = Math.fround(0.002) / 700;
    const Q = 10 / 24 - 1000 * sn;
    expect(Q).toBeCloseTo(0.4138095, 7);
    expect(t.data[24 * 25 + 1]).toBeCloseTo(pos(Q), 12);
    expect(t.data[24 * 25 + 1]).toBeCloseTo(0.0037845, 7);
  });

  it('step 12, frame 12 of (0.005, 300, 70): sigma_12 = 15.58997, Q = 35 - 300 sigma/700 = 28.3186', () => {
    const t2 = lambdaForTriple(s, 25, 0.005, 300, 70)!;
    const Q = 70 * (12 / 24) - (300 * s[12]) / 700;
    expect(Q).toBeCloseTo(28.3186, 4);
    // The reference's form subtracts two numbers near 22 to get one near 7e-7 here, so it keeps
    // about 11 digits after the point; the rationalised form above keeps them all.
    expect(t2.data[12 * 25 + 12]).toBeCloseTo(pos(Q, 0.005), 11);
    expect(t2.data[12 * 25 + 12]).toBeCloseTo(0.00027592, 8);
  });
});

describe('defaultLambda against the reference', () => {
  for (const c of reference.cases) {
    it(`matches the Python transcription for ${c.steps} steps x ${c.frames} frames (triple, score, values to 1e-9)`, () => {
      const d = defaultLambda(c.sigmas, c.frames);
      expect([d.v1, d.v2, d.v3]).toEqual([c.v1, c.v2, c.v3]);
      expect(d.score).toBe(c.score);
      expect([d.table.steps, d.table.frames]).toEqual([c.steps, c.frames]);
      const pairs: [number, number][] = c.lambda ? c.lambda.map((v, i) => [i, v]) : c.sample!;
      expect(pairs.length).toBeGreaterThan(0);
      let worst = 0;
      for (const [i, v] of pairs) worst = Math.max(worst, Math.abs(d.table.data[i] - v));
      expect(worst).toBeLessThan(1e-9);
    });
  }

  it('uses sigmas from the committed schedule: the fixture schedules are the computed ones', () => {
    for (const c of reference.cases) expect(c.sigmas).toEqual(Array.from(sigmasForSteps(c.steps)));
  });
});

describe('defaultLambda against the literal port, every triple', () => {
  const cases: [number, number][] = [
    [25, 25],
    [100, 25],
    [25, 14],
    [3, 2],
    [12, 60],
  ];
  for (const [steps, frames] of cases) {
    it(`${steps} steps x ${frames} frames: same choice, same table, and every triple scored alike`, () => {
      const s = sigmasForSteps(steps);
      const lit = literalSearch(s, frames);
      const d = defaultLambda(s, frames);
      expect([d.v1, d.v2, d.v3]).toEqual(lit.best.v);
      expect(d.score).toBe(lit.score);
      let worst = 0;
      lit.best.table.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - d.table.data[i]))));
      expect(worst).toBeLessThan(1e-12);
      // Brute force: the chosen score is the maximum over all valid triples, and the fast scorer
      // agrees with the literal evaluation on validity and score for every triple.
      const fast: number[] = [];
      for (const v1 of SEARCH_V1)
        for (const v2 of SEARCH_V2) for (const v3 of SEARCH_V3) fast.push(lambdaTripleScore(s, frames, v1, v2, v3));
      expect(fast).toEqual(lit.scores);
      expect(Math.max(...lit.scores)).toBe(d.score);
      const k = lit.scores.indexOf(d.score);
      expect([SEARCH_V1[Math.floor(k / 200)], SEARCH_V2[Math.floor(k / 10) % 20], SEARCH_V3[k % 10]]).toEqual([
        d.v1,
        d.v2,
        d.v3,
      ]);
    });
  }
});

describe('defaultLambda invariants', () => {
  for (const [steps, frames] of [
    [1, 2],
    [25, 25],
    [50, 14],
    [100, 25],
    [8, 100],
  ]) {
    it(`${steps} x ${frames}: column 0 is 1, every value in (0, 1], score as counted`, () => {
      const d = defaultLambda(sigmasForSteps(steps), frames);
      const { table } = d;
      expect([table.steps, table.frames]).toEqual([steps, frames]);
      for (let i = 0; i < steps; i++) {
        expect(table.data[i * frames]).toBe(1);
        for (let f = 1; f < frames; f++) {
          const v = table.data[i * frames + f];
          expect(v > 0 && v <= 1, `step ${i}, frame ${f}: ${v}`).toBe(true);
        }
      }
      expect(lambdaScore(table)).toBe(d.score);
    });
  }

  it('lambdaForTriple returns null for an invalid triple and a table for a valid one', () => {
    const s = sigmasForSteps(25);
    const lit = literalSearch(s, 25);
    const bad = lit.scores.indexOf(-1);
    expect(bad).toBeGreaterThanOrEqual(0);
    expect(
      lambdaForTriple(
        s,
        25,
        SEARCH_V1[Math.floor(bad / 200)],
        SEARCH_V2[Math.floor(bad / 10) % 20],
        SEARCH_V3[bad % 10],
      ),
    ).toBeNull();
    expect(lambdaForTriple(s, 25, 0.001, 1000, 10)).not.toBeNull();
  });
});

describe('refusals', () => {
  const s = sigmasForSteps(10);
  const code = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(CamtrackError);
      return (e as CamtrackError).message;
    }
    throw new Error('expected a refusal');
  };
  it('refuses fewer than 2 frames or a fractional frame count', () => {
    expect(code(() => defaultLambda(s, 1))).toMatch(/at least 2 frames/);
    expect(code(() => defaultLambda(s, 2.5))).toMatch(/at least 2 frames/);
  });
  it('refuses a schedule without its final 0, or rising', () => {
    expect(code(() => defaultLambda([700, 1], 25))).toMatch(/end with 0/);
    expect(code(() => defaultLambda([1, 700, 0], 25))).toMatch(/decrease/);
  });
  it('refuses v1 <= 0 and non-finite parameters', () => {
    expect(code(() => lambdaForTriple(s, 25, 0, 100, 10))).toMatch(/v1 > 0/);
    expect(code(() => lambdaForTriple(s, 25, 0.001, NaN, 10))).toMatch(/finite/);
  });
});

describe('parameters outside the grid', () => {
  it('the fast score agrees with the literal entries when Q / v1 is huge (cancellation territory)', () => {
    // v3 = 1e7 with v1 = 1e-4 puts Q / v1 near 1e11, where the reference's subtraction loses
    // every digit: whatever it decides, the fast score must decide the same.
    const s = sigmasForSteps(6);
    for (const [v1, v2, v3] of [
      [1e-4, 50, 1e7],
      [0.001, 1e3, 1e6],
      [0.002, 1, 3e5],
    ]) {
      const t = lambdaForTriple(s, 9, v1, v2, v3);
      const score = lambdaTripleScore(s, 9, v1, v2, v3);
      expect(score).toBe(t ? lambdaScore(t) : -1);
    }
  });
});
