import { describe, expect, it } from 'vitest';
import { GuidanceScratch, applyPosteriorGuidance, makeHoleMasks, type HoleMasks, type CutoffMethod } from './guidance';
import { Xoshiro128ss } from './rng';
import type { LatentShape } from './shape';

/** Straight from docs/design.md ("Guidance"): sort the valid elements by (|D - W| as float32, index), replace the first floor(lam |V|). */
function naiveGuidance(
  shape: LatentShape,
  d: Float32Array,
  w: Float32Array,
  src: Float32Array,
  holes: HoleMasks,
  lambdas: number[],
  lambdaMin: number,
): Float32Array {
  const { frames: F, channels: C, height: h, width: wd } = shape;
  const hw = h * wd;
  const fs = C * hw;
  const out = Float32Array.from(d);
  out.set(src, 0);
  for (let f = 1; f < F; f++) {
    const valid: number[] = [];
    for (let e = 0; e < fs; e++) if (holes.data[f * hw + (e % hw)] === 0) valid.push(e);
    const key = (e: number) => Math.fround(Math.abs(d[f * fs + e] - w[f * fs + e]));
    valid.sort((a, b) => key(a) - key(b) || a - b);
    const lam = Math.min(1, Math.max(lambdaMin, lambdas[f]));
    const k = Math.floor(lam * valid.length);
    for (let j = 0; j < k; j++) out[f * fs + valid[j]] = w[f * fs + valid[j]];
  }
  return out;
}

function randomCase(seed: number, shape: LatentShape, quantised: boolean, holeRate: number) {
  const r = new Xoshiro128ss(seed);
  const n = shape.frames * shape.channels * shape.height * shape.width;
  const d = new Float32Array(n);
  const w = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    d[i] = quantised ? Math.floor(r.nextDouble() * 4) / 2 : r.nextDouble() * 2 - 1;
    w[i] = quantised ? Math.floor(r.nextDouble() * 4) / 2 : d[i] + (r.nextDouble() - 0.5) * 0.3;
  }
  const src = new Float32Array(n / shape.frames).map(() => 10 + r.nextDouble());
  const holes = makeHoleMasks(shape.frames, shape.height, shape.width);
  for (let i = 0; i < holes.data.length; i++) holes.data[i] = r.nextDouble() < holeRate ? 1 : 0;
  const lambdas = Array.from({ length: shape.frames }, () => r.nextDouble() * 1.2 - 0.1);
  return { d, w, src, holes, lambdas };
}

