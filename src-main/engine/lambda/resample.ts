import { CamtrackError } from '../util/errors';
import { validateSigmas } from '../schedule/sigmas';
import { makeLambdaTable, type LambdaTable } from './table';

/**
 * Resamples a lambda table to another schedule and/or frame count, for when the step count or the
 * track length changes. Rows are placed by log-sigma (a step is "how much noise is left", so an
 * edit made at sigma 5 stays at sigma 5 whatever the step count), columns by normalised frame
 * position t / (F - 1) (an edit at mid-track stays at mid-track); values are interpolated
 * linearly in both (between guided frames 1..F-1 only), and sigmas beyond the old schedule's
 * ends take its first/last row.
 * Column 0 (the source frame, which the sampler keeps as it is) is set to exactly 1.
 * Resampling to the same schedule and frame count returns the table's values unchanged.
 *
 * `sigmasOld`/`sigmasNew` are full schedules with their final 0 (steps + 1 values).
 */
export function resampleLambda(
  table: LambdaTable,
  sigmasOld: ArrayLike<number>,
  sigmasNew: ArrayLike<number>,
  newFrames: number,
): LambdaTable {
  validateSigmas(sigmasOld, 'The old sigma schedule');
  validateSigmas(sigmasNew, 'The new sigma schedule');
  if (sigmasOld.length !== table.steps + 1) {
    throw new CamtrackError(
      'shape-mismatch',
      `The lambda table has ${table.steps} steps but the old sigma schedule has ${sigmasOld.length - 1} (plus its final 0).`,
    );
  }
  if (!Number.isInteger(newFrames) || newFrames < 2)
    throw new CamtrackError('bad-input', `A resampled lambda table needs at least 2 frames (got ${newFrames}).`);
  const oldSteps = table.steps;
  const oldFrames = table.frames;
  const newSteps = sigmasNew.length - 1;
  if (newFrames === oldFrames && sameSchedule(sigmasOld, sigmasNew))
    return makeLambdaTable(oldSteps, oldFrames, table.data);

  // Row sources: for each new row, the old row above it and the weight of the one below.
  const logOld = new Float64Array(oldSteps);
  for (let i = 0; i < oldSteps; i++) logOld[i] = Math.log(sigmasOld[i]);
  const rowA = new Int32Array(newSteps);
  const rowW = new Float64Array(newSteps);
  let i = 0;
  for (let j = 0; j < newSteps; j++) {
    const x = Math.log(sigmasNew[j]);
    if (oldSteps === 1 || x >= logOld[0]) {
      rowA[j] = 0;
      rowW[j] = 0;
      continue;
    }
    if (x <= logOld[oldSteps - 1]) {
      rowA[j] = oldSteps - 1;
      rowW[j] = 0;
      continue;
    }
    // New sigmas decrease too, so the bracket only moves down: one pass over the old rows. It
    // ends with logOld[i] >= x > logOld[i + 1]: a new sigma equal to an old one gets weight 0.
    while (i < oldSteps - 2 && x <= logOld[i + 1]) i++;
    rowA[j] = i;
    rowW[j] = (logOld[i] - x) / (logOld[i] - logOld[i + 1]);
  }

  // Column sources, by normalised frame position.
  const colA = new Int32Array(newFrames);
  const colW = new Float64Array(newFrames);
  for (let g = 0; g < newFrames; g++) {
    // Column 0's 1 is a placeholder (frame 0 is never guided), so guided frames interpolate only
    // between guided frames: a position before old frame 1 takes old frame 1.
    const p = oldFrames === 1 ? 0 : Math.max(1, (g * (oldFrames - 1)) / (newFrames - 1));
    const c = Math.min(Math.floor(p), oldFrames - 1);
    colA[g] = c;
    colW[g] = c === oldFrames - 1 ? 0 : p - c;
  }

  const src = table.data;
  const out = new Float64Array(newSteps * newFrames);
  for (let j = 0; j < newSteps; j++) {
    const r0 = rowA[j] * oldFrames;
    const wr = rowW[j];
    const r1 = wr === 0 ? r0 : r0 + oldFrames;
    out[j * newFrames] = 1;
    for (let g = 1; g < newFrames; g++) {
      const c0 = colA[g];
      const wc = colW[g];
      const c1 = wc === 0 ? c0 : c0 + 1;
      const top = lerp(src[r0 + c0], src[r0 + c1], wc);
      const bottom = lerp(src[r1 + c0], src[r1 + c1], wc);
      out[j * newFrames + g] = lerp(top, bottom, wr);
    }
  }
  return makeLambdaTable(newSteps, newFrames, out);
}

/** Exact at w = 0 (a + 0 * (b - a) is a). */
function lerp(a: number, b: number, w: number): number {
  return a + w * (b - a);
}

function sameSchedule(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
