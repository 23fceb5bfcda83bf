import type { Benchmark, BenchFigure } from './harness';
import { timeMs } from './harness';
import type { RgbImage } from '../engine/image/types';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { float32ToFloat16Bits, toFloat16 } from '../engine/models/float16';
import { Float16Feed } from '../engine/kernels/float16Feed';
import { writeDraftModel } from '../engine/models/draftModel';
import { builtinDraftModelDir } from '../engine/models/modelFolder';
import { SvdPipeline } from '../engine/models/svdPipeline';
import {
  applyFrameCfg,
  cfgFrameScales,
  denoiseFromModelOutput,
  gaussianDenoiser,
  gaussianNoise,
  type LatentShape,
} from '../engine/sampler';

/**
 * One denoising step of the pipeline at SVD-XT's size (25 frames of 4 x 72 x 128 latents, CFG as
 * a batch of 2) with the draft model on onnxruntime's CPU provider: feeding (c_in scaling into the
 * 8-channel sample), the UNet session, CFG and preconditioning. Baseline: the same D computed
 * directly in JavaScript with the Gaussian oracle (two denoiser passes and the CFG blend), i.e.
 * what the step costs with no model runtime at all. Also the float16 conversion a float16 model
 * needs on every step, against a plain copy of the same buffer.
 */
const SHAPE: LatentShape = { frames: 25, channels: 4, height: 72, width: 128 };

function image(width: number, height: number): RgbImage {
  const data = new Float32Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = 0.5 + 0.4 * Math.sin(i * 0.001);
  return { width, height, data };
}

export const modelsBenchmark: Benchmark = {
  name: 'models',
  description:
    'SVD pipeline step with the draft model on ORT CPU (25 x 4 x 72 x 128, CFG B=2), and the float16 feed conversion beside it and beside the old one',
  async run(): Promise<BenchFigure[]> {
    const pipe = await SvdPipeline.open(builtinDraftModelDir(), { provider: 'cpu' });
    try {
      const cond = await pipe.conditioning(image(1024, 576), 1);
      const denoise = pipe.denoiser(cond, SHAPE, { minGuidance: 1, maxGuidance: 3 });
      const n = SHAPE.frames * 4 * SHAPE.height * SHAPE.width;
      const x = gaussianNoise(n, 2);
      for (let i = 0; i < n; i++) x[i] *= 10;
      const sigma = 10;
      const step = await timeMs(() => denoise(x, sigma), 5, 1);

      const s = pipe.manifest.draft!.dataStd;
      const mu = cond.imageLatent.map((v) => v * pipe.manifest.latentScale);
      const zero = new Float32Array(mu.length);
      const scales = cfgFrameScales(SHAPE.frames, 1, 3);
      const direct = await timeMs(
        () => {
          const dc = gaussianDenoiser(x, sigma, mu, s);
          const du = gaussianDenoiser(x, sigma, zero, s);
          return applyFrameCfg(du, dc, scales, SHAPE);
        },
        5,
        1,
      );
      // keep denoiseFromModelOutput in the baseline's cost class: one more pass over n values
      const directWithPrecond = direct + (await timeMs(() => denoiseFromModelOutput(x, x, sigma), 5, 1));

      // The float16 feed, per step. Before: the whole 2 x 25 x 8 x 72 x 128 sample (constant
      // image-latent channels and both batch rows included) converted value by value. Then: c_in x
      // scaled into a float32 buffer, converted with toFloat16 and copied into both rows. Now (the
      // denoiser's float16 path, svdPipeline.ts): the WebAssembly SIMD kernel writes each frame's
      // 4 latent channels into the feed in its own memory, row 1 copied from row 0.
      const feed = gaussianNoise(2 * SHAPE.frames * 8 * SHAPE.height * SHAPE.width, 3);
      const feedHalf = new Uint16Array(feed.length);
      const before = await timeMs(
        () => {
          for (let i = 0; i < feed.length; i++) feedHalf[i] = float32ToFloat16Bits(feed[i]);
        },
        5,
        1,
      );
      const hw = SHAPE.height * SHAPE.width;
      const frameIn = 8 * hw;
      const cIn = 1 / Math.sqrt(sigma * sigma + 1);
      const scaled = new Float32Array(n);
      const scaledHalf = new Uint16Array(n);
      const twoPass = await timeMs(
        () => {
          for (let i = 0; i < n; i++) scaled[i] = cIn * x[i];
          toFloat16(scaled, scaledHalf);
          for (let b = 0; b < 2; b++)
            for (let f = 0; f < SHAPE.frames; f++)
              feedHalf.set(scaledHalf.subarray(f * 4 * hw, (f + 1) * 4 * hw), (b * SHAPE.frames + f) * frameIn);
        },
        9,
        2,
      );
      const kernelFeed = new Float16Feed(feed.length, 4 * hw);
      const after = await timeMs(
        () => {
          for (let f = 0; f < SHAPE.frames; f++) kernelFeed.writeScaled(x, cIn, f * frameIn, f * 4 * hw, 4 * hw);
          for (let f = 0; f < SHAPE.frames; f++)
            kernelFeed.data.copyWithin((SHAPE.frames + f) * frameIn, f * frameIn, f * frameIn + 4 * hw);
        },
        9,
        2,
      );

      // The whole step with a float16 UNet (the draft model exported in float16): the feed conversion is part of it.
      const halfDir = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-bench-f16-'));
      let halfStep: number;
      try {
        await writeDraftModel(halfDir, 'float16');
        const half = await SvdPipeline.open(halfDir, { provider: 'cpu' });
        try {
          const condHalf = await half.conditioning(image(1024, 576), 1);
          const denoiseHalf = half.denoiser(condHalf, SHAPE, { minGuidance: 1, maxGuidance: 3 });
          halfStep = await timeMs(() => denoiseHalf(x, sigma), 5, 1);
        } finally {
          await half.release();
        }
      } finally {
        await fs.rm(halfDir, { recursive: true, force: true });
      }
      return [
        {
          label: 'denoise step via ORT CPU, draft UNet, 25x4x72x128, CFG B=2',
          value: step,
          unit: 'ms',
          baseline: { label: 'same D in plain JS (oracle + CFG + precond)', value: directWithPrecond },
        },
        {
          label: 'float16 feed per step (WebAssembly SIMD kernel, row 1 copied)',
          value: after,
          unit: 'ms',
          baseline: { label: 'before: whole 2x25x8x72x128 feed converted value by value', value: before },
          target: { max: 5 },
        },
        {
          label: 'float16 feed per step, SIMD kernel',
          value: after,
          unit: 'ms',
          baseline: { label: 'JavaScript: scale into float32, toFloat16, copy into both rows', value: twoPass },
        },
        {
          label: 'float16 feed per step, beside the step it belongs to',
          value: after,
          unit: 'ms',
          baseline: { label: 'denoise step via ORT CPU, float16 draft UNet, CFG B=2', value: halfStep },
        },
      ];
    } finally {
      await pipe.release();
    }
  },
};
