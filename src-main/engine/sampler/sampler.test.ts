import { describe, expect, it } from 'vitest';
import { makeLambdaTable } from '../lambda/table';
import { karrasSigmas } from '../schedule/karras';
import { CamtrackError } from '../util/errors';
import { makeHoleMasks } from './guidance';
import {
  eulerGaussianFactor,
  exactGaussianFactor,
  gaussianDenoiser,
  gaussianFlowMap,
  oracleModelOutput,
} from './oracle';
import { denoiseFromModelOutput } from './precondition';
import { gaussianNoise } from './rng';
import { type GuidedSampleOptions, guidedSample, initialLatent } from './sampler';
import { type LatentShape, frameSize, latentSize } from './shape';

/**
 * The Gaussian oracle (docs/design.md, "Oracles") through SVD's preconditioning, as the tiny ONNX UNet
 * will run it: the model returns oracleModelOutput, the pipeline forms c_skip x + c_out out.
 *
 * Tolerances. The denoiser is element-wise and linear, so with no guidance every element obeys
 * y' = sigma y / (s^2 + sigma^2) for y = x - mu, and one Euler step multiplies y by
 * 1 + (sigma_{i+1} - sigma_i) sigma_i / (s^2 + sigma_i^2). The sampler's answer is therefore exactly
 * mu + P_d (x_T - mu), P_d the product of those factors (eulerGaussianFactor): that is asserted to
 * 1e-5 relative. The only departures are float32 roundings of x; one made at step i is scaled by
 * the remaining steps' factors (about s / sigma_i) while its size is about 6e-8 |x_i| ~ 6e-8 sigma_i,
 * so each step leaves at most ~6e-8 s and 25 steps well under 1e-5. The continuous map has the
 * factor P_e = s / sqrt(sigma_max^2 + s^2) instead, so the Euler error is exactly
 * |P_d - P_e| |x_T - mu| per element: for s = 0.5 and 25 Karras steps P_d / P_e - 1 = -0.159
 * (Euler is first order: -0.082 with 50 steps, -0.041 with 100). That closed form is the bound
 * asserted, and the test also checks the error is really there (it is not a loose bound).
 */
const S = 0.5;
const shape: LatentShape = { frames: 4, channels: 4, height: 6, width: 8 };
const fs = frameSize(shape);
const n = latentSize(shape);
const mu = gaussianNoise(fs, 21); // the source latent, also the oracle's mean
const warped = gaussianNoise(n, 22);

function oracleDenoise(x: Float32Array, sigma: number): Promise<Float32Array> {
  const out = oracleModelOutput(x, sigma, mu, S);
  return Promise.resolve(denoiseFromModelOutput(x, out, sigma, out));
}

function options(steps: number, over: Partial<GuidedSampleOptions> = {}): GuidedSampleOptions {
  return {
    sigmas: karrasSigmas(steps),
    lambda: makeLambdaTable(steps, shape.frames),
    lambdaMin: 0,
    shape,
    sourceLatent: mu,
    warpedLatents: warped,
    holes: makeHoleMasks(shape.frames, shape.height, shape.width),
    start: { noise: gaussianNoise(n, 23) },
    denoise: oracleDenoise,
    ...over,
  };
}

describe('Gaussian oracle', () => {
  it('oracleModelOutput makes the SVD-preconditioned denoiser equal D* at every sigma', () => {
    const x = gaussianNoise(n, 5).map((v) => v * 3);
    for (const sigma of [700, 80, 1, 0.5, 0.01, 0.002]) {
      const viaModel = denoiseFromModelOutput(x, oracleModelOutput(x, sigma, mu, S), sigma);
      const direct = gaussianDenoiser(x, sigma, mu, S);
      for (let i = 0; i < n; i++)
        expect(Math.abs(viaModel[i] - direct[i])).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(direct[i])));
    }
  });

  it('the Euler factor converges to the exact one at first order', () => {
    const pe = exactGaussianFactor(700, S);
    const err = (steps: number) => eulerGaussianFactor(karrasSigmas(steps), S) / pe - 1;
    expect(err(25)).toBeCloseTo(-0.159, 3);
    expect(err(50) / err(25)).toBeGreaterThan(0.45);
    expect(err(50) / err(25)).toBeLessThan(0.55);
    expect(Math.abs(err(2000))).toBeLessThan(0.0025); // ~ 0.159 * 25 / 2000
  });
});

