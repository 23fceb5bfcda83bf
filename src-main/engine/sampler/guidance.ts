import { CamtrackError } from '../util/errors';
import { type LatentShape, assertLength, frameSize, latentSize } from './shape';
import { type KthResult, SelectScratch, selectKth, topBucket } from './select';

/** Key of a hole element: a pattern above every |a - b| (sign bit set), so holes rank last. */
const HOLE_KEY = 0xffffffff;

/**
 * NVS-Solver's posterior guidance (docs/design.md, "Guidance"), the studio's rule: the guided
 * estimate D~ from the model's D(x; sigma), the warped views W and the source latent, for latents
 * laid out [F][C][h][w].
 *
 * - frame 0: D~ = the source latent;
 * - frame f >= 1: over the valid elements V_f (pixels that are not holes, all C channels of each),
 *   rank by |D_f - W_f| (the float32 absolute difference, per element, not summed over channels);
 *   lam = clamp(Lambda[i][f], lambda_min, 1); the floor(lam * |V_f|) elements with the smallest
 *   difference take W's value, ties at the cutoff going to the lower element index (the index in
 *   the [C][h][w] frame); every other element, holes included, keeps D's value.
 *
 * Compared with the reference (ZHU-Zhiyu/NVS_Solver, EulerDiscreteScheduler.step_single_dgs):
 * - the same: holes per latent pixel, shared by all channels (it averages its per-channel mask
 *   over channels and thresholds at 0.5); |.| per element; frame 0 replaced whole by the source
 *   latent; lam clamped to at most 1. Its single-view DGS path passes weight_clamp=None, so no
 *   floor, as lambda_min 0 here (a higher lambda_min is a user option; the reference's 0.2 to
 *   0.4 belong to its gradient variant and to step_multi_dgs, which hard-codes 0.4).
 * - different on purpose (docs/design.md, "Guidance"; the reference fidelity mode reproduces the
 *   reference's rule, reference.ts): it zeroes the hole elements, sorts all C*h*w differences and takes the value at
 *   int(lam * (C*h*w - holePixels)) + holePixels - 1 as a cutoff, counting the holes once per pixel
 *   although C*holePixels zeros sort first, and then replaces every valid element <= that cutoff, so
 *   ties can push it past the count; at lam = 0 on a frame without holes the index wraps and it
 *   replaces everything. Here exactly floor(lam * |V_f|) elements are replaced, |V_f| = C * valid
 *   pixels, with the index tie-break above: lambda means the share of the seen elements that are
 *   guided, at every hole fraction.
 */

/**
 * Hole masks at latent resolution, one per frame: `data` is [F][h][w], nonzero = hole. Per pixel,
 * not per element, because a hole is a place the photo did not see, the same for every latent
 * channel (docs/design.md, "Warping": an 8x8 pixel block is a hole); a per-element mask could say a
 * pixel is half seen, which means nothing, and would cost C times the memory. Frame 0's mask is
 * ignored (frame 0 is the source itself); it is kept so that frame f's mask is at f * h * w.
 */
export interface HoleMasks {
  readonly frames: number;
  readonly height: number;
  readonly width: number;
  readonly data: Uint8Array;
}

export function makeHoleMasks(frames: number, height: number, width: number, data?: Uint8Array): HoleMasks {
  const n = frames * height * width;
  if (!Number.isInteger(n) || n < 1)
    throw new CamtrackError('bad-input', `Hole masks need a positive size (got ${frames} x ${height} x ${width}).`);
  if (data && data.length !== n) {
    throw new CamtrackError(
      'shape-mismatch',
      `Hole masks for ${frames} frames of ${height} x ${width} need ${n} values, got ${data.length}.`,
    );
  }
  return { frames, height, width, data: data ?? new Uint8Array(n) };
}

export function assertHoleMasks(m: HoleMasks, shape: LatentShape, where: string): void {
  if (
    m.frames !== shape.frames ||
    m.height !== shape.height ||
    m.width !== shape.width ||
    m.data.length !== shape.frames * shape.height * shape.width
  ) {
    throw new CamtrackError(
      'shape-mismatch',
      `${where}: the hole masks are ${m.frames} frames of ${m.height} x ${m.width} (${m.data.length} values), but the latents are ${shape.frames} frames of ${shape.height} x ${shape.width}.`,
    );
  }
}

