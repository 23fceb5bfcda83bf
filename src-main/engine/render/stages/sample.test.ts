import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sineImage } from '../../../test/photo';
import type { RgbImage } from '../../image/types';
import { makeLambdaTable, type LambdaTable } from '../../lambda/table';
import { writeDraftModel } from '../../models/draftModel';
import { builtinDraftModelDir } from '../../models/modelFolder';
import { SvdPipeline } from '../../models/svdPipeline';
import {
  cfgFrameScales,
  eulerGaussianFactor,
  exactGaussianFactor,
  initialLatent,
  makeHoleMasks,
  type HoleMasks,
  type LatentShape,
} from '../../sampler';
import { karrasSigmas } from '../../schedule/karras';
import { conditionWindow } from './condition';
import { decodeWindow } from './decode';
import { sampleWindow } from './sample';

/**
 * One window through the render's model stages (condition, sample, decode: what renderProject
 * runs for each window) on the draft model through onnxruntime. Tiny windows: 3 frames of 64x64
 * pixels, latents 3 x 4 x 8 x 8.
 */
const W = 64;
const H = 64;
const F = 3;
const shape: LatentShape = { frames: F, channels: 4, height: H / 8, width: W / 8 };
const STEPS = 25;
const sigmas = karrasSigmas(STEPS);

const source = sineImage(W, H, 0);
const views = [source, sineImage(W, H, 3), sineImage(W, H, 6)];

let pipe: SvdPipeline;
beforeAll(async () => {
  pipe = await SvdPipeline.open(builtinDraftModelDir(), { provider: 'cpu' });
});
afterAll(() => pipe.release());

function allHoles(): HoleMasks {
  const m = makeHoleMasks(F, shape.height, shape.width);
  m.data.fill(1);
  return m;
}

/** Stages 5, 6 and 7 of one window, in the render's order. */
async function generate(
  p: SvdPipeline,
  req: {
    views: RgbImage[];
    holes: HoleMasks;
    sigmas: Float32Array;
    lambda: LambdaTable;
    seed: number;
    /** The CFG ramp runs from 1 to maxGuidance (diffusers' default 3). */
    maxGuidance?: number;
  },
) {
  const conditioned = await conditionWindow(p, {
    image: source,
    views: req.views,
    seed: req.seed,
    noiseAugStrength: p.manifest.conditioning.noiseAugStrength,
  });
  const latents = await sampleWindow(p, conditioned, {
    shape,
    sigmas: req.sigmas,
    lambda: req.lambda,
    lambdaMin: 0.2,
    holes: req.holes,
    seed: req.seed,
    guidance: { minGuidance: 1, maxGuidance: req.maxGuidance ?? 3 },
  });
  const frames = await decodeWindow(p, latents, { shape, chunk: 4 });
  return { conditioning: conditioned.cond, latents, frames };
}

/**
 * The Gaussian oracle through onnxruntime. The draft UNet is the exact denoiser of N(mu, s^2 I)
 * with mu = latentScale * (the UNet's image latent); with CFG ramp g_f the guided denoiser is
 * exactly that of mean g_f * mu (see models/draftGraphs.ts). Frames 1.. are all holes, so
 * guidance leaves them alone; frame 0 is replaced by the source latent at every step.
 *
 * Two checks per element: (a) the sampler through ORT equals Euler's exact discrete answer
 * mu_f + P (x_T - mu_f), P = prod_i (1 + (sigma_{i+1} - sigma_i) sigma_i / (s^2 + sigma_i^2)), to
 * float32 rounding; (b) it is within Euler's discretisation error of the exact probability-flow
 * map mu_f + s (x_T - mu_f) / sqrt(sigma_max^2 + s^2): |P - P_exact| |x_T - mu_f| plus rounding.
 * (a) is the sharp test of the whole path; (b) says what Euler costs at this step count.
 */
async function oracleCheck(p: SvdPipeline, seed: number, maxGuidance: number, roundTol: number) {
  const s = p.manifest.draft!.dataStd;
  const result = await generate(p, {
    views,
    holes: allHoles(),
    sigmas,
    lambda: makeLambdaTable(STEPS, F, new Array(STEPS * F).fill(1)),
    seed,
    maxGuidance,
  });
  const xT = initialLatent(shape, sigmas[0], { seed });
  const P = eulerGaussianFactor(sigmas, s);
  const Pexact = exactGaussianFactor(sigmas[0], s);
  const g = cfgFrameScales(F, 1, maxGuidance);
  const per = 4 * shape.height * shape.width;
  const k = p.manifest.latentScale;
  let worstDiscrete = 0;
  let worstExactExcess = 0;
  for (let f = 1; f < F; f++) {
    for (let i = 0; i < per; i++) {
      const mu = (maxGuidance > 1 ? g[f] : 1) * k * result.conditioning.imageLatent[i];
      const j = f * per + i;
      const got = result.latents[j];
      worstDiscrete = Math.max(worstDiscrete, Math.abs(got - (mu + P * (xT[j] - mu))));
      const bound = Math.abs(P - Pexact) * Math.abs(xT[j] - mu) + roundTol;
      worstExactExcess = Math.max(worstExactExcess, Math.abs(got - (mu + Pexact * (xT[j] - mu))) - bound);
    }
  }
  // frame 0 is the source latent, bit for bit
  expect(Array.from(result.latents.subarray(0, per))).toEqual(Array.from(result.conditioning.sourceLatent));
  if (process.env.CAMTRACK_PRINT_ORACLE) console.log({ seed, maxGuidance, worstDiscrete, worstExactExcess, P, Pexact });
  return { worstDiscrete, worstExactExcess, result };
}

