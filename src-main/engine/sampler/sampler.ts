import { type LambdaTable, assertLambdaShape } from '../lambda/table';
import { CamtrackError } from '../util/errors';
import {
  type CutoffMethod,
  type HoleMasks,
  GuidanceScratch,
  applyPosteriorGuidance,
  assertHoleMasks,
} from './guidance';
import { initNoiseSigma } from './precondition';
import { type ReferenceRule, applyReferenceGuidance, referenceEulerStep } from './reference';
import { fillGaussian } from './rng';
import { type LatentShape, assertLatentShape, assertLength, frameSize, latentSize } from './shape';

/**
 * The guided Euler sampler (docs/design.md, "The sampler"). For i = 0..N-1:
 *   D_i = denoise(x, sigma_i), D~_i = posterior guidance of D_i (frame 0 = source, frame f >= 1
 *   pulled toward W_f by the lambda table), x <- x + (sigma_{i+1} - sigma_i) (x - D~_i) / sigma_i.
 * The last step has sigma_N = 0, where the Euler step is x <- D~ exactly; it is written as that
 * copy, so guided elements end bit-equal to W and frame 0 to the source latent.
 *
 * Start: x_T = noise * sqrt(sigma_0^2 + 1), as diffusers' SVD pipeline (the EulerDiscreteScheduler's
 * init_noise_sigma with SVD's "leading" spacing, see `initNoiseSigma`); the noise is either given
 * or drawn from a seed with the platform-exact generator of rng.ts, in element order.
 */

export type NoiseStart = { readonly seed: number } | { readonly noise: Float32Array };

export interface SamplerStep {
  /** Step index i, 0-based. */
  readonly step: number;
  readonly steps: number;
  /** sigma_i, the noise level the model saw. */
  readonly sigma: number;
  /** x after the step (at sigma_{i+1}); a live buffer: copy it to keep it past the callback. */
  readonly x: Float32Array;
  /** D~_i, the guided estimate of the clean latent; live, like x. */
  readonly denoised: Float32Array;
  /** Elements replaced by W (by the source on frame 0) per frame at this step; live. */
  readonly replaced: Int32Array;
}

export interface GuidedSampleOptions {
  /** N + 1 sigmas, strictly decreasing and positive, then a final 0. */
  readonly sigmas: Float32Array;
  /** N steps x F frames. */
  readonly lambda: LambdaTable;
  /** lambda_min in [0, 1]: a user floor; 0 (no floor) is the reference's gradient-free sampler. */
  readonly lambdaMin: number;
  readonly shape: LatentShape;
  /** The source image latent, [C][h][w], scaled as the warped latents are. */
  readonly sourceLatent: Float32Array;
  /** Warped-view latents, [F][C][h][w]; frame 0 is not read. */
  readonly warpedLatents: Float32Array;
  readonly holes: HoleMasks;
  readonly start: NoiseStart;
  /**
   * D(x; sigma) for the whole [F][C][h][w] latent (preconditioning and classifier-free guidance
   * included). It must not modify x; the returned buffer is only read, before the next call.
   */
  denoise(x: Float32Array, sigma: number, stepIndex: number): Promise<Float32Array>;
  onStep?(step: SamplerStep): void | Promise<void>;
  /** Checked before each step and when the model returns; an abort throws CamtrackError 'cancelled'. */
  readonly signal?: AbortSignal;
  /** Cutoff method of the guidance; 'sort' is the slow baseline, for benchmarks. */
  readonly cutoff?: CutoffMethod;
  /**
   * Reference fidelity: the NVS-Solver reference's DGS step for this rule (reference.ts) instead of
   * the studio's guidance (lambdaMin is then unused: the rule has its own floor), and its float32
   * Euler step, the last one computed rather than copied. `sourceLatent` is then its frame-0 target.
   */
  readonly reference?: ReferenceRule;
}

