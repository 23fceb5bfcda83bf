import { describe, expect, it } from 'vitest';
import { luminance, lutIndex, LUT_SIZE, viridis, viridisLut } from './colormap';

// matplotlib's viridis at 0, 0.25, 0.5, 0.75 and 1 (#440154, #3b528b, #21918c, #5ec962, #fde725).
const REF: [number, number[]][] = [
  [0, [68, 1, 84]],
  [0.25, [59, 82, 139]],
  [0.5, [33, 145, 140]],
  [0.75, [94, 201, 98]],
  [1, [253, 231, 37]],
];

describe('viridis', () => {
  it('matches the matplotlib table within 2% at its quarter points', () => {
    for (const [t, rgb] of REF) {
      const got = viridis(t).map((c) => c * 255);
      got.forEach((c, i) => expect(Math.abs(c - rgb[i])).toBeLessThan(0.02 * 255));
    }
  });

  it('gets lighter all the way from 0 to 1 (readable as a ramp)', () => {
    let prev = -1;
    for (let i = 0; i <= 100; i++) {
      const y = luminance(viridis(i / 100));
      expect(y).toBeGreaterThan(prev);
      prev = y;
    }
  });

  it('the lookup table holds the same colours', () => {
    const lut = viridisLut();
    expect(lut.length).toBe(LUT_SIZE * 3);
    const k = lutIndex(0.5) * 3;
    expect(Math.abs(lut[k] - 33)).toBeLessThan(6);
    expect(lutIndex(-0.1)).toBe(0);
    expect(lutIndex(1.5)).toBe(LUT_SIZE - 1);
    expect(lutIndex(NaN)).toBe(0);
  });
});