describe('the Gaussian oracle through onnxruntime (draft model, float32)', () => {
  it('lands on the probability-flow answer with guidance off (g = 1)', async () => {
    const { worstDiscrete, worstExactExcess } = await oracleCheck(pipe, 7, 1, 5e-6);
    expect(worstDiscrete).toBeLessThan(5e-6);
    expect(worstExactExcess).toBeLessThanOrEqual(0);
  });

  it('lands on the answer for mean g_f mu with the CFG ramp 1..3 on', async () => {
    const { worstDiscrete, worstExactExcess } = await oracleCheck(pipe, 8, 3, 5e-6);
    expect(worstDiscrete).toBeLessThan(5e-6);
    expect(worstExactExcess).toBeLessThanOrEqual(0);
  });
});

describe('guidance and determinism through onnxruntime', () => {
  it('with lambda 1 the valid elements equal the warped latents exactly and frame 0 the source latent', async () => {
    const holes = makeHoleMasks(F, shape.height, shape.width);
    for (let i = 0; i < holes.data.length; i++) holes.data[i] = i % 5 === 0 ? 1 : 0;
    const result = await generate(pipe, {
      views,
      holes,
      sigmas,
      lambda: makeLambdaTable(STEPS, F, new Array(STEPS * F).fill(1)),
      seed: 3,
    });
    const warped = await pipe.encodeViews(views);
    const hw = shape.height * shape.width;
    const per = 4 * hw;
    expect(Array.from(result.latents.subarray(0, per))).toEqual(Array.from(result.conditioning.sourceLatent));
    let checked = 0;
    let holesDiffer = 0;
    for (let f = 1; f < F; f++)
      for (let c = 0; c < 4; c++)
        for (let p = 0; p < hw; p++) {
          const j = f * per + c * hw + p;
          if (holes.data[f * hw + p]) holesDiffer += result.latents[j] !== warped[j] ? 1 : 0;
          else {
            expect(result.latents[j]).toBe(warped[j]);
            checked++;
          }
        }
    let valid = 0;
    for (let f = 1; f < F; f++) for (let p = 0; p < hw; p++) valid += holes.data[f * hw + p] ? 0 : 4;
    expect(checked).toBe(valid);
    expect(valid).toBeGreaterThan(400);
    expect(holesDiffer).toBeGreaterThan(0); // hole elements come from the model, not from W
    expect(result.frames).toHaveLength(F);
    expect([result.frames[0].width, result.frames[0].height]).toEqual([W, H]);
  });

  it('gives identical output for the same seed and a different one for another seed', async () => {
    const req = {
      views,
      holes: allHoles(),
      sigmas: karrasSigmas(6),
      lambda: makeLambdaTable(6, F, new Array(6 * F).fill(0.5)),
    };
    const a = await generate(pipe, { ...req, seed: 11 });
    const b = await generate(pipe, { ...req, seed: 11 });
    const c = await generate(pipe, { ...req, seed: 12 });
    expect(Buffer.from(a.latents.buffer).equals(Buffer.from(b.latents.buffer))).toBe(true);
    expect(a.frames.map((fr) => Array.from(fr.data))).toEqual(b.frames.map((fr) => Array.from(fr.data)));
    expect(Buffer.from(a.latents.buffer).equals(Buffer.from(c.latents.buffer))).toBe(false);
  });

  it('refuses warped views of another size than the conditioning image, naming the view', async () => {
    const small: RgbImage = { width: 128, height: 64, data: new Float32Array(128 * 64 * 3) };
    const req = {
      views: [source, small, source],
      holes: allHoles(),
      sigmas: karrasSigmas(2),
      lambda: makeLambdaTable(2, F),
      seed: 1,
    };
    await expect(generate(pipe, req)).rejects.toThrow(/Warped view 1 is 128x64, but the source is 64x64/);
  });
});

describe('float16 models', () => {
  const dir = path.join(tmpdir(), `camtrack-f16-stages-${process.pid}`);
  let half: SvdPipeline;
  beforeAll(async () => {
    await writeDraftModel(dir, 'float16');
    half = await SvdPipeline.open(dir, { provider: 'cpu' });
  });
  afterAll(async () => {
    await half?.release();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('run through the same path with half-float tensors at the boundary', async () => {
    expect(half.model.sessions.unet.dtypes.sample).toBe('float16');
    expect(half.model.sessions.unet.dtypes.timestep).toBe('float32');
    // Half precision: each UNet call rounds c_in x and its output to 11 significant bits
    // (relative 2^-11 ~ 4.9e-4) on values of size |mu| + s ~ 1; the flow contracts errors, so the
    // end is within a few such roundings of the float32 answer.
    const { worstDiscrete } = await oracleCheck(half, 7, 3, 2e-3);
    expect(worstDiscrete).toBeLessThan(2e-3);
  });
});
