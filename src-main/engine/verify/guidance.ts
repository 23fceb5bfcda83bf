import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readNpyNumbers, type NpyNumbers } from '../npy/npy';
import { GuidanceScratch, makeHoleMasks } from '../sampler/guidance';
import {
  type ReferenceRule,
  applyReferenceGuidance,
  referenceDenoise,
  referenceEulerStep,
  referenceGuidedFrames,
  referenceScaleInput,
} from '../sampler/reference';
import { sigmasForSteps } from '../schedule/sigmas';
import { CamtrackError } from '../util/errors';
import { readBytes } from '../util/readBytes';
import {
  type ReferenceWarpRule,
  REFERENCE_DEPTH_FAR,
  lapackInverse,
  referenceDepthFromDisparity,
  referenceForwardWarp,
  referenceMasks,
  referenceRelativePose,
  referenceSplat,
  toUint8Image,
} from '../warp/reference';
import { referenceTwoViewSource } from '../sources/referenceTwoView';
import { referenceTwoViewDistances, referenceTwoViewLambda } from '../lambda/twoView';

/**
 * `camtrack verify guidance DIR`: runs the studio's reference fidelity mode on the inputs of a golden
 * folder written by the NVS-Solver reference's own code (the layout of fixtures/nvs-guidance: any
 * seed, size, step count and kept steps; its sizes come from the arrays, its steps from sigmas.npy
 * and steps.json) and compares every stage with the reference's outputs within the tolerances below.
 *
 * Tolerances (a float32 and float64 reimplementation of numpy and torch code):
 * - uint8 images: a difference of 1 on at most 0.1% of the values (np.add.at's summation order,
 *   .5 rounding ties), never more; masks, counts and latent masks: equal;
 * - float64 warp values (flow, target depth, unrounded splat colours): 1e-9 relative (per value,
 *   relative to max(|expected|, 1));
 * - float32 sampler values: 2 ulp or 1e-6 relative, and elements that took the target are equal to
 *   it bit for bit; Euler steps: 1e-6 relative to max |x|.
 */
export interface GoldenCheck {
  /** The golden's folder and what in it (e.g. "dgs_single step 12"). */
  stage: string;
  check: string;
  /** The largest difference found (in the check's unit), or the count of mismatches for exact checks. */
  maxDiff: number;
  tolerance: number;
  /** How maxDiff is measured: 'abs', 'rel', 'ulp', 'count' (values that differ), 'uint8'. */
  unit: 'rel' | 'count' | 'uint8' | 'ulp';
  pass: boolean;
  detail?: string;
}

export interface GuidanceVerification {
  dir: string;
  /** The golden set's size, frames and steps. */
  size: { width: number; height: number; frames: number; steps: number; picks: number[] };
  checks: GoldenCheck[];
  pass: boolean;
}

const UINT8_SHARE = 0.001;
const REL64 = 1e-9;
const REL32 = 1e-6;
const ULP32 = 2;

/** The folders of a golden set, each one stage of the reference. */
export const GOLDEN_STAGES = [
  'splat',
  'scene',
  'warp_single',
  'mask_single',
  'warp_two',
  'warp_dyn',
  'dgs_single',
  'dgs_multi',
] as const;

