import { CamtrackError } from '../util/errors';
import { type NoiseStart, assertSigmas, initialLatent } from './sampler';
import { type LatentShape, assertLatentShape, latentSize } from './shape';

/**
 * The plain Euler sampler, without NVS guidance: what diffusers' StableVideoDiffusionPipeline does
 * with its EulerDiscreteScheduler (s_churn 0). x_T = noise * sqrt(sigma_0^2 + 1); at each step
 * x <- x + (x - D(x; sigma_i)) / sigma_i * (sigma_{i+1} - sigma_i), in float32 as the scheduler;
 * the last step (sigma_N = 0) returns D. Used to check a model against diffusers end to end.
 */
export interface EulerSampleOptions {
  readonly sigmas: Float32Array;
  readonly shape: LatentShape;
  readonly start: NoiseStart;
  denoise(x: Float32Array, sigma: number, stepIndex: number): Promise<Float32Array>;
  /** x handed to step i and the D it got (live buffers: copy to keep). */
  onStep?(step: number, x: Float32Array, denoised: Float32Array): void;
}

export async function eulerSample(opts: EulerSampleOptions): Promise<Float32Array> {
  assertLatentShape(opts.shape, 'Euler sampler');
  assertSigmas(opts.sigmas, 'Euler sampler');
  const { sigmas } = opts;
  const n = latentSize(opts.shape);
  const x = initialLatent(opts.shape, sigmas[0], opts.start);
  const f = Math.fround;
  for (let i = 0; i < sigmas.length - 1; i++) {
    const sigma = sigmas[i];
    const next = sigmas[i + 1];
    const d = await opts.denoise(x, sigma, i);
    if (d.length !== n)
      throw new CamtrackError(
        'model',
        `The denoiser returned ${d.length} values at step ${i + 1}; the latent has ${n}.`,
      );
    opts.onStep?.(i, x, d);
    if (next === 0) x.set(d);
    else {
      const dt = f(next - sigma);
      for (let j = 0; j < n; j++) x[j] = f(x[j] + f(f(f(x[j] - d[j]) / sigma) * dt));
    }
  }
  return x;
}
