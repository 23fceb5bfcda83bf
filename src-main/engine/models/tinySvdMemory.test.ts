/**
 * The memory knobs: the estimates and choices as pure functions (SVD-XT's own sizes), and on the
 * tiny real-architecture model that two batch-1 CFG passes give the batch-2 result and that a
 * plan made for little free memory splits CFG and lowers the decode chunk.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOLDEN, golden, goldenImage, maxAbsDiff, tinyModelDir } from '../../test/tinySvd';
import {
  chooseCfgPasses,
  chooseDecodeChunk,
  estimateDecodeBytesPerFrame,
  estimateUnetPeakBytes,
  MEMORY_HEADROOM,
  planMemory,
} from './memory';
import { SvdPipeline, type Conditioning } from './svdPipeline';

const GB = 2 ** 30;

describe('memory estimates and choices (pure)', () => {
  it('SVD-XT at 1024x576x25 fp16 with plain attention: the batch-2 level-0 scores alone are about 42 GB', () => {
    const base = { frames: 25, latentHeight: 72, latentWidth: 128, bytesPerValue: 2, weightsBytes: 0 };
    const plain = estimateUnetPeakBytes({ ...base, batch: 2, attention: 'plain' });
    const scores = 2 * 25 * 5 * 9216 ** 2 * 2;
    expect(scores / 1e9).toBeCloseTo(42.5, 1);
    expect(plain).toBeGreaterThan(scores);
    // Fused attention leaves the feed-forward as the largest intermediate: a few GB.
    const fused = estimateUnetPeakBytes({ ...base, batch: 2, attention: 'fused' });
    expect(fused).toBeLessThan(5 * GB);
    expect(estimateUnetPeakBytes({ ...base, batch: 1, attention: 'fused' })).toBeCloseTo(fused / 2, -3);
  });

  it('CFG passes: auto splits only when the batch-2 peak exceeds the usable memory', () => {
    expect(chooseCfgPasses('auto', 10 * GB, 24 * GB).twoPass).toBe(false);
    expect(chooseCfgPasses('auto', 23 * GB, 24 * GB).twoPass).toBe(true);
    expect(chooseCfgPasses('auto', 23 * GB, null).twoPass).toBe(false);
    expect(chooseCfgPasses('two-pass', 1, 24 * GB).twoPass).toBe(true);
    expect(chooseCfgPasses('batch', 100 * GB, 24 * GB).twoPass).toBe(false);
    expect(chooseCfgPasses('auto', 23 * GB, 24 * GB).reason).toMatch(/two batch-1 passes.*23\.0 GB.*24\.0 GB/);
  });

  it('decode chunk is planned in what the UNet leaves: SVD-XT fp16 on a 16 GB card decodes fewer frames at a time', () => {
    const base = {
      cfgMode: 'auto' as const,
      withUncond: true,
      requestedDecodeChunk: 25,
      frames: 25,
      latentHeight: 72,
      latentWidth: 128,
      unetBytesPerValue: 2,
      decoderBytesPerValue: 2,
      unetWeightsBytes: 3 * GB,
      attention: 'fused' as const,
    };
    const plan = planMemory({ ...base, freeBytes: 16 * GB });
    expect(plan.cfgTwoPass).toBe(false);
    expect(plan.unetHeldBytes).toBe(plan.unetBatch2PeakBytes);
    // Counting the whole 16 GB for the decoder (the old plan) would allow more frames than fit beside the UNet.
    const blind = chooseDecodeChunk(25, 25, plan.decodeBytesPerFrame, 16 * GB);
    const fits = Math.floor(((16 * GB - plan.unetHeldBytes) * MEMORY_HEADROOM) / plan.decodeBytesPerFrame);
    expect(plan.decodeChunk).toBe(fits);
    expect(plan.decodeChunk).toBeLessThan(blind);
    console.log(
      `SVD-XT fp16, 16 GB free: UNet holds ${(plan.unetHeldBytes / GB).toFixed(1)} GB; decode chunk ${plan.decodeChunk} (was ${blind})`,
    );
  });

  it('decode chunk: the request, lowered to what the usable memory holds, never below 1 or above the frames', () => {
    const perFrame = estimateDecodeBytesPerFrame(72, 128, 2);
    expect(perFrame / GB).toBeGreaterThan(0.5);
    expect(chooseDecodeChunk(8, 25, perFrame, null)).toBe(8);
    expect(chooseDecodeChunk(8, 25, perFrame, 1000 * GB)).toBe(8);
    expect(chooseDecodeChunk(30, 25, perFrame, 1000 * GB)).toBe(25);
    expect(chooseDecodeChunk(8, 25, GB, 4 * GB)).toBe(Math.floor(4 * MEMORY_HEADROOM));
    expect(chooseDecodeChunk(8, 25, GB, 0.1 * GB)).toBe(1);
  });
});

describe('memory knobs on the tiny SVD (fp32, CPU)', () => {
  let pipe: SvdPipeline;
  let cond: Conditioning;
  beforeAll(async () => {
    pipe = await SvdPipeline.open(tinyModelDir('fp32'), { provider: 'cpu' });
    cond = await pipe.conditioning(await goldenImage('image'), 0, { noise: (await golden('noise_aug')).data });
  }, 120_000);
  afterAll(() => pipe?.release());

  const shape = { frames: 14, channels: 4, height: GOLDEN.height / 8, width: GOLDEN.width / 8 };

  it('two batch-1 CFG passes give the batch-2 result (and diffusers)', async () => {
    const x = (await golden('denoise_x')).data;
    const settings = { minGuidance: 1, maxGuidance: 3 };
    const batch = Float32Array.from(await pipe.denoiser(cond, shape, settings)(x, GOLDEN.denoiseSigma));
    const twoPass = Float32Array.from(
      await pipe.denoiser(cond, shape, { ...settings, cfgTwoPass: true })(x, GOLDEN.denoiseSigma),
    );
    const d = maxAbsDiff(batch, twoPass);
    console.log(`two-pass vs batch-2 CFG, max abs diff ${d.toExponential(2)}`);
    expect(d).toBeLessThan(1e-5);
    expect(maxAbsDiff(twoPass, (await golden('denoise_D')).data)).toBeLessThan(1e-4);
  });

  it('a plan for little free memory splits CFG and lowers the decode chunk, and decoding with it runs', async () => {
    const roomy = await pipe.memoryPlan(shape, { cfgMode: 'auto', maxGuidance: 3, decodeChunk: 8, freeBytes: 64 * GB });
    expect(roomy).toMatchObject({ cfgTwoPass: false, decodeChunk: 8 });
    const tight = await pipe.memoryPlan(shape, {
      cfgMode: 'auto',
      maxGuidance: 3,
      decodeChunk: 8,
      freeBytes: roomy.unetBatch2PeakBytes * 0.9,
    });
    expect(tight.cfgTwoPass).toBe(true);
    // Room for 3.5 decoded frames once the (two-pass) UNet's weights and pool are counted out.
    const forChunk3 = (3.5 * tight.decodeBytesPerFrame) / MEMORY_HEADROOM + tight.unetHeldBytes;
    const plan = await pipe.memoryPlan(shape, {
      cfgMode: 'two-pass',
      maxGuidance: 3,
      decodeChunk: 8,
      freeBytes: forChunk3,
    });
    expect(plan.decodeChunk).toBe(3);
    const latents = (await golden('run_latents_final')).data;
    const frames = await pipe.decode(latents, shape, plan.decodeChunk);
    expect(frames).toHaveLength(14);
  }, 120_000);
});