export async function verifyGuidance(dir: string): Promise<GuidanceVerification> {
  const stat = await fs.stat(dir).catch(() => null);
  if (!stat?.isDirectory())
    throw new CamtrackError('not-found', `${dir} is not a folder; give a golden folder such as fixtures/nvs-guidance.`);
  const missing: string[] = [];
  for (const s of GOLDEN_STAGES)
    if (!(await fs.stat(path.join(dir, s)).catch(() => null))?.isDirectory()) missing.push(s);
  if (missing.length > 0)
    throw new CamtrackError(
      'not-found',
      `${dir} is not a complete golden folder: it has no ${missing.join(', ')} folder${missing.length > 1 ? 's' : ''} (the layout of fixtures/nvs-guidance).`,
    );
  const g = new Golden(dir);
  const checks: GoldenCheck[] = [];
  await verifySplat(g, checks);
  await verifyWarpSingle(g, checks);
  await verifyMaskSingle(g, checks);
  await verifyWarpTwo(g, checks);
  await verifyWarpDyn(g, checks);
  const single = await verifyDgs(g, 'dgs_single', 'single', checks);
  await verifyDgs(g, 'dgs_multi', 'two-view', checks);
  // Optional (sets made by scripts/make-guidance-goldens.py have it): the two-image script's lambda table.
  if ((await fs.stat(path.join(dir, 'lambda_two')).catch(() => null))?.isDirectory()) await verifyLambdaTwo(g, checks);
  const image = await g.npy('scene/image.npy');
  return {
    dir,
    size: { width: image.shape[1], height: image.shape[0], ...single },
    checks,
    pass: checks.every((c) => c.pass),
  };
}

/** Reads a golden folder's files, naming the file in every error. */
class Golden {
  constructor(readonly dir: string) {}

  async npy(rel: string, dims?: number): Promise<NpyNumbers> {
    const file = path.join(this.dir, rel);
    const a = readNpyNumbers(await readBytes(file), rel);
    if (dims !== undefined && a.shape.length !== dims)
      throw new CamtrackError('bad-file', `${rel} has shape (${a.shape.join(', ')}); a ${dims}-d array was expected.`);
    return a;
  }

  async json(rel: string): Promise<unknown> {
    const text = new TextDecoder().decode(await readBytes(path.join(this.dir, rel)));
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new CamtrackError('bad-file', `${rel} is not valid JSON: ${(e as Error).message}`);
    }
  }
}

/** Item j of an array with a leading axis (a view). */
function item<T extends NpyNumbers['data']>(a: NpyNumbers, j: number): T {
  const per = a.shape.slice(1).reduce((x, y) => x * y, 1);
  return a.data.subarray(j * per, (j + 1) * per) as T;
}

function sameLength(stage: string, check: string, a: ArrayLike<number>, e: ArrayLike<number>): void {
  if (a.length !== e.length)
    throw new CamtrackError(
      'shape-mismatch',
      `${stage} ${check}: ${a.length} values computed, the golden has ${e.length}.`,
    );
}

/** Values that differ at all. */
function exact(stage: string, check: string, a: ArrayLike<number>, e: ArrayLike<number>): GoldenCheck {
  sameLength(stage, check, a, e);
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== e[i]) n++;
  return { stage, check, maxDiff: n, tolerance: 0, unit: 'count', pass: n === 0 };
}

/** uint8 images: at most 0.1% of values off by 1, none by more; maxDiff is the largest difference. */
function uint8(stage: string, check: string, a: ArrayLike<number>, e: ArrayLike<number>): GoldenCheck {
  sameLength(stage, check, a, e);
  let max = 0;
  let ones = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - e[i]);
    if (d > max) max = d;
    if (d === 1) ones++;
  }
  const allowed = Math.floor(UINT8_SHARE * a.length);
  return {
    stage,
    check,
    maxDiff: max,
    tolerance: 1,
    unit: 'uint8',
    pass: max <= 1 && ones <= allowed,
    detail: `${ones} of ${a.length} values off by 1 (at most ${allowed})`,
  };
}

/** max |a - e| / max(|e|, 1). */
function relative(stage: string, check: string, a: ArrayLike<number>, e: ArrayLike<number>, tol = REL64): GoldenCheck {
  sameLength(stage, check, a, e);
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - e[i]) / Math.max(Math.abs(e[i]), 1);
    if (!(d <= max)) max = d;
  }
  return { stage, check, maxDiff: max, tolerance: tol, unit: 'rel', pass: max <= tol };
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
/** Units in the last place of float32 between two floats of the same sign (NaN: Infinity). */
function ulps(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Infinity;
  const key = (v: number) => {
    f32[0] = v;
    const bits = u32[0];
    return bits & 0x80000000 ? -(bits & 0x7fffffff) : bits;
  };
  return Math.abs(key(a) - key(b));
}

