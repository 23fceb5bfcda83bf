import { CamtrackError } from '../util/errors';
import { type GuidanceScratch, type HoleMasks, assertHoleMasks } from './guidance';
import { selectKth } from './select';
import { type LatentShape, assertLength, frameSize, latentSize } from './shape';

/**
 * The NVS-Solver reference's gradient-free guidance step (its EulerDiscreteScheduler.step_single_dgs
 * and step_multi_dgs), reproduced to the bit for the studio's "reference" fidelity mode and for
 * `camtrack verify guidance`. docs/reference-deviations.md says where the studio's own guidance
 * (guidance.ts) differs and why. Per guided frame f, with C channels, hw latent pixels, z the frame's
 * hole PIXELS and W_f its target latent:
 *
 * - the ranking key of every element is |D - W| where the pixel is seen and 0 where it is a hole,
 *   so C * z zeros (at least) lead the C * hw sorted keys;
 * - lam = min(Lambda[i][f], 1), floored at 0.4 by the two-view rule (no floor for one view or
 *   video), e = trunc(lam * (C hw - z)) + z in float64, and the cutoff is the e-th smallest key
 *   (e = 0 wraps to the largest, as Python's sorted[-1]);
 * - every seen element whose key is <= the cutoff takes W's value, ties included. Counting z once
 *   per pixel while C z zeros sort first makes this about max(0, e - C z) elements, not lam * |V|;
 * - frame 0 takes the target's frame 0 (the noise-augmented photo's latent) whatever lambda says;
 * - the single-view and video rule guides frames 1..F-1; the two-view rule 1..F-2 and leaves the
 *   last frame (the second photo) to the model.
 */
export type ReferenceRule = 'single' | 'two-view';

/** step_multi_dgs hard-codes torch.clamp(weight, 0.4, 1); step_single_dgs gets no weight_clamp. */
export const REFERENCE_TWO_VIEW_FLOOR = 0.4;

/** The frames a rule guides: [first, last] inclusive. */
export function referenceGuidedFrames(rule: ReferenceRule, frames: number): { first: number; last: number } {
  return { first: 1, last: rule === 'two-view' ? frames - 2 : frames - 1 };
}

export interface ReferenceGuidanceInput {
  readonly shape: LatentShape;
  /** The model's estimate D (pred_original_sample before guidance), [F][C][h][w]. */
  readonly denoised: Float32Array;
  /** The guidance targets (the reference's temp_cond_latents[1]), [F][C][h][w]; frame 0 the source. */
  readonly targets: Float32Array;
  readonly holes: HoleMasks;
  /** This step's lambda row, one value per frame, float64 as the reference passes it. */
  readonly lambdas: ArrayLike<number>;
  readonly rule: ReferenceRule;
  /** Receives D~; may be `denoised` itself. */
  readonly out: Float32Array;
  readonly scratch: GuidanceScratch;
  /** When given, set to 1 where D~ took the target (all of frame 0), else 0. */
  readonly replacedMask?: Uint8Array;
}

/** Per frame, what the step did (frame 0: all of it replaced; an unguided frame: -1 in cutoffIndex). */
export interface ReferenceGuidanceReport {
  readonly replaced: Int32Array;
  readonly holePixels: Int32Array;
  /** e, the 1-based cutoff rank before the wrap (0 = the largest key). */
  readonly cutoffIndex: Int32Array;
  readonly lambdaClamped: Float64Array;
}