export function assertSigmas(sigmas: Float32Array, where: string): void {
  const n = sigmas.length;
  if (n < 2)
    throw new CamtrackError(
      'bad-input',
      `${where}: a schedule needs at least one step plus the final 0 (got ${n} sigmas).`,
    );
  if (sigmas[n - 1] !== 0)
    throw new CamtrackError(
      'bad-input',
      `${where}: the schedule must end with sigma = 0 (it ends with ${sigmas[n - 1]}).`,
    );
  for (let i = 0; i < n - 1; i++) {
    if (!(sigmas[i] > 0) || !Number.isFinite(sigmas[i]))
      throw new CamtrackError(
        'bad-input',
        `${where}: sigma ${i} is ${sigmas[i]}; every sigma before the last must be finite and > 0.`,
      );
    if (!(sigmas[i + 1] < sigmas[i]))
      throw new CamtrackError(
        'bad-input',
        `${where}: sigmas must decrease, but sigma ${i + 1} (${sigmas[i + 1]}) is not below sigma ${i} (${sigmas[i]}).`,
      );
  }
}

function throwIfAborted(signal: AbortSignal | undefined, step: number, steps: number): void {
  if (signal?.aborted)
    throw new CamtrackError('cancelled', `The render was cancelled at step ${step + 1} of ${steps}.`);
}

/** The starting latent x_T = noise * sqrt(sigma_0^2 + 1), as float32. */
export function initialLatent(shape: LatentShape, sigmaMax: number, start: NoiseStart): Float32Array {
  const n = latentSize(shape);
  const x = new Float32Array(n);
  if ('seed' in start) fillGaussian(x, start.seed);
  else {
    assertLength(start.noise, n, 'the initial noise', 'Sampler');
    x.set(start.noise);
  }
  const k = initNoiseSigma(sigmaMax);
  for (let i = 0; i < n; i++) x[i] *= k;
  return x;
}

/** Runs the guided sampler; resolves to the clean latent x_0, [F][C][h][w]. */
export async function guidedSample(opts: GuidedSampleOptions): Promise<Float32Array> {
  const where = 'Sampler';
  const { sigmas, shape, lambda, lambdaMin, signal } = opts;
  assertLatentShape(shape, where);
  assertSigmas(sigmas, where);
  const steps = sigmas.length - 1;
  const F = shape.frames;
  assertLambdaShape(lambda, steps, F, where);
  const n = latentSize(shape);
  assertLength(opts.sourceLatent, frameSize(shape), 'the source latent', where);
  assertLength(opts.warpedLatents, n, 'the warped latents', where);
  assertHoleMasks(opts.holes, shape, where);
  if (!(lambdaMin >= 0 && lambdaMin <= 1))
    throw new CamtrackError('bad-input', `${where}: lambda_min must be between 0 and 1 (got ${lambdaMin}).`);

  const x = initialLatent(shape, sigmas[0], opts.start);
  const guided = new Float32Array(n);
  const scratch = new GuidanceScratch();
  // The reference's targets: frame 0 the source latent, frames 1.. the warped views.
  let targets: Float32Array | null = null;
  if (opts.reference) {
    targets = Float32Array.from(opts.warpedLatents);
    targets.set(opts.sourceLatent, 0);
  }

  for (let i = 0; i < steps; i++) {
    throwIfAborted(signal, i, steps);
    const sigma = sigmas[i];
    const next = sigmas[i + 1];
    const d = await opts.denoise(x, sigma, i);
    throwIfAborted(signal, i, steps);
    if (!(d instanceof Float32Array) || d.length !== n) {
      throw new CamtrackError(
        'model',
        `The denoiser returned ${d instanceof Float32Array ? `${d.length} values` : 'something other than float32 values'} at step ${i + 1}; the latent has ${n}.`,
      );
    }
    const lambdas = lambda.data.subarray(i * F, (i + 1) * F);
    let replaced: Int32Array;
    if (opts.reference) {
      replaced = applyReferenceGuidance({
        shape,
        denoised: d,
        targets: targets!,
        holes: opts.holes,
        lambdas,
        rule: opts.reference,
        out: guided,
        scratch,
      }).replaced;
      referenceEulerStep(x, guided, sigma, next);
    } else {
      replaced = applyPosteriorGuidance({
        shape,
        denoised: d,
        warped: opts.warpedLatents,
        source: opts.sourceLatent,
        holes: opts.holes,
        lambdas,
        lambdaMin,
        out: guided,
        scratch,
        cutoff: opts.cutoff,
      });
      if (next === 0) x.set(guided);
      else {
        const r = (next - sigma) / sigma;
        for (let j = 0; j < n; j++) x[j] += r * (x[j] - guided[j]);
      }
    }
    if (opts.onStep) await opts.onStep({ step: i, steps, sigma, x, denoised: guided, replaced });
  }
  return x;
}