/** How the cutoff is found: radix selection (the real one) or a full sort (the baseline, and a check). */
export type CutoffMethod = 'select' | 'sort';

/** Buffers reused across frames and steps: one frame of keys plus the selection's scratch. */
export class GuidanceScratch {
  private keyBuf = new ArrayBuffer(0);
  keys = new Float32Array(0);
  keyBits = new Uint32Array(0);
  readonly select = new SelectScratch();
  /** Elements that took W (or the source, for frame 0) in the last call, per frame. */
  replaced = new Int32Array(0);
  /** One frame's hole pixel indices. */
  holePixels = new Int32Array(0);
  /** Keys of the cutoff's bucket and their offsets in the frame. */
  bucketKeys = new Uint32Array(0);
  bucketOffsets = new Int32Array(0);

  ensure(frameElements: number, frames: number, framePixels: number): void {
    if (this.holePixels.length < framePixels) this.holePixels = new Int32Array(framePixels);
    if (this.keys.length < frameElements) {
      this.keyBuf = new ArrayBuffer(frameElements * 4);
      this.keys = new Float32Array(this.keyBuf);
      this.keyBits = new Uint32Array(this.keyBuf);
      this.bucketKeys = new Uint32Array(frameElements + 1);
      this.bucketOffsets = new Int32Array(frameElements + 1);
    }
    this.select.ensure(frameElements);
    if (this.replaced.length !== frames) this.replaced = new Int32Array(frames);
  }
}

export interface GuidanceInput {
  readonly shape: LatentShape;
  /** D(x; sigma) from the model, [F][C][h][w]. */
  readonly denoised: Float32Array;
  /** Warped-view latents W, [F][C][h][w] (frame 0 unused). */
  readonly warped: Float32Array;
  /** Source image latent, [C][h][w]. */
  readonly source: Float32Array;
  readonly holes: HoleMasks;
  /** This step's row of the lambda table: one value per frame. */
  readonly lambdas: ArrayLike<number>;
  readonly lambdaMin: number;
  /** Receives D~; may be `denoised` itself (guidance in place). */
  readonly out: Float32Array;
  readonly scratch: GuidanceScratch;
  readonly cutoff?: CutoffMethod;
}

