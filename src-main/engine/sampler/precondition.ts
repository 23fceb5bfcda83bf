import { CamtrackError } from '../util/errors';

/**
 * Stable Video Diffusion's preconditioning (v-prediction in the EDM form, docs/design.md, "The model contract"):
 *   c_in = 1 / sqrt(sigma^2 + 1), c_skip = 1 / (sigma^2 + 1), c_out = -sigma / sqrt(sigma^2 + 1),
 *   c_noise = 0.25 ln(sigma) (the UNet's `timestep` input),
 *   D(x; sigma) = c_skip * x + c_out * UNet(c_in * x, c_noise, ...).
 */
export interface SvdPreconditioning {
  readonly cIn: number;
  readonly cSkip: number;
  readonly cOut: number;
  readonly cNoise: number;
}

export function svdPreconditioning(sigma: number): SvdPreconditioning {
  if (!(sigma > 0) || !Number.isFinite(sigma)) {
    throw new CamtrackError('bad-input', `SVD preconditioning needs a finite sigma > 0 (got ${sigma}).`);
  }
  const s2 = sigma * sigma + 1;
  const r = Math.sqrt(s2);
  return { cIn: 1 / r, cSkip: 1 / s2, cOut: -sigma / r, cNoise: 0.25 * Math.log(sigma) };
}

/**
 * D = c_skip * x + c_out * modelOut, element-wise, written into `out` (which may be `x` or
 * `modelOut` itself); returns `out`.
 */
export function denoiseFromModelOutput(
  x: Float32Array,
  modelOut: Float32Array,
  sigma: number,
  out: Float32Array = new Float32Array(x.length),
): Float32Array {
  if (modelOut.length !== x.length || out.length !== x.length) {
    throw new CamtrackError(
      'shape-mismatch',
      `The model output has ${modelOut.length} values and the output buffer ${out.length}, but the latent has ${x.length}.`,
    );
  }
  const { cSkip, cOut } = svdPreconditioning(sigma);
  for (let i = 0; i < x.length; i++) out[i] = cSkip * x[i] + cOut * modelOut[i];
  return out;
}

/** The UNet's scaled input c_in * x into `out`; returns `out`. */
export function scaleModelInput(
  x: Float32Array,
  sigma: number,
  out: Float32Array = new Float32Array(x.length),
): Float32Array {
  if (out.length !== x.length)
    throw new CamtrackError(
      'shape-mismatch',
      `The input buffer has ${out.length} values, but the latent has ${x.length}.`,
    );
  const { cIn } = svdPreconditioning(sigma);
  for (let i = 0; i < x.length; i++) out[i] = cIn * x[i];
  return out;
}

/**
 * Standard deviation of the starting latent x_T for a schedule starting at `sigmaMax`:
 * sqrt(sigma_max^2 + 1). This is diffusers' EulerDiscreteScheduler.init_noise_sigma for SVD's
 * scheduler config (timestep_spacing "leading", Karras sigmas): with "leading" spacing it returns
 * sqrt(max_sigma^2 + 1), not max_sigma, whatever the sigmas. It is also the right spread for
 * EDM noising x_T = x0 + sigma_max * eps of unit-variance latents. For sigma_max = 700 it is
 * 700.000714..., so the choice changes x_T by 1 part in 10^6.
 */
export function initNoiseSigma(sigmaMax: number): number {
  return Math.sqrt(sigmaMax * sigmaMax + 1);
}
