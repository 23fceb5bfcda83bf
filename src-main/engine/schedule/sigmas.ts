import { CamtrackError } from '../util/errors';
import type { NpyArray } from '../npy/npy';
import { karrasSigmas } from './karras';

/**
 * A sigma schedule: N noise levels from high to low, then a final 0 (N + 1 values). The lambda
 * table has one row per value before the 0. Computing the Karras schedule is exact (it matches the
 * committed sigmas/*.npy byte for byte, a test checks it), so any step count is computed here.
 */
export function sigmasForSteps(steps: number): Float32Array {
  if (!Number.isInteger(steps) || steps < 1)
    throw new CamtrackError('bad-input', `The number of steps must be a whole number >= 1 (got ${steps}).`);
  return karrasSigmas(steps);
}

/** The number of denoising steps of a schedule (its length without the final 0). */
export function stepsOf(sigmas: ArrayLike<number>): number {
  return sigmas.length - 1;
}

/**
 * Checks that values form a usable schedule: at least two, all finite, strictly decreasing,
 * positive except the last, which is exactly 0. Throws a CamtrackError naming the first problem.
 */
export function validateSigmas(sigmas: ArrayLike<number>, name = 'The sigma schedule'): void {
  const n = sigmas.length;
  if (n < 2)
    throw new CamtrackError(
      'bad-input',
      `${name} has ${n} value${n === 1 ? '' : 's'}; it needs at least one sigma and a final 0.`,
    );
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(sigmas[i]))
      throw new CamtrackError('bad-input', `${name}: value ${i} is ${sigmas[i]}, not a finite number.`);
  }
  for (let i = 1; i < n; i++) {
    if (!(sigmas[i] < sigmas[i - 1])) {
      throw new CamtrackError(
        'bad-input',
        `${name} must decrease strictly: value ${i} (${sigmas[i]}) is not below value ${i - 1} (${sigmas[i - 1]}).`,
      );
    }
  }
  if (sigmas[n - 1] !== 0)
    throw new CamtrackError('bad-input', `${name} must end with 0 (its last value is ${sigmas[n - 1]}).`);
}

/** A schedule from a parsed .npy array: 1-D and valid, else refused. */
export function sigmasFromNpy(a: NpyArray, name = 'The sigma file'): Float32Array | Float64Array {
  if (a.shape.length !== 1)
    throw new CamtrackError(
      'bad-input',
      `${name} must hold a 1-D array of sigmas; its shape is (${a.shape.join(', ')}).`,
    );
  validateSigmas(a.data, name);
  return a.data;
}