/** Writes D~ into `input.out`; returns the per-frame replaced counts (owned by the scratch). */
export function applyPosteriorGuidance(input: GuidanceInput): Int32Array {
  const { shape, denoised: d, warped: w, source, holes, lambdas, lambdaMin, out, scratch } = input;
  const where = 'Guidance';
  const n = latentSize(shape);
  const fs = frameSize(shape);
  const hw = shape.height * shape.width;
  const C = shape.channels;
  assertLength(d, n, 'the denoised latent', where);
  assertLength(w, n, 'the warped latents', where);
  assertLength(out, n, 'the output buffer', where);
  assertLength(source, fs, 'the source latent', where);
  assertLength(lambdas, shape.frames, 'the lambda row', where);
  assertHoleMasks(holes, shape, where);
  if (!(lambdaMin >= 0 && lambdaMin <= 1))
    throw new CamtrackError('bad-input', `${where}: lambda_min must be between 0 and 1 (got ${lambdaMin}).`);
  scratch.ensure(fs, shape.frames, hw);
  const keys = scratch.keys;
  const bits = scratch.keyBits;
  const inPlace = out === d;

  out.set(source, 0);
  scratch.replaced[0] = fs;

  const holeList = scratch.holePixels;
  const ob = new Uint32Array(out.buffer, out.byteOffset, out.length);
  const db = new Uint32Array(d.buffer, d.byteOffset, d.length);
  const wb = new Uint32Array(w.buffer, w.byteOffset, w.length);
  for (let f = 1; f < shape.frames; f++) {
    const base = f * fs;
    const mask = holes.data.subarray(f * hw, (f + 1) * hw);
    let nh = 0;
    for (let p = 0; p < hw; p++) if (mask[p] !== 0) holeList[nh++] = p;
    const nValid = (hw - nh) * C;
    const L = lambdas[f];
    if (!Number.isFinite(L))
      throw new CamtrackError('bad-input', `${where}: lambda for frame ${f} is not a finite number.`);
    const lam = Math.min(1, Math.max(lambdaMin, L));
    const k = Math.floor(lam * nValid);
    scratch.replaced[f] = k;

    if (k === 0) {
      if (!inPlace) out.set(d.subarray(base, base + fs), base);
      continue;
    }
    if (k === nValid) {
      // Every valid element takes W: no ranking needed.
      for (let c = 0; c < C; c++) {
        const o = base + c * hw;
        for (let p = 0; p < hw; p++) ob[o + p] = mask[p] === 0 ? wb[o + p] : db[o + p];
      }
      continue;
    }

    // Keys for the whole frame in element order; holes parked at HOLE_KEY, after every real key,
    // so the k-th smallest of all (k <= |V|) is the k-th smallest of the valid ones.
    const df = d.subarray(base, base + fs);
    const wf = w.subarray(base, base + fs);
    for (let m = 0; m < fs; m++) keys[m] = Math.abs(df[m] - wf[m]);
    for (let c = 0; c < C; c++) {
      const o = c * hw;
      for (let j = 0; j < nh; j++) bits[o + holeList[j]] = HOLE_KEY;
    }
    if (input.cutoff === 'sort') {
      blendBySort(keys, bits, fs, k, base, ob, wb, db);
      continue;
    }
    // Pass 1 of the radix selection: the 12-bit bucket of the k-th key. Then one pass decides
    // every element outside that bucket (below: W, above: D, holes included) with a branch-free
    // blend of the bit patterns, since the choice is a coin toss per element that a branch would
    // mispredict, and gathers the bucket's keys with their element offsets, in element order.
    const top = topBucket(bits, fs, k, scratch.select);
    const p1 = top.bucket;
    const cKey = scratch.bucketKeys;
    const cOff = scratch.bucketOffsets;
    let nc = 0;
    for (let m = 0; m < fs; m++) {
      const v = bits[m];
      const t = v >>> 20;
      const sel = (t - p1) >> 31; // -1 (all ones) when t < p1, else 0; t, p1 < 4096
      const i = base + m;
      ob[i] = (wb[i] & sel) | (db[i] & ~sel);
      if (t === p1) {
        // Rare (one bucket of thousands), so this branch predicts well.
        cKey[nc] = v;
        cOff[nc++] = m;
      }
    }
    // Inside the bucket: the (k - less) smallest by (key, element order) take W.
    const r = k - top.less;
    const cut = selectKth(cKey, nc, r, scratch.select);
    const tb = cut.bits;
    let ties = r - cut.less;
    for (let j = 0; j < nc; j++) {
      const v = cKey[j];
      if (v < tb || (v === tb && ties-- > 0)) {
        const i = base + cOff[j];
        ob[i] = wb[i];
      }
    }
  }
  return scratch.replaced;
}

/** The baseline's last stage: k-th key by a full sort, then W below it and for the first ties. */
function blendBySort(
  keys: Float32Array,
  bits: Uint32Array,
  fs: number,
  k: number,
  base: number,
  ob: Uint32Array,
  wb: Uint32Array,
  db: Uint32Array,
): void {
  const cut = kthBySort(keys, fs, k);
  const tb = cut.bits;
  for (let m = 0; m < fs; m++) ob[base + m] = bits[m] < tb ? wb[base + m] : db[base + m];
  let ties = k - cut.less;
  for (let m = 0; ties > 0 && m < fs; m++) {
    if (bits[m] === tb) {
      ob[base + m] = wb[base + m];
      ties--;
    }
  }
}

const sortBuf = { keys: new Float32Array(0) };

/** The baseline: the k-th smallest by sorting a copy of all keys. */
export function kthBySort(keys: Float32Array, n: number, k: number): KthResult {
  if (sortBuf.keys.length < n) sortBuf.keys = new Float32Array(n);
  const sorted = sortBuf.keys.subarray(0, n);
  sorted.set(keys.subarray(0, n));
  sorted.sort();
  const v = sorted[k - 1];
  let lo = k - 1; // first index holding v
  while (lo > 0 && sorted[lo - 1] === v) lo--;
  const b = new Uint32Array(sorted.buffer, sorted.byteOffset + (k - 1) * 4, 1)[0];
  return { bits: b, less: lo };
}
