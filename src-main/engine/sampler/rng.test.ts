import { describe, expect, it } from 'vitest';
import { GaussianStream, Xoshiro128ss, fillGaussian, gaussianNoise, ln } from './rng';

describe('Xoshiro128ss', () => {
  it('matches the reference C implementation (Blackman & Vigna) with SplitMix32 seeding', () => {
    // Printed by xoshiro128starstar.c (next() verbatim) seeded with the SplitMix32 of rng.ts, seed 42.
    const r = new Xoshiro128ss(42);
    expect(Array.from({ length: 6 }, () => r.nextU32())).toEqual([
      2837322924, 544945897, 479756282, 3500138142, 339756180, 113173290,
    ]);
    expect(new Xoshiro128ss(0xffffffff).nextU32()).toBe(835879718);
  });

  it('refuses seeds that are not 32-bit whole numbers', () => {
    for (const bad of [-1, 1.5, 2 ** 32, Number.NaN]) expect(() => new Xoshiro128ss(bad)).toThrow(/seed/);
  });
});

describe('ln', () => {
  it('agrees with Math.log to a few ulp over the whole range, subnormals included', () => {
    const xs = [
      5e-324, 1e-310, 2.2250738585072014e-308, 1e-100, 1e-10, 0.1, 0.5, 0.7071067811865476, 0.99999999, 1, 1.0000001,
      1.4142135623730951, 2, 10, 1e100, 1.7e308,
    ];
    for (let i = 1; i < 2000; i++) xs.push(i / 2000, Math.exp(-i / 20));
    for (const x of xs) {
      const want = Math.log(x);
      expect(Math.abs(ln(x) - want)).toBeLessThanOrEqual(Math.abs(want) * 1e-15 + 1e-300);
    }
    expect(ln(1)).toBe(0);
    expect(ln(0)).toBe(-Infinity);
    expect(ln(-1)).toBeNaN();
  });
});

describe('seeded Gaussian noise', () => {
  it('gives the committed golden values for seed 12345', () => {
    const golden = [
      0.7705206274986267, -1.2197189331054688, -1.480540156364441, -0.5037469267845154, 0.2618848383426666,
      -0.22446563839912415, -2.2602078914642334, 0.15595392882823944,
    ];
    expect(Array.from(gaussianNoise(8, 12345))).toEqual(golden);
  });

  it('is the same twice for one seed and different for another', () => {
    const a = gaussianNoise(1000, 7);
    expect(fillGaussian(new Float32Array(1000), 7)).toEqual(a);
    const b = gaussianNoise(1000, 8);
    let same = 0;
    for (let i = 0; i < 1000; i++) if (a[i] === b[i]) same++;
    expect(same).toBeLessThan(5);
  });

  it('has mean 0, variance 1 and normal tails', () => {
    const n = 200_000;
    const g = new GaussianStream(2024);
    let s = 0;
    let s2 = 0;
    let tail2 = 0;
    for (let i = 0; i < n; i++) {
      const z = g.next();
      s += z;
      s2 += z * z;
      if (Math.abs(z) > 2) tail2++;
    }
    const mean = s / n;
    const variance = s2 / n - mean * mean;
    // 5 standard errors: sd(mean) = 1/sqrt(n) = 0.0022, sd(var) = sqrt(2/n) = 0.0032.
    expect(Math.abs(mean)).toBeLessThan(0.011);
    expect(Math.abs(variance - 1)).toBeLessThan(0.016);
    // P(|z| > 2) = 0.0455; sd of the fraction = 0.00047.
    expect(Math.abs(tail2 / n - 0.0455)).toBeLessThan(0.0024);
  });
});
