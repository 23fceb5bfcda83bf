import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sineImage } from '../../test/photo';
import { gaussianNoise, latentPreview } from '../sampler';
import { builtinDraftModelDir } from './modelFolder';
import { DRAFT_VAE_MATRIX } from './draftGraphs';
import { SvdPipeline, noiseAugSeed } from './svdPipeline';

/**
 * The pipeline's pieces on the draft model (a linear VAE and the exact Gaussian denoiser): the VAE
 * round trip, the noise augmentation, the latent preview and the size check. The whole guided path
 * (condition, sample, decode) is tested through the render's stages: render/stages/sample.test.ts.
 */
const W = 64;
const H = 64;

const source = sineImage(W, H, 0);

let pipe: SvdPipeline;
beforeAll(async () => {
  pipe = await SvdPipeline.open(builtinDraftModelDir(), { provider: 'cpu' });
});
afterAll(() => pipe.release());

describe('the pipeline pieces through onnxruntime', () => {
  it('decodes encoded images to their 8x8 block averages (linear VAE, latent scale round trip)', async () => {
    const z = await pipe.encodeViews([source]);
    const [img] = await pipe.decode(z, { frames: 1, channels: 4, height: 8, width: 8 }, 1);
    let worst = 0;
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++)
        for (let c = 0; c < 3; c++) {
          let mean = 0;
          for (let yy = 0; yy < 8; yy++)
            for (let xx = 0; xx < 8; xx++) mean += source.data[(((y & ~7) + yy) * W + (x & ~7) + xx) * 3 + c];
          worst = Math.max(worst, Math.abs(img.data[(y * W + x) * 3 + c] - mean / 64));
        }
    expect(worst).toBeLessThan(1e-5);
  });

  it('noise-augments the source in pixel space before encoding, as diffusers does', async () => {
    const a = 0.02;
    const cond = await pipe.conditioning(source, 5, { noiseAugStrength: a });
    const noise = gaussianNoise(3 * W * H, noiseAugSeed(5));
    const k = pipe.manifest.latentScale;
    const hw = 64;
    let worst = 0;
    for (let c = 0; c < 4; c++)
      for (let by = 0; by < 8; by++)
        for (let bx = 0; bx < 8; bx++) {
          // the linear draft VAE: latent(noisy) - latent(clean) = a * M * mean8x8(noise)
          let expected = 0;
          for (let ch = 0; ch < 3; ch++) {
            let mean = 0;
            for (let y = 0; y < 8; y++)
              for (let x = 0; x < 8; x++) mean += noise[ch * W * H + (by * 8 + y) * W + bx * 8 + x] / 64;
            expected += a * DRAFT_VAE_MATRIX[c][ch] * mean;
          }
          const i = c * hw + by * 8 + bx;
          worst = Math.max(worst, Math.abs(cond.imageLatent[i] - cond.sourceLatent[i] / k - expected));
        }
    expect(worst).toBeLessThan(1e-6);
    expect(cond.imageEmbeds.length).toBe(1024);
  });

  it('previews a draft latent exactly as its decoder would (at latent resolution)', async () => {
    const z = await pipe.encodeViews([source]);
    const [img] = await pipe.decode(z, { frames: 1, channels: 4, height: 8, width: 8 }, 1);
    const [preview] = latentPreview(z, { frames: 1, channels: 4, height: 8, width: 8 }, 1, pipe.previewProjection);
    let worst = 0;
    for (let by = 0; by < 8; by++)
      for (let bx = 0; bx < 8; bx++)
        for (let c = 0; c < 3; c++)
          worst = Math.max(
            worst,
            Math.abs(preview.data[(by * 8 + bx) * 3 + c] - img.data[(by * 8 * W + bx * 8) * 3 + c] * 255),
          );
    expect(worst).toBeLessThanOrEqual(0.5 + 1e-3); // byte rounding only
  });

  it('refuses a size that is not a multiple of 64', () => {
    expect(() => pipe.latentSize(72, 64)).toThrow(/multiples of 64/);
    expect(pipe.latentSize(1024, 576)).toEqual({ width: 128, height: 72 });
  });
});
