import { describe, expect, it } from 'vitest';
import { GuidanceScratch, applyPosteriorGuidance, makeHoleMasks } from './guidance';
import { applyReferenceGuidance } from './reference';
import { fillGaussian } from './rng';

/** One 2-frame latent at SVD-XT's 72 x 128: frame 1 with `holeShare` of its pixels holes (the first ones). */
function case72x128(holeShare: number, lam: number) {
  const shape = { frames: 2, channels: 4, height: 72, width: 128 };
  const n = 2 * 4 * 72 * 128;
  const d = new Float32Array(n);
  const w = new Float32Array(n);
  fillGaussian(d, 1);
  fillGaussian(w, 2);
  const hw = 72 * 128;
  const holes = new Uint8Array(2 * hw);
  holes.fill(1, hw, hw + Math.round(holeShare * hw));
  return { shape, d, w, holes: makeHoleMasks(2, 72, 128, holes), lambdas: [1, lam], source: w.subarray(0, 4 * hw) };
}

function counts(c: ReturnType<typeof case72x128>) {
  const ref = applyReferenceGuidance({
    shape: c.shape,
    denoised: c.d,
    targets: c.w,
    holes: c.holes,
    lambdas: c.lambdas,
    rule: 'single',
    out: new Float32Array(c.d.length),
    scratch: new GuidanceScratch(),
  }).replaced[1];
  const studio = applyPosteriorGuidance({
    shape: c.shape,
    denoised: c.d,
    warped: c.w,
    source: c.source,
    holes: c.holes,
    lambdas: c.lambdas,
    lambdaMin: 0,
    out: new Float32Array(c.d.length),
    scratch: new GuidanceScratch(),
  })[1];
  return { ref, studio };
}

describe('reference DGS count (step_single_dgs)', () => {
  it('lambda 0 on a frame without holes: the reference index wraps and replaces every element, the studio none', () => {
    const { ref, studio } = counts(case72x128(0, 0));
    expect(ref).toBe(4 * 72 * 128);
    expect(studio).toBe(0);
  });

  it('30% holes at lambda 0.3: the reference replaces 7.5% of the valid elements, the studio 30%', () => {
    const { ref, studio } = counts(case72x128(0.3, 0.3));
    const hw = 72 * 128;
    const z = Math.round(0.3 * hw);
    const valid = 4 * (hw - z);
    // e = trunc(0.3 (4hw - z)) + z, and 4z zeros sort first: e - 4z valid elements (no ties in Gaussian data).
    expect(ref).toBe(Math.trunc(0.3 * (4 * hw - z)) + z - 4 * z);
    expect(ref / valid).toBeCloseTo(0.075, 3);
    expect(studio).toBe(Math.floor(0.3 * valid));
  });

  it('ties at the cutoff are all replaced (the reference compares <= the cutoff value)', () => {
    const shape = { frames: 2, channels: 4, height: 1, width: 4 };
    const d = new Float32Array(32);
    const w = new Float32Array(32);
    // Frame 1: every difference is 0.5; lambda 0.25 asks for 4 of 16, the reference takes all 16.
    for (let i = 16; i < 32; i++) d[i] = 0.5;
    const r = applyReferenceGuidance({
      shape,
      denoised: d,
      targets: w,
      holes: makeHoleMasks(2, 1, 4),
      lambdas: [1, 0.25],
      rule: 'single',
      out: new Float32Array(32),
      scratch: new GuidanceScratch(),
    });
    expect(r.cutoffIndex[1]).toBe(4);
    expect(r.replaced[1]).toBe(16);
  });

  it('two-view rule: lambda floored at 0.4, the last frame left to the model, frame 0 the target', () => {
    const shape = { frames: 4, channels: 4, height: 2, width: 2 };
    const d = new Float32Array(64);
    const w = new Float32Array(64);
    fillGaussian(d, 3);
    fillGaussian(w, 4);
    const out = new Float32Array(64);
    const r = applyReferenceGuidance({
      shape,
      denoised: d,
      targets: w,
      holes: makeHoleMasks(4, 2, 2),
      lambdas: [0, 0, 1, 1],
      rule: 'two-view',
      out,
      scratch: new GuidanceScratch(),
    });
    expect(r.lambdaClamped[1]).toBe(0.4);
    expect(r.replaced[1]).toBe(6); // trunc(0.4 * 16)
    expect(r.replaced[2]).toBe(16);
    expect(r.replaced[3]).toBe(0);
    expect(Array.from(out.subarray(48))).toEqual(Array.from(d.subarray(48)));
    expect(Array.from(out.subarray(0, 16))).toEqual(Array.from(w.subarray(0, 16)));
  });
});