/** float32 values: within 2 ulp or 1e-6 relative; maxDiff in ulp. */
function float32(stage: string, check: string, a: Float32Array, e: ArrayLike<number>): GoldenCheck {
  sameLength(stage, check, a, e);
  let max = 0;
  let fails = 0;
  for (let i = 0; i < a.length; i++) {
    const u = ulps(a[i], e[i]);
    if (u > max) max = u;
    if (u > ULP32 && !(Math.abs(a[i] - e[i]) <= REL32 * Math.abs(e[i]))) fails++;
  }
  return {
    stage,
    check,
    maxDiff: max,
    tolerance: ULP32,
    unit: 'ulp',
    pass: fails === 0,
    detail: fails > 0 ? `${fails} values beyond 2 ulp and 1e-6 relative` : undefined,
  };
}

async function verifySplat(g: Golden, out: GoldenCheck[]): Promise<void> {
  const frame = await g.npy('splat/frame1.npy', 3);
  const depth = await g.npy('splat/depth1.npy', 2);
  const flow = await g.npy('splat/flow12.npy', 3);
  const [h, w] = depth.shape;
  const variants: Array<[string, ReferenceWarpRule]> = [
    ['single', 'single'],
    ['two', 'two-view'],
    ['dyn', 'video'],
  ];
  for (const [v, rule] of variants) {
    const s = referenceSplat(frame.data, 3, w, h, depth.data, flow.data, rule);
    const stage = `splat ${v}`;
    out.push(relative(stage, 'unrounded colours', s.colour, (await g.npy(`splat/warped_float_${v}.npy`)).data));
    out.push(uint8(stage, 'uint8 colours', toUint8Image(s.colour), (await g.npy(`splat/warped_${v}.npy`)).data));
    out.push(exact(stage, 'known mask', s.known, (await g.npy(`splat/mask_${v}.npy`)).data));
  }
}

async function verifyWarpSingle(g: Golden, out: GoldenCheck[]): Promise<void> {
  const disparity = await g.npy('scene/disparity.npy', 2);
  const depth = await g.npy('scene/depth.npy', 2);
  out.push(
    exact(
      'scene',
      'depth from disparity (10000 / d, clip 500)',
      referenceDepthFromDisparity(disparity.data, REFERENCE_DEPTH_FAR.single),
      depth.data,
    ),
  );
  const image = await g.npy('scene/image.npy', 3);
  const [h, w] = depth.shape;
  const K = await g.npy('warp_single/K.npy', 3);
  const ps = await g.npy('warp_single/pose_source.npy', 2);
  const pt = await g.npy('warp_single/pose_target.npy', 3);
  const flow = await g.npy('warp_single/flow12.npy');
  const tz = await g.npy('warp_single/target_depth.npy');
  const warped = await g.npy('warp_single/warped.npy');
  const mask2 = await g.npy('warp_single/mask2.npy');
  const cases = ((await g.json('warp_single/cases.json')) as { cases?: string[] }).cases ?? [];
  for (let c = 0; c < pt.shape[0]; c++) {
    const k = item<Float64Array>(K, c);
    const r = referenceForwardWarp(
      image.data as Uint8Array,
      depth.data,
      w,
      h,
      referenceRelativePose(ps.data, item(pt, c)),
      lapackInverse(k, 3),
      k,
      'single',
    );
    const stage = `warp_single ${cases[c] ?? `case ${c}`}`;
    out.push(relative(stage, 'flow', r.flow, item(flow, c)));
    out.push(relative(stage, 'target depth', r.targetDepth, item(tz, c)));
    out.push(uint8(stage, 'warped', r.warped, item(warped, c)));
    out.push(exact(stage, 'known mask', r.known, item(mask2, c)));
  }
}

