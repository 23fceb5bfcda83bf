/**
 * Karras et al. (2022) sigma schedule, as in docs/design.md ("Sigma schedule"): N values from sigma_max down to
 * sigma_min spaced evenly in sigma^(1/rho), then a final 0. Values are rounded to float32, the
 * precision of the committed `sigmas/*.npy` files and of the models.
 */
export const SIGMA_MIN = 0.002;
export const SIGMA_MAX = 700;
export const RHO = 7;

export function karrasSigmas(steps: number, sigmaMin = SIGMA_MIN, sigmaMax = SIGMA_MAX, rho = RHO): Float32Array {
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`steps must be an integer >= 1 (got ${steps})`);
  const out = new Float32Array(steps + 1);
  const hi = sigmaMax ** (1 / rho);
  const lo = sigmaMin ** (1 / rho);
  for (let i = 0; i < steps; i++) {
    const t = steps === 1 ? 0 : i / (steps - 1);
    out[i] = (hi + t * (lo - hi)) ** rho;
  }
  out[steps] = 0;
  return out;
}