describe('guidedSample', () => {
  it('with no guidance lands on the exact discrete Euler answer and within the derived bound of the exact map', async () => {
    const opts = options(25);
    const x = await guidedSample(opts);
    const xT = initialLatent(shape, opts.sigmas[0], opts.start);
    const pd = eulerGaussianFactor(opts.sigmas, S);
    const pe = exactGaussianFactor(opts.sigmas[0], S);
    const exact = gaussianFlowMap(xT, opts.sigmas[0], mu, S);
    let worstRatio = 0;
    for (let i = fs; i < n; i++) {
      const m = mu[i % fs];
      const discrete = m + pd * (xT[i] - m);
      expect(Math.abs(x[i] - discrete)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(discrete)));
      const bound = Math.abs(pd - pe) * Math.abs(xT[i] - m);
      expect(Math.abs(x[i] - exact[i])).toBeLessThanOrEqual(bound * (1 + 1e-3) + 1e-5);
      worstRatio = Math.max(worstRatio, Math.abs(x[i] - exact[i]) / bound);
    }
    expect(worstRatio).toBeGreaterThan(0.99); // the Euler error is the predicted one, not a loose bound
    // Frame 0 is the source latent at every step, so it ends as the source latent, bit for bit.
    expect(x.subarray(0, fs)).toEqual(mu);
  });

  it('with lambda 1 ends with every valid element equal to W exactly; holes follow the oracle', async () => {
    const holes = makeHoleMasks(shape.frames, shape.height, shape.width);
    const hw = shape.height * shape.width;
    holes.data.fill(1, 1 * hw, 2 * hw); // frame 1: all holes, so no guidance at all
    for (let p = 0; p < hw; p += 3) holes.data[2 * hw + p] = 1; // frame 2: a third holes
    const steps = 25;
    const opts = options(steps, {
      holes,
      lambda: makeLambdaTable(steps, shape.frames, new Float64Array(steps * shape.frames).fill(1)),
      lambdaMin: 0.3,
    });
    const x = await guidedSample(opts);
    const xT = initialLatent(shape, opts.sigmas[0], opts.start);
    const pd = eulerGaussianFactor(opts.sigmas, S);
    expect(x.subarray(0, fs)).toEqual(mu);
    for (let f = 1; f < shape.frames; f++) {
      for (let e = 0; e < fs; e++) {
        const i = f * fs + e;
        if (holes.data[f * hw + (e % hw)] === 0) expect(x[i]).toBe(warped[i]);
        else {
          const m = mu[e];
          const discrete = m + pd * (xT[i] - m);
          expect(Math.abs(x[i] - discrete)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(discrete)));
        }
      }
    }
  });

  it('gives identical output for the same seed and different output for another', async () => {
    const lambda = makeLambdaTable(10, shape.frames, new Float64Array(10 * shape.frames).fill(0.5));
    const a = await guidedSample(options(10, { start: { seed: 7 }, lambda, lambdaMin: 0.2 }));
    const b = await guidedSample(options(10, { start: { seed: 7 }, lambda, lambdaMin: 0.2 }));
    const c = await guidedSample(options(10, { start: { seed: 8 }, lambda, lambdaMin: 0.2 }));
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('reports every step and applies lambda per step and frame', async () => {
    const steps = 5;
    const data = new Float64Array(steps * shape.frames);
    for (let i = 0; i < steps; i++) for (let f = 0; f < shape.frames; f++) data[i * shape.frames + f] = (i + f) / 10;
    const seen: Array<{ step: number; sigma: number; replaced: number[] }> = [];
    const opts = options(steps, {
      lambda: makeLambdaTable(steps, shape.frames, data),
      lambdaMin: 0.25,
      onStep: (s) => void seen.push({ step: s.step, sigma: s.sigma, replaced: Array.from(s.replaced) }),
    });
    await guidedSample(opts);
    expect(seen.map((s) => s.step)).toEqual([0, 1, 2, 3, 4]);
    expect(seen.map((s) => s.sigma)).toEqual(Array.from(opts.sigmas.subarray(0, steps)));
    for (const s of seen) {
      expect(s.replaced[0]).toBe(fs);
      for (let f = 1; f < shape.frames; f++)
        expect(s.replaced[f]).toBe(Math.floor(Math.min(1, Math.max(0.25, (s.step + f) / 10)) * fs));
    }
  });

  it('stops within one step when cancelled, with a cancelled error', async () => {
    const ctl = new AbortController();
    let calls = 0;
    const run = guidedSample(
      options(25, {
        signal: ctl.signal,
        denoise: (x, s) => (calls++, oracleDenoise(x, s)),
        onStep: (s) => void (s.step === 3 && ctl.abort()),
      }),
    );
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(calls).toBe(4);

    const ctl2 = new AbortController();
    let calls2 = 0;
    const run2 = guidedSample(
      options(25, { signal: ctl2.signal, denoise: (x, s) => (++calls2 === 6 && ctl2.abort(), oracleDenoise(x, s)) }),
    );
    await expect(run2).rejects.toBeInstanceOf(CamtrackError);
    expect(calls2).toBe(6);
  });

  it('refuses a lambda table, schedule or denoiser output that does not fit', async () => {
    await expect(guidedSample(options(25, { lambda: makeLambdaTable(24, shape.frames) }))).rejects.toMatchObject({
      code: 'shape-mismatch',
      message: expect.stringMatching(/24 steps x 4 frames.*25 steps x 4 frames/),
    });
    await expect(
      guidedSample(
        options(25, { sigmas: karrasSigmas(25).subarray(0, 25), lambda: makeLambdaTable(24, shape.frames) }),
      ),
    ).rejects.toMatchObject({ code: 'bad-input', message: expect.stringMatching(/end with sigma = 0/) });
    await expect(
      guidedSample(options(3, { denoise: () => Promise.resolve(new Float32Array(5)) })),
    ).rejects.toMatchObject({ code: 'model' });
    await expect(guidedSample(options(3, { warpedLatents: new Float32Array(7) }))).rejects.toMatchObject({
      code: 'shape-mismatch',
    });
    await expect(guidedSample(options(3, { start: { seed: -2 } }))).rejects.toMatchObject({ code: 'bad-input' });
  });
});
