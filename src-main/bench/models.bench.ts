import type { Benchmark, BenchFigure } from './harness';
import { timeMs } from './harness';
import type { RgbImage } from '../engine/image/types';
import { toFloat16 } from '../engine/models/float16';
import { builtinDraftModelDir } from '../engine/models/modelFolder';
import { SvdPipeline } from '../engine/models/svdPipeline';
import { applyFrameCfg, cfgFrameScales, denoiseFromModelOutput, gaussianDenoiser, gaussianNoise, type LatentShape } from '../engine/sampler';

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
  description: 'SVD pipeline step with the draft model on ORT CPU (25 x 4 x 72 x 128, CFG B=2) and the float16 feed conversion',
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
      const direct = await timeMs(() => {
        const dc = gaussianDenoiser(x, sigma, mu, s);
        const du = gaussianDenoiser(x, sigma, zero, s);
        return applyFrameCfg(du, dc, scales, SHAPE);
      }, 5, 1);
      // keep denoiseFromModelOutput in the baseline's cost class: one more pass over n values
      const directWithPrecond = direct + (await timeMs(() => denoiseFromModelOutput(x, x, sigma), 5, 1));

      const sample = gaussianNoise(2 * SHAPE.frames * 8 * SHAPE.height * SHAPE.width, 3);
      const f16 = await timeMs(() => toFloat16(sample), 5, 1);
      const copy = await timeMs(() => new Float32Array(sample), 5, 1);
      return [
        { label: 'denoise step via ORT CPU, draft UNet, 25x4x72x128, CFG B=2', value: step, unit: 'ms', baseline: { label: 'same D in plain JS (oracle + CFG + precond)', value: directWithPrecond } },
        { label: 'float16 conversion of the UNet feed (2x25x8x72x128)', value: f16, unit: 'ms', baseline: { label: 'float32 copy of it', value: copy } },
      ];
    } finally {
      await pipe.release();
    }
  },
};
