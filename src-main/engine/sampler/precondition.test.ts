import { describe, expect, it } from 'vitest';
import { denoiseFromModelOutput, initNoiseSigma, scaleModelInput, svdPreconditioning } from './precondition';
import { applyFrameCfg, cfgFrameScales, cfgNeedsUnconditional } from './cfg';

describe('SVD preconditioning', () => {
  it('has the v-prediction coefficients of docs/design.md (The model contract)', () => {
    const one = svdPreconditioning(1);
    expect(one.cIn).toBeCloseTo(Math.SQRT1_2, 15);
    expect(one.cSkip).toBe(0.5);
    expect(one.cOut).toBeCloseTo(-Math.SQRT1_2, 15);
    expect(one.cNoise).toBe(0);
    const big = svdPreconditioning(700);
    expect(big.cSkip).toBeCloseTo(1 / 490001, 18);
    expect(big.cOut).toBeCloseTo(-700 / Math.sqrt(490001), 15);
    expect(big.cNoise).toBeCloseTo(0.25 * 6.551080335043404, 14); // ln 700
    // EDM's coefficients for unit data variance satisfy c_out^2 = sigma^2 c_skip and c_in^2 = c_skip.
    for (const s of [0.002, 0.5, 3, 700]) {
      const c = svdPreconditioning(s);
      expect(c.cOut ** 2 / (s * s * c.cSkip)).toBeCloseTo(1, 12);
      expect(c.cIn ** 2 / c.cSkip).toBeCloseTo(1, 12);
    }
    expect(() => svdPreconditioning(0)).toThrow(/sigma > 0/);
  });

  it('combines x and the model output as c_skip x + c_out out, in place too', () => {
    const x = new Float32Array([2, -4]);
    const o = new Float32Array([1, 0.5]);
    // sigma = 1: 0.5 x - out / sqrt 2
    expect(Array.from(denoiseFromModelOutput(x, o, 1))).toEqual([
      Math.fround(1 - Math.SQRT1_2),
      Math.fround(-2 - 0.5 * Math.SQRT1_2),
    ]);
    denoiseFromModelOutput(x, o, 1, x);
    expect(x[0]).toBe(Math.fround(1 - Math.SQRT1_2));
    expect(Array.from(scaleModelInput(new Float32Array([3, -6]), 1))).toEqual([
      Math.fround(3 * Math.SQRT1_2),
      Math.fround(-6 * Math.SQRT1_2),
    ]);
  });

  it('starts from noise scaled by sqrt(sigma_max^2 + 1), as diffusers does for SVD', () => {
    expect(initNoiseSigma(700)).toBeCloseTo(700.00071428535, 9);
  });
});

describe('classifier-free guidance ramp', () => {
  it('ramps linearly from min (frame 0) to max (last frame), float32 like torch.linspace', () => {
    const g = cfgFrameScales(25, 1, 3);
    expect(g[0]).toBe(1);
    expect(g[24]).toBe(3);
    expect(g[12]).toBe(2);
    for (let i = 0; i < 25; i++) expect(Math.abs(g[i] - (1 + i / 12))).toBeLessThanOrEqual(2 ** -22);
    for (let i = 1; i < 25; i++) expect(g[i]).toBeGreaterThan(g[i - 1]);
    const g14 = cfgFrameScales(14, 1, 3);
    expect(g14[0]).toBe(1);
    expect(g14[13]).toBe(3);
    expect(g14[1]).toBe(Math.fround(1 + Math.fround(Math.fround(2) / 13)));
    expect(Array.from(cfgFrameScales(1, 1, 3))).toEqual([1]);
    expect(cfgNeedsUnconditional(3)).toBe(true);
    expect(cfgNeedsUnconditional(1)).toBe(false);
  });

  it('combines uncond + scale_f (cond - uncond) frame by frame', () => {
    const shape = { frames: 3, channels: 1, height: 1, width: 2 };
    const uncond = new Float32Array([1, 1, 1, 1, 1, 1]);
    const cond = new Float32Array([2, 3, 2, 3, 2, 3]);
    const out = applyFrameCfg(uncond, cond, cfgFrameScales(3, 1, 3), shape);
    expect(Array.from(out)).toEqual([2, 3, 3, 5, 4, 7]);
    expect(() => applyFrameCfg(uncond, cond, cfgFrameScales(2, 1, 3), shape)).toThrow(/2 frame scales for 3 frames/);
  });
});