/** Dilated (255 = hole), conditioning image and latent mask of the warp at pixel level. */
function pushMasks(
  out: GoldenCheck[],
  stage: string,
  m: ReturnType<typeof referenceMasks>,
  dilated: ArrayLike<number>,
  cond: ArrayLike<number>,
): void {
  out.push(
    exact(
      stage,
      'dilated holes',
      m.dilated.map((v) => v * 255),
      dilated,
    ),
  );
  out.push(uint8(stage, 'conditioning image', m.cond, cond));
}

async function verifyMaskSingle(g: Golden, out: GoldenCheck[]): Promise<void> {
  const warped = await g.npy('mask_single/warped.npy', 4);
  const mask2 = await g.npy('mask_single/mask2.npy', 3);
  const dilated = await g.npy('mask_single/dilated.npy', 3);
  const cond = await g.npy('mask_single/cond.npy', 4);
  const frames = await g.npy('mask_single/frames.npy', 1);
  const latentMask = await g.npy('mask_single/latent_mask.npy', 3);
  const latentMean = await g.npy('mask_single/latent_mean.npy', 3);
  const [, h, w] = mask2.shape;
  // The mask processing alone, from the reference's own warps.
  for (let j = 0; j < frames.shape[0]; j++) {
    const f = frames.data[j];
    const m = referenceMasks(item(warped, j), item(mask2, j), w, h);
    const stage = `mask_single frame ${f}`;
    pushMasks(out, stage, m, item(dilated, j), item(cond, j));
    out.push(exact(stage, 'latent mask', m.latentHoles, item(latentMask, f - 1)));
    out.push(relative(stage, 'latent block means', m.latentMean, item(latentMean, f - 1)));
  }
  // The whole orbit, warp and masks together: every frame's latent mask.
  const image = await g.npy('scene/image.npy', 3);
  const depth = await g.npy('scene/depth.npy', 2);
  const K = (await g.npy('mask_single/K.npy', 2)).data;
  const poses = await g.npy('mask_single/orbit_poses.npy', 3);
  const kInv = lapackInverse(K, 3);
  const all = new Uint8Array(latentMask.data.length);
  const per = latentMask.data.length / latentMask.shape[0];
  let pixelDiff = 0;
  for (let f = 1; f < poses.shape[0]; f++) {
    const T = referenceRelativePose(item(poses, 0), item(poses, f));
    const r = referenceForwardWarp(image.data as Uint8Array, depth.data, w, h, T, kInv, K, 'single');
    const m = referenceMasks(r.warped, r.known, w, h);
    all.set(m.latentHoles, (f - 1) * per);
    const j = Array.from(frames.data).indexOf(f);
    if (j >= 0) {
      const e = item(mask2, j);
      for (let i = 0; i < e.length; i++) if (e[i] !== r.known[i]) pixelDiff++;
    }
  }
  out.push(exact('mask_single orbit', `latent masks of frames 1..${poses.shape[0] - 1}`, all, latentMask.data));
  out.push({
    stage: 'mask_single orbit',
    check: 'known masks of the kept frames',
    maxDiff: pixelDiff,
    tolerance: 0,
    unit: 'count',
    pass: pixelDiff === 0,
  });
}

