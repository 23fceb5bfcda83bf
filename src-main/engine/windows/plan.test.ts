import { describe, expect, it } from 'vitest';
import { blendWeights, planWindows, stitch } from './plan';

describe('planWindows', () => {
  it('60 frames, 25-frame model, overlap 4: [0,25) [21,46) [35,60) (the last shifted back to end at 60)', () => {
    expect(planWindows(60, 25, 4)).toEqual([
      { start: 0, end: 25 },
      { start: 21, end: 46 },
      { start: 35, end: 60 },
    ]);
  });
  it('a track the model fits is one window; an exact fit has no shifted window', () => {
    expect(planWindows(14, 25)).toEqual([{ start: 0, end: 14 }]);
    expect(planWindows(25, 25)).toEqual([{ start: 0, end: 25 }]);
    // 14-frame model, overlap 2: step 12 -> [0,14) [12,26) [24,38): 38 fits exactly.
    expect(planWindows(38, 14, 2)).toEqual([
      { start: 0, end: 14 },
      { start: 12, end: 26 },
      { start: 24, end: 38 },
    ]);
    expect(planWindows(26, 25, 4)).toEqual([
      { start: 0, end: 25 },
      { start: 1, end: 26 },
    ]);
  });
  it('every window is modelFrames long, the first frame of window k+1 lies in window k, and the track is covered', () => {
    for (const [n, m, o] of [
      [60, 25, 4],
      [100, 14, 3],
      [241, 25, 1],
      [30, 25, 24],
    ]) {
      const ws = planWindows(n, m, o);
      expect(ws[0].start).toBe(0);
      expect(ws.at(-1)!.end).toBe(n);
      for (const w of ws) expect(w.end - w.start).toBe(m);
      for (let k = 1; k < ws.length; k++) {
        expect(ws[k].start).toBeGreaterThan(ws[k - 1].start);
        expect(ws[k - 1].end - ws[k].start).toBeGreaterThanOrEqual(o);
      }
    }
  });
  it('refuses bad input with messages naming the problem', () => {
    expect(() => planWindows(60, 25, 25)).toThrow(/overlap \(25\) must be smaller than the model's frame count \(25\)/);
    expect(() => planWindows(60, 25, 0)).toThrow(/overlap must be a whole number ≥ 1 \(got 0\)/);
    expect(() => planWindows(2.5, 25)).toThrow(/track frame count must be a whole number/);
    expect(() => planWindows(60, 1)).toThrow(/model's frame count must be a whole number ≥ 2/);
  });
});

describe('blendWeights and stitch', () => {
  it('linear cross-fade weights of the later window', () => {
    expect(blendWeights(4)).toEqual([0.2, 0.4, 0.6, 0.8]);
    expect(blendWeights(1)).toEqual([0.5]);
    expect(blendWeights(0)).toEqual([]);
  });
  it('stitches two windows: own frames kept, overlap frames cross-faded (hand-computed)', () => {
    // Track of 6 frames, windows [0,4) and [2,6): frames 2,3 are shared, weights 1/3 and 2/3.
    const ws = [
      { start: 0, end: 4 },
      { start: 2, end: 6 },
    ];
    const a = [0, 1, 2, 3].map(() => Float32Array.of(0, 30));
    const b = [0, 1, 2, 3].map(() => Float32Array.of(90, 60));
    const out = stitch(ws, [a, b]);
    expect(out.map((f) => Array.from(f))).toEqual([
      [0, 30],
      [0, 30],
      [30, 40],
      [60, 50],
      [90, 60],
      [90, 60],
    ]);
  });
  it('rounds RGB24 frames and handles three windows with uneven overlaps', () => {
    const ws = planWindows(60, 25, 4);
    const frames = ws.map((_, k) => Array.from({ length: 25 }, () => Uint8Array.of(k * 100)));
    const out = stitch(ws, frames);
    expect(out).toHaveLength(60);
    expect(out[20][0]).toBe(0);
    expect(out[21][0]).toBe(20); // 100 * 1/5
    expect(out[24][0]).toBe(80);
    expect(out[25][0]).toBe(100);
    expect(out[34][0]).toBe(100);
    expect(out[35][0]).toBe(108); // 100 + 100 * 1/12, rounded
    expect(out[45][0]).toBe(192); // 100 + 100 * 11/12, rounded
    expect(out[46][0]).toBe(200);
  });
  it('refuses windows whose frame counts do not match the plan', () => {
    expect(() => stitch([{ start: 0, end: 4 }], [[Uint8Array.of(1)]])).toThrow(/Window 1 has 1 frames; it spans 4/);
  });
});