export function applyReferenceGuidance(input: ReferenceGuidanceInput): ReferenceGuidanceReport {
  const { shape, denoised: d, targets: w, holes, lambdas, rule, out, scratch } = input;
  const where = 'Reference guidance';
  const n = latentSize(shape);
  const fs = frameSize(shape);
  const hw = shape.height * shape.width;
  const C = shape.channels;
  const F = shape.frames;
  assertLength(d, n, 'the denoised latent', where);
  assertLength(w, n, 'the target latents', where);
  assertLength(out, n, 'the output buffer', where);
  assertLength(lambdas, F, 'the lambda row', where);
  assertHoleMasks(holes, shape, where);
  if (rule === 'two-view' && F < 3)
    throw new CamtrackError('bad-input', `${where}: the two-view rule needs at least 3 frames (got ${F}).`);
  scratch.ensure(fs, F, hw);
  const report: ReferenceGuidanceReport = {
    replaced: new Int32Array(F),
    holePixels: new Int32Array(F),
    cutoffIndex: new Int32Array(F).fill(-1),
    lambdaClamped: new Float64Array(F).fill(Number.NaN),
  };
  const bits = scratch.keyBits;
  const keys = scratch.keys;
  const ob = new Uint32Array(out.buffer, out.byteOffset, n);
  const wb = new Uint32Array(w.buffer, w.byteOffset, n);
  if (out !== d) out.set(d);
  const rm = input.replacedMask;
  if (rm) {
    assertLength(rm, n, 'the replaced mask', where);
    rm.fill(0);
  }
  const { first, last } = referenceGuidedFrames(rule, F);
  const floor = rule === 'two-view' ? REFERENCE_TWO_VIEW_FLOOR : -Infinity;
  for (let f = first; f <= last; f++) {
    const base = f * fs;
    const mask = holes.data.subarray(f * hw, (f + 1) * hw);
    let z = 0;
    for (let p = 0; p < hw; p++) if (mask[p] !== 0) z++;
    const L = lambdas[f];
    if (Number.isNaN(L)) throw new CamtrackError('bad-input', `${where}: lambda for frame ${f} is not a number.`);
    const lam = Math.max(floor, Math.min(L, 1));
    const e = Math.trunc(lam * (C * hw - z)) + z;
    let at = e - 1;
    if (at < 0) at += C * hw; // Python's negative index: sorted[-1] is the largest
    if (at < 0 || at >= C * hw)
      throw new CamtrackError(
        'bad-input',
        `${where}: lambda ${L} for frame ${f} gives a cutoff rank ${e} outside the frame's ${C * hw} elements (the reference fails here too).`,
      );
    for (let m = 0; m < fs; m++) keys[m] = Math.abs(d[base + m] - w[base + m]);
    for (let c = 0; c < C; c++) {
      const o = c * hw;
      for (let p = 0; p < hw; p++) if (mask[p] !== 0) bits[o + p] = 0;
    }
    const cut = selectKth(bits, fs, at + 1, scratch.select).bits;
    let count = 0;
    // A NaN cutoff (bits above +Infinity's) compares false with everything, as in torch.
    if (cut <= 0x7f800000) {
      for (let c = 0; c < C; c++) {
        const o = c * hw;
        for (let p = 0; p < hw; p++) {
          if (mask[p] === 0 && bits[o + p] <= cut) {
            ob[base + o + p] = wb[base + o + p];
            if (rm) rm[base + o + p] = 1;
            count++;
          }
        }
      }
    }
    report.replaced[f] = count;
    report.holePixels[f] = z;
    report.cutoffIndex[f] = e;
    report.lambdaClamped[f] = lam;
  }
  out.set(w.subarray(0, fs), 0);
  rm?.fill(1, 0, fs);
  report.replaced[0] = fs;
  return report;
}

/**
 * The scheduler's v-prediction estimate in float32 as torch computes it:
 * D = v * (-sigma / sqrt(sigma^2 + 1)) + x / (sigma^2 + 1), each operation rounded to float32 (a
 * division by sigma^2 + 1, not a product with its inverse). The studio's denoiseFromModelOutput
 * computes the same coefficients in float64, which can differ in the last bit.
 */
export function referenceDenoise(
  x: Float32Array,
  v: Float32Array,
  sigma: number,
  out: Float32Array = new Float32Array(x.length),
): Float32Array {
  if (v.length !== x.length || out.length !== x.length)
    throw new CamtrackError(
      'shape-mismatch',
      `The model output has ${v.length} values and the output buffer ${out.length}, but the latent has ${x.length}.`,
    );
  const f = Math.fround;
  const s = f(sigma);
  const s2 = f(f(s * s) + 1);
  const cOut = f(-s / f(Math.sqrt(s2)));
  for (let i = 0; i < x.length; i++) out[i] = f(f(v[i] * cOut) + f(x[i] / s2));
  return out;
}

/**
 * The scheduler's Euler step in float32 (s_churn 0): derivative = (x - D) / sigma, dt = next - sigma,
 * x + derivative * dt. The last step (next = 0) is computed too, not copied: its result is D up to
 * float32 rounding, as in the reference.
 */
export function referenceEulerStep(
  x: Float32Array,
  denoised: Float32Array,
  sigma: number,
  next: number,
  out: Float32Array = x,
): Float32Array {
  if (denoised.length !== x.length || out.length !== x.length)
    throw new CamtrackError(
      'shape-mismatch',
      `The estimate has ${denoised.length} values and the output buffer ${out.length}, but the latent has ${x.length}.`,
    );
  const f = Math.fround;
  const s = f(sigma);
  const dt = f(f(next) - s);
  for (let i = 0; i < x.length; i++) out[i] = f(x[i] + f(f(f(x[i] - denoised[i]) / s) * dt));
  return out;
}

/** scale_model_input in float32: x / sqrt(sigma^2 + 1). */
export function referenceScaleInput(
  x: Float32Array,
  sigma: number,
  out: Float32Array = new Float32Array(x.length),
): Float32Array {
  const f = Math.fround;
  const s = f(sigma);
  const r = f(Math.sqrt(f(f(s * s) + 1)));
  for (let i = 0; i < x.length; i++) out[i] = f(x[i] / r);
  return out;
}