describe('applyPosteriorGuidance', () => {
  const shape: LatentShape = { frames: 5, channels: 4, height: 6, width: 7 };

  it('matches the definition exactly on random data, ties and holes included, for both cutoff methods', () => {
    const scratch = new GuidanceScratch();
    for (let seed = 1; seed <= 24; seed++) {
      const c = randomCase(seed, shape, seed % 2 === 0, [0, 0.2, 0.6, 1][seed % 4]);
      const lambdaMin = [0, 0.2, 0.4][seed % 3];
      const want = naiveGuidance(shape, c.d, c.w, c.src, c.holes, c.lambdas, lambdaMin);
      for (const cutoff of ['select', 'sort'] as CutoffMethod[]) {
        const out = new Float32Array(c.d.length).fill(Number.NaN);
        applyPosteriorGuidance({
          shape,
          denoised: c.d,
          warped: c.w,
          source: c.src,
          holes: c.holes,
          lambdas: c.lambdas,
          lambdaMin,
          out,
          scratch,
          cutoff,
        });
        expect(out).toEqual(want);
        const inPlace = Float32Array.from(c.d);
        applyPosteriorGuidance({
          shape,
          denoised: inPlace,
          warped: c.w,
          source: c.src,
          holes: c.holes,
          lambdas: c.lambdas,
          lambdaMin,
          out: inPlace,
          scratch,
          cutoff,
        });
        expect(inPlace).toEqual(want);
      }
    }
  });

  it('matches the definition on larger frames, including differences that are periodic in element order', () => {
    const big: LatentShape = { frames: 4, channels: 4, height: 24, width: 32 };
    const scratch = new GuidanceScratch();
    for (let seed = 30; seed < 36; seed++) {
      const c = randomCase(seed, big, seed === 31, 0.2);
      if (seed >= 34) {
        // Every 8th element has a tiny difference.
        for (let i = 0; i < c.d.length; i += 8) c.w[i] = c.d[i] + 1e-6;
      }
      const want = naiveGuidance(big, c.d, c.w, c.src, c.holes, c.lambdas, 0.2);
      const out = new Float32Array(c.d.length);
      applyPosteriorGuidance({
        shape: big,
        denoised: c.d,
        warped: c.w,
        source: c.src,
        holes: c.holes,
        lambdas: c.lambdas,
        lambdaMin: 0.2,
        out,
        scratch,
      });
      expect(out).toEqual(want);
    }
  });

  it('works a small case by hand: clamp, hole, and the index tie-break at the cutoff', () => {
    // 2 frames, 2 channels of 1 x 3 pixels. Frame 1, pixel 1 is a hole, so |V| = 2 channels x 2 pixels = 4.
    const s: LatentShape = { frames: 2, channels: 2, height: 1, width: 3 };
    const src = new Float32Array([9, 9, 9, 9, 9, 9]);
    // Frame 1 elements (c0p0, c0p1, c0p2, c1p0, c1p1, c1p2); W = 0, so |D - W| = |D|.
    const d = new Float32Array([0, 0, 0, 0, 0, 0, 0.5, 0.125, 0.25, 0.25, 0.125, 0.75]);
    const w = new Float32Array(12);
    const holes = makeHoleMasks(2, 1, 3, new Uint8Array([0, 0, 0, 0, 1, 0]));
    const scratch = new GuidanceScratch();
    const run = (lam: number, lambdaMin: number) => {
      const out = new Float32Array(12);
      const replaced = applyPosteriorGuidance({
        shape: s,
        denoised: d,
        warped: w,
        source: src,
        holes,
        lambdas: [1, lam],
        lambdaMin,
        out,
        scratch,
      });
      return {
        frame1: Array.from(out.subarray(6)),
        frame0: Array.from(out.subarray(0, 6)),
        replaced: Array.from(replaced),
      };
    };
    // Valid keys in index order: c0p0 0.5, c0p2 0.25, c1p0 0.25, c1p2 0.75. lam 0.3 -> floor(1.2) = 1:
    // the two 0.25s tie at the cutoff and the lower index (c0p2) wins.
    expect(run(0.3, 0)).toEqual({
      frame1: [0.5, 0.125, 0, 0.25, 0.125, 0.75],
      frame0: [9, 9, 9, 9, 9, 9],
      replaced: [6, 1],
    });
    // lam 0.1 is clamped up to lambda_min 0.5 -> floor(2) = 2: both 0.25s.
    expect(run(0.1, 0.5).frame1).toEqual([0.5, 0.125, 0, 0, 0.125, 0.75]);
    // lam 0.8 -> floor(3.2) = 3; lam 1 -> all 4 valid; the hole keeps D (0.125) every time.
    expect(run(0.8, 0).frame1).toEqual([0, 0.125, 0, 0, 0.125, 0.75]);
    expect(run(1, 0)).toMatchObject({ frame1: [0, 0.125, 0, 0, 0.125, 0], replaced: [6, 4] });
    // lam 0 with lambda_min 0: nothing replaced.
    expect(run(0, 0).frame1).toEqual([0.5, 0.125, 0.25, 0.25, 0.125, 0.75]);
  });

  it('refuses buffers and masks of the wrong shape, and lambda_min outside [0, 1]', () => {
    const c = randomCase(3, shape, false, 0.2);
    const base = {
      shape,
      denoised: c.d,
      warped: c.w,
      source: c.src,
      holes: c.holes,
      lambdas: c.lambdas,
      lambdaMin: 0.2,
      out: new Float32Array(c.d.length),
      scratch: new GuidanceScratch(),
    };
    expect(() => applyPosteriorGuidance({ ...base, warped: c.w.subarray(1) })).toThrow(/warped latents has/);
    expect(() => applyPosteriorGuidance({ ...base, holes: makeHoleMasks(5, 7, 6) })).toThrow(
      /hole masks are 5 frames of 7 x 6/,
    );
    expect(() => applyPosteriorGuidance({ ...base, lambdas: [1, 1] })).toThrow(/lambda row has 2 values/);
    expect(() => applyPosteriorGuidance({ ...base, lambdaMin: 1.5 })).toThrow(/lambda_min/);
  });
});
