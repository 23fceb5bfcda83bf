import { CamtrackError } from '../util/errors';
import { makeLambdaTable, type LambdaTable } from './table';

/** Helpers for the heatmap editor and the sampler. Frame 0 (the source photo) is never guided. */
export interface LambdaSummary {
  /** Over the guided frames (1..F-1); over frame 0 when the table has a single frame. */
  min: number;
  max: number;
  mean: number;
}

export function lambdaSummary(table: LambdaTable): LambdaSummary {
  const first = table.frames > 1 ? 1 : 0;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < table.steps; i++) {
    for (let f = first; f < table.frames; f++) {
      const v = table.data[i * table.frames + f];
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
    }
  }
  return { min, max, mean: sum / (table.steps * (table.frames - first)) };
}

/** The weights the sampler uses: clamp(Lambda, lambdaMin, 1) (docs/design.md, "Guidance"). */
export function clampLambda(table: LambdaTable, lambdaMin: number): LambdaTable {
  if (!(lambdaMin >= 0 && lambdaMin <= 1))
    throw new CamtrackError('bad-input', `lambdaMin must be in [0, 1] (got ${lambdaMin}).`);
  const out = new Float64Array(table.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.min(1, Math.max(lambdaMin, table.data[i]));
  return makeLambdaTable(table.steps, table.frames, out);
}

/** A constant table (column 0 is 1, as in every table the studio makes). */
export function constantLambda(steps: number, frames: number, value: number): LambdaTable {
  return rampLambda(steps, frames, 'steps', value, value);
}

/** A linear ramp from `from` to `to` over the steps (first to last) or the guided frames (1 to F-1). */
export function rampLambda(
  steps: number,
  frames: number,
  axis: 'steps' | 'frames',
  from: number,
  to: number,
): LambdaTable {
  for (const v of [from, to]) {
    if (!(v >= 0 && v <= 1)) throw new CamtrackError('bad-input', `Lambda values must lie in [0, 1] (got ${v}).`);
  }
  const t = makeLambdaTable(steps, frames);
  const data = t.data as Float64Array;
  for (let i = 0; i < steps; i++) {
    data[i * frames] = 1;
    for (let f = 1; f < frames; f++) {
      const u = axis === 'steps' ? (steps === 1 ? 0 : i / (steps - 1)) : frames === 2 ? 0 : (f - 1) / (frames - 2);
      data[i * frames + f] = from + u * (to - from);
    }
  }
  return t;
}
