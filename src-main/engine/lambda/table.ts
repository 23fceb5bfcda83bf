import { CamtrackError } from '../util/errors';

/**
 * The lambda table: one guidance weight per denoising step (row) and frame (column).
 * It carries its shape, so a table made for another step count or track length cannot be
 * handed to the sampler by mistake: every boundary calls `assertLambdaShape`.
 */
export interface LambdaTable {
  readonly steps: number;
  readonly frames: number;
  /** Row-major [step][frame], length steps * frames. */
  readonly data: Float64Array;
}

export function makeLambdaTable(steps: number, frames: number, data?: ArrayLike<number>): LambdaTable {
  if (!Number.isInteger(steps) || steps < 1)
    throw new CamtrackError('bad-input', `A lambda table needs at least 1 step (got ${steps}).`);
  if (!Number.isInteger(frames) || frames < 1)
    throw new CamtrackError('bad-input', `A lambda table needs at least 1 frame (got ${frames}).`);
  const buf = new Float64Array(steps * frames);
  if (data) {
    if (data.length !== buf.length)
      throw new CamtrackError(
        'shape-mismatch',
        `Lambda values do not fit a ${steps} x ${frames} table: got ${data.length} values, need ${buf.length}.`,
      );
    buf.set(data);
    for (let i = 0; i < buf.length; i++) {
      if (!Number.isFinite(buf[i]))
        throw new CamtrackError(
          'bad-input',
          `Lambda value at step ${Math.floor(i / frames)}, frame ${i % frames} is not a finite number.`,
        );
    }
  }
  return { steps, frames, data: buf };
}

export function lambdaAt(t: LambdaTable, step: number, frame: number): number {
  return t.data[step * t.frames + frame];
}

/** Refuses a table whose shape is not [steps][frames], naming where it was about to be used. */
export function assertLambdaShape(t: LambdaTable, steps: number, frames: number, where: string): void {
  if (t.steps !== steps || t.frames !== frames) {
    throw new CamtrackError(
      'shape-mismatch',
      `${where}: the lambda table is ${t.steps} steps x ${t.frames} frames, but this render has ${steps} steps x ${frames} frames. Resample the table or reset it to the default.`,
    );
  }
}

/** Rows as nested arrays, for JSON. */
export function lambdaRows(t: LambdaTable): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i < t.steps; i++) rows.push(Array.from(t.data.subarray(i * t.frames, (i + 1) * t.frames)));
  return rows;
}

export function lambdaFromRows(rows: number[][]): LambdaTable {
  const steps = rows.length;
  const frames = rows[0]?.length ?? 0;
  rows.forEach((r, i) => {
    if (r.length !== frames)
      throw new CamtrackError('shape-mismatch', `Lambda table row ${i} has ${r.length} values; row 0 has ${frames}.`);
  });
  return makeLambdaTable(steps, frames, rows.flat());
}