async function verifyWarpTwo(g: Golden, out: GoldenCheck[]): Promise<void> {
  const images = [await g.npy('warp_two/image_left.npy', 3), await g.npy('warp_two/image_right.npy', 3)];
  const depths = [await g.npy('warp_two/depth_left.npy', 2), await g.npy('warp_two/depth_right.npy', 2)];
  const Kf = (await g.npy('warp_two/K.npy', 2)).data;
  const poses = await g.npy('warp_two/poses.npy', 3);
  const frames = await g.npy('warp_two/frames.npy', 1);
  const warped = await g.npy('warp_two/warped.npy', 4);
  const mask2 = await g.npy('warp_two/mask2.npy', 3);
  const dilated = await g.npy('warp_two/dilated.npy', 3);
  const cond = await g.npy('warp_two/cond.npy', 4);
  const latentMask = await g.npy('warp_two/latent_mask.npy', 3);
  const latentMean = await g.npy('warp_two/latent_mean.npy', 3);
  const [h, w] = depths[0].shape;
  const F = poses.shape[0];
  // The two-image script casts K to float32: numpy inverts it in float32 too.
  const kInv = Float64Array.from(lapackInverse(Kf, 3), Math.fround);
  const kept = Array.from(frames.data);
  const per = latentMask.data.length / latentMask.shape[0];
  const allMasks = new Uint8Array(latentMask.data.length);
  const allMeans = new Float64Array(latentMean.data.length);
  for (let f = 1; f <= F - 2; f++) {
    const v = referenceTwoViewSource(f, F);
    const src = v === 0 ? 0 : F - 1;
    const T = referenceRelativePose(item(poses, src), item(poses, f));
    const r = referenceForwardWarp(images[v].data as Uint8Array, depths[v].data, w, h, T, kInv, Kf, 'two-view');
    const m = referenceMasks(r.warped, r.known, w, h);
    allMasks.set(m.latentHoles, (f - 1) * per);
    allMeans.set(m.latentMean, (f - 1) * per);
    const j = kept.indexOf(f);
    if (j < 0) continue;
    const stage = `warp_two frame ${f} (from photo ${v + 1})`;
    out.push(uint8(stage, 'warped', r.warped, item(warped, j)));
    out.push(exact(stage, 'known mask', r.known, item(mask2, j)));
    pushMasks(out, stage, m, item(dilated, j), item(cond, j));
  }
  out.push(exact('warp_two', `latent masks of frames 1..${F - 2}`, allMasks, latentMask.data));
  out.push(relative('warp_two', `latent block means of frames 1..${F - 2}`, allMeans, latentMean.data));
}

async function verifyWarpDyn(g: Golden, out: GoldenCheck[]): Promise<void> {
  const images = await g.npy('warp_dyn/image.npy', 4);
  const disparity = await g.npy('warp_dyn/disparity.npy', 3);
  const depth = await g.npy('warp_dyn/depth.npy', 3);
  const K = (await g.npy('warp_dyn/K.npy', 2)).data;
  const ps = (await g.npy('warp_dyn/pose_source.npy', 2)).data;
  const pt = await g.npy('warp_dyn/pose_target.npy', 3);
  const frames = await g.npy('warp_dyn/frames.npy', 1);
  const warped = await g.npy('warp_dyn/warped.npy', 4);
  const mask2 = await g.npy('warp_dyn/mask2.npy', 3);
  const dilated = await g.npy('warp_dyn/dilated.npy', 3);
  const cond = await g.npy('warp_dyn/cond.npy', 4);
  const latentMask = await g.npy('warp_dyn/latent_mask.npy', 3);
  const [, h, w] = depth.shape;
  out.push(
    exact(
      'warp_dyn',
      'depth from disparity (10000 / d, clip 10000)',
      referenceDepthFromDisparity(disparity.data, REFERENCE_DEPTH_FAR.video),
      depth.data,
    ),
  );
  const kInv = lapackInverse(K, 3);
  for (let j = 0; j < frames.shape[0]; j++) {
    const T = referenceRelativePose(ps, item(pt, j));
    const r = referenceForwardWarp(item(images, j), item(depth, j), w, h, T, kInv, K, 'video');
    const m = referenceMasks(r.warped, r.known, w, h);
    const stage = `warp_dyn video frame ${frames.data[j]}`;
    out.push(uint8(stage, 'warped', r.warped, item(warped, j)));
    out.push(exact(stage, 'known mask', r.known, item(mask2, j)));
    pushMasks(out, stage, m, item(dilated, j), item(cond, j));
    out.push(exact(stage, 'latent mask', m.latentHoles, item(latentMask, j)));
  }
}

interface StepsJson {
  picks?: number[];
  steps?: Array<{
    step: number;
    frames: Array<{ frame: number; hole_pixels: number; cutoff_index_e: number; replaced: number }>;
  }>;
}

