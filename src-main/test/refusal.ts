import { expect } from 'vitest';
import { CamtrackError } from '../engine/util/errors';

/** Runs `f`, expects it to refuse with a CamtrackError, and says how long the refusal took. */
export async function refusal(f: () => unknown): Promise<{ err: CamtrackError; ms: number }> {
  const t0 = performance.now();
  let caught: unknown;
  try {
    await f();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(CamtrackError);
  return { err: caught as CamtrackError, ms: performance.now() - t0 };
}
