/**
 * Benchmarks (`npm run bench`, `camtrack bench [name...]`). Each figure is printed with a baseline
 * measured in the same run (a straightforward implementation of the same job, or the same code on
 * one core) and the ratio between them, so numbers stay comparable across machines.
 */
export interface BenchFigure {
  /** What was measured, e.g. "lambda search, 25 steps x 25 frames". */
  label: string;
  value: number;
  unit: 'ms' | 'MB' | 'fps' | string;
  baseline: { label: string; value: number };
  /** Optional target, e.g. 1000 ms; printed as met or missed. */
  target?: { max?: number; min?: number };
}

export interface Benchmark {
  name: string;
  description: string;
  run(): Promise<BenchFigure[]>;
}

/** Median wall time of `fn` in ms over `runs` runs after `warmup` runs. */
export async function timeMs(fn: () => unknown | Promise<unknown>, runs = 5, warmup = 1): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export function formatFigure(f: BenchFigure): string {
  const ratio = f.baseline.value === 0 ? 'n/a' : (f.value / f.baseline.value).toFixed(3);
  let verdict = '';
  if (f.target?.max !== undefined)
    verdict =
      f.value <= f.target.max
        ? ` [target <= ${f.target.max} ${f.unit}: met]`
        : ` [target <= ${f.target.max} ${f.unit}: MISSED]`;
  if (f.target?.min !== undefined)
    verdict =
      f.value >= f.target.min
        ? ` [target >= ${f.target.min} ${f.unit}: met]`
        : ` [target >= ${f.target.min} ${f.unit}: MISSED]`;
  return `${f.label}: ${f.value.toFixed(3)} ${f.unit}; baseline (${f.baseline.label}): ${f.baseline.value.toFixed(3)} ${f.unit}; ratio ${ratio}${verdict}`;
}