async function verifyDgs(
  g: Golden,
  folder: string,
  rule: ReferenceRule,
  out: GoldenCheck[],
): Promise<{ frames: number; steps: number; picks: number[] }> {
  const tcl = await g.npy(`${folder}/temp_cond_latents.npy`, 5);
  const holesNpy = await g.npy(`${folder}/holes.npy`, 3);
  const lambda = await g.npy(`${folder}/lambda_ts.npy`, 2);
  const sigmas = (await g.npy(`${folder}/sigmas.npy`, 1)).data;
  const timesteps = (await g.npy(`${folder}/timesteps.npy`, 1)).data;
  const stepsJson = (await g.json(`${folder}/steps.json`)) as StepsJson;
  const [, F, C, h, w] = tcl.shape;
  const N = sigmas.length - 1;
  const shape = { frames: F, channels: C, height: h, width: w };
  if (lambda.shape[0] !== N || lambda.shape[1] !== F)
    throw new CamtrackError(
      'shape-mismatch',
      `${folder}/lambda_ts.npy is ${lambda.shape.join(' x ')}; ${N} steps x ${F} frames were expected.`,
    );
  const { first, last } = referenceGuidedFrames(rule, F);
  if (holesNpy.shape[0] !== last - first + 1)
    throw new CamtrackError(
      'shape-mismatch',
      `${folder}/holes.npy has ${holesNpy.shape[0]} frames; the ${rule} rule guides ${last - first + 1}.`,
    );
  const hw = h * w;
  const holeData = new Uint8Array(F * hw);
  holeData.set(holesNpy.data as Uint8Array, first * hw);
  const holes = makeHoleMasks(F, h, w, holeData);
  const targets = item<Float32Array>(tcl, 1);
  out.push(exact(folder, `${N}-step schedule (Karras, bit for bit)`, sigmasForSteps(N), sigmas));
  const cNoise = Float32Array.from(sigmas.subarray(0, N), (s) => 0.25 * Math.log(s));
  out.push(float32(folder, 'timesteps (0.25 ln sigma)', cNoise, timesteps));
  const scratch = new GuidanceScratch();
  const picks = stepsJson.picks ?? [];
  if (picks.length === 0) throw new CamtrackError('bad-file', `${folder}/steps.json lists no kept steps ('picks').`);
  for (const i of picks) {
    const tag = `step${String(i).padStart(2, '0')}`;
    const stage = `${folder} step ${i}`;
    const load = async (name: string) => (await g.npy(`${folder}/${tag}_${name}.npy`)).data as Float32Array;
    const x = await load('sample');
    const v = await load('model_output');
    const dGold = await load('denoised');
    const predGold = await load('pred_original_sample');
    const sigma = sigmas[i];
    out.push(float32(stage, 'scaled input', referenceScaleInput(x, sigma), await load('scaled_input')));
    out.push(float32(stage, 'denoised (v-prediction)', referenceDenoise(x, v, sigma), dGold));
    const pred = new Float32Array(dGold.length);
    const replaced = new Uint8Array(pred.length);
    const report = applyReferenceGuidance({
      shape,
      denoised: dGold,
      targets,
      holes,
      lambdas: lambda.data.subarray(i * F, (i + 1) * F),
      rule,
      out: pred,
      scratch,
      replacedMask: replaced,
    });
    const replacedGold = (await g.npy(`${folder}/${tag}_replaced.npy`)).data;
    out.push(exact(stage, 'replaced elements', replaced, replacedGold));
    out.push(float32(stage, 'guided estimate', pred, predGold));
    const frames = stepsJson.steps?.find((s) => s.step === i)?.frames ?? [];
    let countDiff = 0;
    for (const r of frames) {
      if (report.holePixels[r.frame] !== r.hole_pixels) countDiff++;
      if (report.cutoffIndex[r.frame] !== r.cutoff_index_e) countDiff++;
      if (report.replaced[r.frame] !== r.replaced) countDiff++;
    }
    out.push({
      stage,
      check: `hole pixels, cutoff rank e, replaced count of ${frames.length} frames`,
      maxDiff: countDiff,
      tolerance: 0,
      unit: 'count',
      pass: countDiff === 0 && frames.length > 0,
      detail: frames.length === 0 ? `steps.json has no frames for step ${i}` : undefined,
    });
    const scale = maxAbs(x);
    out.push(
      eulerCheck(
        stage,
        'prev sample',
        referenceEulerStep(x, predGold, sigma, sigmas[i + 1], new Float32Array(x.length)),
        await load('prev_sample'),
        scale,
      ),
    );
    out.push(
      eulerCheck(
        stage,
        'prev sample unguided',
        referenceEulerStep(x, dGold, sigma, sigmas[i + 1], new Float32Array(x.length)),
        await load('prev_sample_unguided'),
        scale,
      ),
    );
  }
  return { frames: F, steps: N, picks };
}

