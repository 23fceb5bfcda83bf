/**
 * The SVD pipeline on onnxruntime (CPU) against diffusers itself, number for number, on the tiny
 * random-weight model of fixtures/tiny-svd (real diffusers architecture; the README there says how
 * each golden was computed and gives the tolerances used here). Both folders: fp32 against
 * golden/, fp16 against golden_fp16/ where it exists (its frames against golden/).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eulerSample, type LatentShape } from '../sampler';
import { karrasSigmas } from '../schedule/karras';
import { GOLDEN, golden, goldenImage, maxAbsDiff, TOL, tinyModelDir } from '../../test/tinySvd';
import type { RgbImage } from '../image/types';
import { SvdPipeline, type Conditioning } from './svdPipeline';

const shape = (frames: number): LatentShape => ({
  frames,
  channels: 4,
  height: GOLDEN.height / 8,
  width: GOLDEN.width / 8,
});
const guidance = {
  minGuidance: GOLDEN.minGuidance,
  maxGuidance: GOLDEN.maxGuidance,
  fps: GOLDEN.fps,
  motionBucketId: GOLDEN.motionBucketId,
  noiseAugStrength: GOLDEN.noiseAugStrength,
};

/** Planar [F][3][H][W]-free view of decoded frames as diffusers' [F,H,W,3] array. */
function framesArray(frames: RgbImage[]): Float32Array {
  const per = frames[0].data.length;
  const out = new Float32Array(frames.length * per);
  frames.forEach((f, i) => out.set(f.data, i * per));
  return out;
}

const report: string[] = [];
afterAll(() => console.log(`tiny SVD vs diffusers (max abs diff):\n${report.join('\n')}`));

function check(label: string, got: ArrayLike<number>, want: ArrayLike<number>, tol: number): void {
  const d = maxAbsDiff(got, want);
  report.push(`  ${label}: ${d.toExponential(2)} (tolerance ${tol})`);
  expect(d, label).toBeLessThan(tol);
}

describe.each([
  {
    dtype: 'fp32' as const,
    set: 'golden' as const,
    tol: { embeds: TOL.fp32.embeds, latent: TOL.fp32.latent, denoised: TOL.fp32.denoised, frames: TOL.fp32.frames },
  },
  { dtype: 'fp16' as const, set: 'golden_fp16' as const, tol: TOL.fp16 },
])('tiny SVD $dtype against diffusers', ({ dtype, set, tol }) => {
  let pipe: SvdPipeline;
  let cond: Conditioning;
  let source: RgbImage;
  beforeAll(async () => {
    pipe = await SvdPipeline.open(tinyModelDir(dtype), { provider: 'cpu' });
    source = await goldenImage('image');
    cond = await pipe.conditioning(source, 0, {
      noise: (await golden('noise_aug')).data,
      noiseAugStrength: GOLDEN.noiseAugStrength,
    });
  }, 120_000);
  afterAll(() => pipe?.release());

  it('image embeddings, of the render-size image and of a large one (real blur)', async () => {
    check(`${dtype} image_embeds`, cond.imageEmbeds, (await golden('image_embeds', set)).data, tol.embeds);
    const large = await pipe.imageEmbeds(await goldenImage('clip_large'));
    check(`${dtype} clip_large_image_embeds`, large, (await golden('clip_large_image_embeds', set)).data, tol.embeds);
  });

  it('the conditioning latent (noise-augmented, unscaled) and the scaled source latent', async () => {
    check(`${dtype} image_latent`, cond.imageLatent, (await golden('image_latent', set)).data, tol.latent);
    check(
      `${dtype} source_latent_scaled (vs fp32 golden)`,
      cond.sourceLatent,
      (await golden('source_latent_scaled')).data,
      tol.latent,
    );
  });

  it.each([
    { name: 'denoise_D', frames: 14, x: 'denoise_x', maxGuidance: 3 },
    { name: 'denoise_nocfg_D', frames: 14, x: 'denoise_x', maxGuidance: 1 },
    { name: 'denoise_f25_D', frames: 25, x: 'denoise_f25_x', maxGuidance: 3 },
  ])('one denoiser call: $name', async ({ name, frames, x, maxGuidance }) => {
    const denoise = pipe.denoiser(cond, shape(frames), { ...guidance, maxGuidance });
    const d = await denoise((await golden(x)).data, GOLDEN.denoiseSigma);
    check(`${dtype} ${name}`, d, (await golden(name, set)).data, tol.denoised);
  });

  it('a full plain sampling run (4 Euler steps, CFG) and its decoded frames', async () => {
    const sigmas = karrasSigmas(GOLDEN.steps);
    check(`${dtype} run_sigmas`, sigmas, (await golden('run_sigmas')).data, 1e-7);
    const sh = shape(GOLDEN.frames);
    const n = sh.frames * 4 * sh.height * sh.width;
    const xs = new Float32Array(GOLDEN.steps * n);
    const ds = new Float32Array(GOLDEN.steps * n);
    const final = await eulerSample({
      sigmas,
      shape: sh,
      start: { noise: (await golden('run_latents_init')).data },
      denoise: pipe.denoiser(cond, sh, guidance),
      onStep: (i, x, d) => {
        xs.set(x, i * n);
        ds.set(d, i * n);
      },
    });
    if (dtype === 'fp32') check(`${dtype} run_x_steps`, xs, (await golden('run_x_steps')).data, TOL.fp32.xSteps);
    check(`${dtype} run_D_steps`, ds, (await golden('run_D_steps', set)).data, tol.denoised);
    check(`${dtype} run_latents_final`, final, (await golden('run_latents_final', set)).data, tol.denoised);
    const frames = await pipe.decode(final, sh, GOLDEN.decodeChunk);
    expect(frames).toHaveLength(GOLDEN.frames);
    expect([frames[0].width, frames[0].height]).toEqual([GOLDEN.width, GOLDEN.height]);
    check(`${dtype} run_frames (vs fp32 golden)`, framesArray(frames), (await golden('run_frames')).data, tol.frames);
  }, 240_000);
});
