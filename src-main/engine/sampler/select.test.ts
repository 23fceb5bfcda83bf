import { describe, expect, it } from 'vitest';
import { SelectScratch, selectKth } from './select';
import { Xoshiro128ss } from './rng';

function bitsOf(v: number): number {
  return new Uint32Array(new Float32Array([v]).buffer)[0];
}

/** The answer by sorting: the k-th value and how many are strictly below it. */
function bySort(values: Float32Array, k: number): { bits: number; less: number } {
  const s = Float32Array.from(values).sort();
  const v = s[k - 1];
  return { bits: bitsOf(v), less: s.findIndex((x) => x === v) };
}

describe('selectKth', () => {
  const rng = new Xoshiro128ss(99);
  const scratch = new SelectScratch();

  it('finds the exact k-th smallest and the count below it, duplicates and extremes included', () => {
    for (let trial = 0; trial < 60; trial++) {
      const n = 1 + (rng.nextU32() % 3000);
      const keys = new Float32Array(n);
      const kind = trial % 4;
      for (let i = 0; i < n; i++) {
        const u = rng.nextDouble();
        if (kind === 0) keys[i] = u * 10;
        else if (kind === 1)
          keys[i] = Math.floor(u * 7) / 4; // heavy ties
        else if (kind === 2)
          keys[i] = u < 0.1 ? 0 : u < 0.15 ? Infinity : Math.exp(-60 * u); // zeros, inf, tiny values
        else keys[i] = 1 + u * 1e-6; // one exponent, differing only in low mantissa bits
      }
      const bits = new Uint32Array(keys.buffer);
      const copy = Uint32Array.from(bits);
      for (const k of [1, n, 1 + (rng.nextU32() % n), 1 + (rng.nextU32() % n)]) {
        expect(selectKth(bits, n, k, scratch)).toEqual(bySort(keys, k));
      }
      expect(bits).toEqual(copy); // keys untouched
    }
  });

  it('handles all-equal keys and a single key', () => {
    const keys = new Float32Array(100).fill(0.5);
    expect(selectKth(new Uint32Array(keys.buffer), 100, 37, scratch)).toEqual({ bits: bitsOf(0.5), less: 0 });
    expect(selectKth(new Uint32Array(new Float32Array([3]).buffer), 1, 1, scratch)).toEqual({
      bits: bitsOf(3),
      less: 0,
    });
  });

  it('refuses k outside 1..n', () => {
    const b = new Uint32Array(4);
    expect(() => selectKth(b, 4, 0, scratch)).toThrow(RangeError);
    expect(() => selectKth(b, 4, 5, scratch)).toThrow(RangeError);
  });
});