async function verifyLambdaTwo(g: Golden, out: GoldenCheck[]): Promise<void> {
  const poses = await g.npy('lambda_two/poses.npy', 3);
  const sigmas = (await g.npy('lambda_two/sigmas.npy', 1)).data;
  const translations = Array.from({ length: poses.shape[0] }, (_, k) => {
    const p = item(poses, k);
    return [p[3], p[7], p[11]];
  });
  const dists = referenceTwoViewDistances(translations);
  out.push(relative('lambda_two', 'distances to the nearer photo', dists, (await g.npy('lambda_two/dists.npy')).data));
  const table = referenceTwoViewLambda(sigmas, dists).table.data;
  out.push(
    relative(
      'lambda_two',
      `lambda table (${sigmas.length - 1} steps)`,
      table,
      (await g.npy('lambda_two/lambda_ts.npy')).data,
    ),
  );
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** An Euler step: 1e-6 relative to max |x|. */
function eulerCheck(stage: string, check: string, a: Float32Array, e: ArrayLike<number>, scale: number): GoldenCheck {
  sameLength(stage, check, a, e);
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - e[i]) / scale;
    if (!(d <= max)) max = d;
  }
  return { stage, check, maxDiff: max, tolerance: REL32, unit: 'rel', pass: max <= REL32 };
}

/** One line per check: stage, check, max difference, tolerance, verdict. */
export function formatVerification(v: GuidanceVerification): string {
  const fmt = (c: GoldenCheck, x: number) =>
    c.unit === 'rel' ? x.toExponential(2) : c.unit === 'ulp' ? `${x} ulp` : c.unit === 'uint8' ? `${x}` : `${x}`;
  const tol = (c: GoldenCheck) =>
    c.unit === 'count'
      ? 'equal'
      : c.unit === 'uint8'
        ? '1 on <= 0.1%'
        : c.unit === 'ulp'
          ? '2 ulp or 1e-6 rel'
          : fmt(c, c.tolerance);
  const rows = v.checks.map((c) => [
    c.pass ? 'ok  ' : 'FAIL',
    c.stage,
    c.check,
    c.unit === 'count' ? `${c.maxDiff} differ` : `max ${fmt(c, c.maxDiff)}`,
    `(${tol(c)})`,
    c.pass || !c.detail ? '' : c.detail,
  ]);
  const widths = [4, 0, 0, 0, 0].map((min, k) => Math.max(min, ...rows.map((r) => r[k].length)));
  const lines = rows.map((r) =>
    r
      .map((s, k) => (k < 4 ? s.padEnd(widths[k]) : s))
      .join('  ')
      .trimEnd(),
  );
  const failed = v.checks.filter((c) => !c.pass).length;
  const { width, height, frames, steps, picks } = v.size;
  lines.unshift(
    `Golden set ${v.dir}: ${width}x${height}, ${frames} frames, ${steps} steps (kept ${picks.join(', ')}).`,
  );
  lines.push(
    failed === 0
      ? `All ${v.checks.length} checks pass: this build reproduces the reference.`
      : `${failed} of ${v.checks.length} checks FAIL.`,
  );
  return lines.join('\n');
}
