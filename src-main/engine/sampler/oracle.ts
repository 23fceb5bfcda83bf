import { CamtrackError } from '../util/errors';

/**
 * The Gaussian oracle (docs/design.md, "Oracles"). Data x0 ~ N(mu, s^2 I), noised as x = x0 + sigma * eps,
 * has the exact denoiser
 *   D*(x; sigma) = (s^2 x + sigma^2 mu) / (s^2 + sigma^2),
 * and the probability-flow ODE dx/dsigma = (x - D*) / sigma = sigma (x - mu) / (s^2 + sigma^2) has
 * the exact solution x(sigma) - mu = (x_T - mu) sqrt((s^2 + sigma^2) / (s^2 + sigma_max^2)), so
 *   x0 = mu + s (x_T - mu) / sqrt(sigma_max^2 + s^2).
 *
 * `mu` may be one frame long and is then repeated over frames (mu[i % mu.length]): the oracle's
 * mean is the source latent for every frame.
 */

function muAt(mu: Float32Array, n: number, where: string): void {
  if (mu.length === 0 || n % mu.length !== 0) {
    throw new CamtrackError(
      'shape-mismatch',
      `${where}: mu has ${mu.length} values, which does not tile a latent of ${n}.`,
    );
  }
}

function assertSpread(s: number, where: string): void {
  if (!(s > 0) || !Number.isFinite(s))
    throw new CamtrackError('bad-input', `${where}: the data spread s must be a finite number > 0 (got ${s}).`);
}

/** D*(x; sigma) into `out`; returns `out`. Valid at sigma = 0 too (D* = x). */
export function gaussianDenoiser(
  x: Float32Array,
  sigma: number,
  mu: Float32Array,
  s: number,
  out = new Float32Array(x.length),
): Float32Array {
  muAt(mu, x.length, 'Gaussian denoiser');
  assertSpread(s, 'Gaussian denoiser');
  const s2 = s * s;
  const g2 = sigma * sigma;
  const den = s2 + g2;
  const m = mu.length;
  for (let i = 0; i < x.length; i++) out[i] = (s2 * x[i] + g2 * mu[i % m]) / den;
  return out;
}

/** The exact probability-flow map from x_T at sigma_max to sigma = 0, into `out`; returns `out`. */
export function gaussianFlowMap(
  xT: Float32Array,
  sigmaMax: number,
  mu: Float32Array,
  s: number,
  out = new Float32Array(xT.length),
): Float32Array {
  muAt(mu, xT.length, 'Gaussian flow map');
  assertSpread(s, 'Gaussian flow map');
  const r = s / Math.sqrt(sigmaMax * sigmaMax + s * s);
  const m = mu.length;
  for (let i = 0; i < xT.length; i++) {
    const u = mu[i % m];
    out[i] = u + r * (xT[i] - u);
  }
  return out;
}

/**
 * The UNet output that makes SVD's preconditioned denoiser exact for Gaussian data:
 * out = (D* - c_skip x) / c_out. With c_skip = 1/(sigma^2+1), c_out = -sigma/sqrt(sigma^2+1):
 *   D* - c_skip x = sigma^2 (mu - (1 - s^2) x / (sigma^2 + 1)) / (s^2 + sigma^2),
 * and dividing by c_out gives
 *
 *   out = sigma * ((1 - s^2) * u - sqrt(sigma^2 + 1) * mu) / (s^2 + sigma^2),
 *
 * in terms of the UNet's actual input u = c_in x = x / sqrt(sigma^2 + 1). For an ONNX UNet: u is
 * sample[:, :, 0:4], sigma = exp(4 * timestep) (timestep = c_noise = 0.25 ln sigma), s a constant;
 * mu can be a baked constant, or sample[:, :, 4:8] if the image-latent channels carry mu; note that
 * SVD's unconditional pass zeroes those channels, so then guidance scales must be 1 for the map
 * to stay exact (uncond + g (cond - uncond) = cond only when g = 1). No division by sigma, so the
 * formula is finite for every sigma >= 0. Written into `out`; returns `out`.
 */
export function oracleModelOutput(
  x: Float32Array,
  sigma: number,
  mu: Float32Array,
  s: number,
  out = new Float32Array(x.length),
): Float32Array {
  muAt(mu, x.length, 'Oracle model output');
  assertSpread(s, 'Oracle model output');
  const q = Math.sqrt(sigma * sigma + 1);
  const a = (sigma * (1 - s * s)) / (q * (s * s + sigma * sigma)); // coefficient of x (u = x / q)
  const b = (sigma * q) / (s * s + sigma * sigma); // coefficient of mu, with a minus sign
  const m = mu.length;
  for (let i = 0; i < x.length; i++) out[i] = a * x[i] - b * mu[i % m];
  return out;
}

/**
 * The Euler sampler's exact discrete answer on the Gaussian oracle, with no guidance: each step
 * sigma_i -> sigma_{i+1} multiplies x - mu by 1 + (sigma_{i+1} - sigma_i) sigma_i / (s^2 + sigma_i^2)
 * (the step's (x - D*) / sigma_i is sigma_i (x - mu) / (s^2 + sigma_i^2)). Returns the product.
 */
export function eulerGaussianFactor(sigmas: ArrayLike<number>, s: number): number {
  const s2 = s * s;
  let p = 1;
  for (let i = 0; i + 1 < sigmas.length; i++) {
    const si = sigmas[i];
    p *= 1 + ((sigmas[i + 1] - si) * si) / (s2 + si * si);
  }
  return p;
}

/** The continuous map's factor on x_T - mu: s / sqrt(sigma_max^2 + s^2). */
export function exactGaussianFactor(sigmaMax: number, s: number): number {
  return s / Math.sqrt(sigmaMax * sigmaMax + s * s);
}
