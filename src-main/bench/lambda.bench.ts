import { defaultLambda } from '../engine/lambda/search';
import { sigmasForSteps } from '../engine/schedule/sigmas';
import { timeMs, type Benchmark, type BenchFigure } from './harness';

/**
 * The straightforward port of the reference search (NVS-Solver search_hypers): every triple
 * builds its whole table as arrays of arrays, every entry computes all four candidates with
 * Math.sqrt, and the score is counted afterwards. The baseline the fast search is measured against.
 */
function literalSearch(sigmasIn: ArrayLike<number>, frames: number): { v: number[]; table: number[][] } {
  const sigmas = Array.from(sigmasIn).slice(0, -1);
  const sigmasMax = Math.max(...sigmas);
  const v1List = [0.001, 0.002, 0.003, 0.004, 0.005, 0.006, 0.007, 0.008, 0.009];
  const v2List = Array.from({ length: 20 }, (_, i) => 50 * (i + 1));
  const v3List = Array.from({ length: 10 }, (_, i) => 10 * (i + 1));
  const k = 0.8;
  const b = -0.2;
  const roots = (a: number, Q: number) => {
    const r = Math.sqrt((2 * k * a + k * Q) ** 2 - 4 * k * a * (k * a + Q * b));
    return [(-(2 * a + k * Q) + r) / (2 * k * a), (-(2 * a + k * Q) - r) / (2 * k * a)];
  };
  let best = 0;
  let result: { v: number[]; table: number[][] } = { v: [], table: [] };
  for (const v1 of v1List) {
    for (const v2 of v2List) {
      for (const v3 of v3List) {
        let valid = true;
        const table: number[][] = [];
        for (const sigma of sigmas) {
          const row: number[] = [];
          for (let t = 0; t < frames && valid; t++) {
            if (t === 0) {
              row.push(1);
              continue;
            }
            const Q = v3 * (t / (frames - 1)) - v2 * (sigma / sigmasMax);
            const [l1, l2] = roots(v1, Q);
            const [l3, l4] = roots(-v1, Q);
            const L = l1 > 1 ? l1 : l2 > 1 ? l2 : l3 <= 1 && l3 > 0 ? l3 : l4 <= 1 && l4 > 0 ? l4 : NaN;
            if (Number.isNaN(L)) valid = false;
            else row.push(L / (1 + L));
          }
          table.push(row);
        }
        if (!valid) continue;
        const score = table.flat().filter((x) => x > 0.5).length;
        if (score > best) {
          best = score;
          result = { v: [v1, v2, v3], table };
        }
      }
    }
  }
  return result;
}

export const lambdaBenchmark: Benchmark = {
  name: 'lambda',
  description: 'default lambda table search (docs/design.md, The lambda table) for 25, 50 and 100 steps at 25 frames',
  async run(): Promise<BenchFigure[]> {
    const figures: BenchFigure[] = [];
    for (const steps of [25, 50, 100]) {
      const sigmas = sigmasForSteps(steps);
      const fast = defaultLambda(sigmas, 25);
      const slow = literalSearch(sigmas, 25);
      if (slow.v.join() !== [fast.v1, fast.v2, fast.v3].join())
        throw new Error(`lambda bench: the two searches disagree at ${steps} steps`);
      const value = await timeMs(() => defaultLambda(sigmas, 25), 21, 3);
      const baseline = await timeMs(() => literalSearch(sigmas, 25), 5, 1);
      figures.push({
        label: `lambda search, ${steps} steps x 25 frames`,
        value,
        unit: 'ms',
        baseline: { label: 'literal port: arrays of arrays, every candidate with Math.sqrt', value: baseline },
        target: { max: 50 },
      });
    }
    return figures;
  },
};
