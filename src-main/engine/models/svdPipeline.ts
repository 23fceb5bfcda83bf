/**
 * Stable Video Diffusion on onnxruntime, with the NVS-Solver guided sampler (docs/design.md: the
 * sampler, guidance, the model contract). The pipeline owns a loaded model folder and provides the
 * pieces the sampler needs:
 *
 * - conditioning(source): CLIP image embedding (224x224, CLIP normalisation), the UNet's image
 *   latent (VAE mode of the source plus noise_aug_strength * seeded noise in pixel space, NOT
 *   multiplied by the latent scale, as diffusers' pipeline does it) and the source latent for
 *   frame 0 (VAE mode of the clean source * latent scale);
 * - encodeViews(frames): warped views to latents times the latent scale;
 * - denoiser(cond, shape): D(x; sigma) = c_skip x + c_out UNet(c_in x, ...) with classifier-free
 *   guidance ramped over frames (uncond pass: zero embedding, zero image latent; batched as B=2);
 * - decode(latents): latents / latent scale through the VAE decoder, a few frames at a time.
 *
 * The render (engine/render) strings them together with guidedSample from ../sampler, window by window.
 */
import type { RgbImage } from '../image/types';
import {
  applyFrameCfg,
  cfgFrameScales,
  cfgNeedsUnconditional,
  denoiseFromModelOutput,
  gaussianNoise,
  referenceDenoise,
  svdPreconditioning,
  SD_LATENT_RGB,
  type LatentRgbProjection,
  type LatentShape,
} from '../sampler';
import { CamtrackError } from '../util/errors';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CLIP_SIZE, clipPixels } from './clipPreprocess';
import { graphHasFusedAttention, planMemory, providerFreeBytes, type CfgMode, type MemoryPlan } from './memory';
import { draftPreviewProjection } from './draftConstants';
import { latentSizeFor } from './manifest';
import { openModel, type LoadedModel, type OpenModelOptions } from './modelFolder';
import { mapOrtError } from './ortErrors';
import * as ort from 'onnxruntime-node';
import { toFloat16 } from './float16';
import { Float16Feed } from '../kernels/float16Feed';
import { floatTensor, int64Scalar, readFloat } from './tensors';

export { CLIP_MEAN, CLIP_SIZE, CLIP_STD, clipPixels } from './clipPreprocess';

export interface Conditioning {
  /** CLIP image embedding, 1024 values. */
  imageEmbeds: Float32Array;
  /** The UNet's channels 4..7: VAE mode of (source + noise_aug_strength * noise), unscaled, [4][h][w]. */
  imageLatent: Float32Array;
  /** Frame 0's latent for the sampler: VAE mode * latent scale, [4][h][w]. */
  sourceLatent: Float32Array;
  width: number;
  height: number;
}

export interface GuidanceSettings {
  /** Per-frame CFG ramp, diffusers' defaults 1 and 3; max <= 1 skips the unconditional pass. */
  minGuidance?: number;
  maxGuidance?: number;
  fps?: number;
  motionBucketId?: number;
  noiseAugStrength?: number;
  /**
   * Classifier-free guidance as one UNet call with batch 2 (uncond, cond), or as two calls with
   * batch 1 each, which needs about half the activation memory for the same result.
   */
  cfgTwoPass?: boolean;
  /**
   * 'reference': D from the UNet's v-prediction in float32 as the reference's scheduler computes it
   * (sampler/reference.ts referenceDenoise); default the studio's preconditioning.
   */
  prediction?: 'studio' | 'reference';
}

/** The reference divides every guidance latent by 5.6 (its factor_s), where the studio multiplies by the model's latent scale. */
export const REFERENCE_LATENT_DIVISOR = 5.6;

export interface ConditioningOptions {
  /** noise_aug_strength; the model folder's value when not given. */
  noiseAugStrength?: number;
  /** The augmentation noise, [3][H][W] N(0,1); drawn from the seed when not given. */
  noise?: Float32Array;
}

/** Seed of the noise augmentation: a different stream from the sampler's initial noise. */
export function noiseAugSeed(seed: number): number {
  return (seed ^ 0x5bd1e995) >>> 0;
}

/** RGB [0,1] interleaved -> planar [3][H][W] in [-1,1] (the VAE's input range), into `out` at `offset`. */
export function toPlanarSigned(img: RgbImage, out: Float32Array, offset = 0): void {
  const n = img.width * img.height;
  for (let p = 0; p < n; p++) {
    out[offset + p] = img.data[p * 3] * 2 - 1;
    out[offset + n + p] = img.data[p * 3 + 1] * 2 - 1;
    out[offset + 2 * n + p] = img.data[p * 3 + 2] * 2 - 1;
  }
}

/** Planar [3][H][W] in [-1,1] -> RGB [0,1] interleaved, clamped. */
export function fromPlanarSigned(planar: Float32Array, offset: number, width: number, height: number): RgbImage {
  const n = width * height;
  const data = new Float32Array(n * 3);
  for (let p = 0; p < n; p++) {
    for (let c = 0; c < 3; c++) {
      const v = (planar[offset + c * n + p] + 1) * 0.5;
      data[p * 3 + c] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
  }
  return { width, height, data };
}

export class SvdPipeline {
  private constructor(readonly model: LoadedModel) {}

  /** Opens and checks a model folder (see openModel); release() when done. */
  static async open(dir: string, options: OpenModelOptions = {}): Promise<SvdPipeline> {
    return new SvdPipeline(await openModel(dir, options));
  }

  get manifest() {
    return this.model.manifest;
  }

  /** Latent-to-RGB projection for live previews: exact for the draft model, SD's factors otherwise. */
  get previewProjection(): LatentRgbProjection {
    return this.manifest.family === 'draft' ? draftPreviewProjection(this.manifest.latentScale) : SD_LATENT_RGB;
  }

  /** Checks that an image size fits the model (multiples of sizeMultiple) and returns the latent size. */
  latentSize(width: number, height: number): { width: number; height: number } {
    return latentSizeFor(this.manifest, width, height);
  }

  private async run(
    component: keyof LoadedModel['sessions'],
    feeds: Record<string, import('onnxruntime-node').Tensor>,
    what: string,
  ) {
    const s = this.model.sessions[component];
    try {
      return await s.session.run(feeds);
    } catch (e) {
      throw mapOrtError(e, what, s.provider);
    }
  }

  /** VAE mode latents (unscaled) of images of one size, [N][4][h][w], `batch` images per call. */
  async encodeMode(images: RgbImage[], batch = 4): Promise<Float32Array> {
    if (!images.length) return new Float32Array(0);
    const { width, height } = images[0];
    const planes = images.map((img, i) => {
      if (img.width !== width || img.height !== height)
        throw new CamtrackError(
          'bad-input',
          `View ${i} is ${img.width}x${img.height}; the others are ${width}x${height}.`,
        );
      const p = new Float32Array(3 * width * height);
      toPlanarSigned(img, p);
      return p;
    });
    return this.encodePlanar(planes, width, height, batch);
  }

  /** VAE mode latents (unscaled) of planar [3][H][W] images in [-1,1], `batch` per call. */
  async encodePlanar(images: Float32Array[], width: number, height: number, batch = 4): Promise<Float32Array> {
    const lat = this.latentSize(width, height);
    const perImage = 4 * lat.width * lat.height;
    const perInput = 3 * width * height;
    const out = new Float32Array(images.length * perImage);
    const dtype = this.model.sessions.vae_encoder.dtypes.sample;
    for (let start = 0; start < images.length; start += batch) {
      const chunk = images.slice(start, start + batch);
      const input = new Float32Array(chunk.length * perInput);
      chunk.forEach((img, i) => input.set(img, i * perInput));
      const r = await this.run(
        'vae_encoder',
        { sample: floatTensor(dtype, input, [chunk.length, 3, height, width]) },
        'The VAE encoder',
      );
      out.set(readFloat(r.latent, chunk.length * perImage, 'The VAE encoder'), start * perImage);
    }
    return out;
  }

  /**
   * Warped views -> latents, [F][4][h][w], multiplied by the latent scale, or (`reference`) divided
   * by the reference's 5.6.
   */
  async encodeViews(views: RgbImage[], reference = false): Promise<Float32Array> {
    const z = await this.encodeMode(views);
    if (reference) for (let i = 0; i < z.length; i++) z[i] /= REFERENCE_LATENT_DIVISOR;
    else {
      const k = this.manifest.latentScale;
      for (let i = 0; i < z.length; i++) z[i] *= k;
    }
    return z;
  }

  async imageEmbeds(source: RgbImage): Promise<Float32Array> {
    const dtype = this.model.sessions.image_encoder.dtypes.pixel_values;
    const r = await this.run(
      'image_encoder',
      { pixel_values: floatTensor(dtype, clipPixels(source), [1, 3, CLIP_SIZE, CLIP_SIZE]) },
      'The image encoder',
    );
    return readFloat(r.image_embeds, 1024, 'The image encoder');
  }

  /**
   * The conditioning of a source image. Noise augmentation is done as diffusers' pipeline does it
   * (and as SVD was trained, `cond_aug` in Stability's code): the noise is added to the image in
   * [-1, 1] pixel space, [3][H][W] order, and the noisy image is VAE-encoded (mode). The noise is
   * drawn from the seed unless given (`noise`, [3][H][W], for checks against diffusers' own).
   */
  async conditioning(source: RgbImage, seed: number, options: ConditioningOptions = {}): Promise<Conditioning> {
    const noiseAugStrength = options.noiseAugStrength ?? this.manifest.conditioning.noiseAugStrength;
    const n = source.width * source.height;
    const noise = options.noise ?? gaussianNoise(3 * n, noiseAugSeed(seed));
    if (noise.length !== 3 * n)
      throw new CamtrackError(
        'shape-mismatch',
        `The augmentation noise has ${noise.length} values; a ${source.width}x${source.height} image needs ${3 * n}.`,
      );
    // The VAE input is 2v - 1 per channel: the noisy image goes in as 2v - 1 + a * eps.
    const clean = new Float32Array(3 * n);
    toPlanarSigned(source, clean);
    const noisy = new Float32Array(3 * n);
    for (let i = 0; i < noisy.length; i++) noisy[i] = clean[i] + noiseAugStrength * noise[i];
    const both = await this.encodePlanar([clean, noisy], source.width, source.height);
    const per = both.length / 2;
    const sourceLatent = both.slice(0, per);
    const k = this.manifest.latentScale;
    for (let i = 0; i < per; i++) sourceLatent[i] *= k;
    return {
      imageEmbeds: await this.imageEmbeds(source),
      imageLatent: both.slice(per),
      sourceLatent,
      width: source.width,
      height: source.height,
    };
  }

  /**
   * D(x; sigma) for the whole [F][4][h][w] latent: SVD's preconditioning around the UNet, with
   * the per-frame CFG ramp when maxGuidance > 1. The unconditional pass (zero embedding, zero
   * image latent) and the conditional one run as one UNet call with batch 2 (uncond first, as
   * diffusers), or as two batch-1 calls when `cfgTwoPass` is set.
   */
  denoiser(
    cond: Conditioning,
    shape: LatentShape,
    settings: GuidanceSettings = {},
  ): (x: Float32Array, sigma: number) => Promise<Float32Array> {
    const c = this.manifest.conditioning;
    const fps = settings.fps ?? c.fps;
    const motion = settings.motionBucketId ?? c.motionBucketId;
    const aug = settings.noiseAugStrength ?? c.noiseAugStrength;
    const scales = cfgFrameScales(shape.frames, settings.minGuidance ?? 1, settings.maxGuidance ?? 3);
    const withUncond = cfgNeedsUnconditional(settings.maxGuidance ?? 3);
    const { frames: F, height: h, width: w } = shape;
    const hw = h * w;
    const frameIn = 8 * hw;
    const n = F * 4 * hw;
    const types = this.model.sessions.unet.dtypes;
    if (cond.imageLatent.length !== 4 * hw)
      throw new CamtrackError(
        'shape-mismatch',
        `The conditioning is for a ${cond.width}x${cond.height} image, but the latents are ${w}x${h}.`,
      );
    // The UNet calls: their rows (false = unconditional), and the constant parts of each feed
    // (image latent channels, embeddings, time ids), built once. Buffers are reused across steps.
    const rowsPerCall: boolean[][] = !withUncond ? [[true]] : settings.cfgTwoPass ? [[false], [true]] : [[false, true]];
    const half = types.sample === 'float16';
    const calls = rowsPerCall.map((rows) => {
      const B = rows.length;
      const sample = new Float32Array(B * F * frameIn);
      const embeds = new Float32Array(B * 1024);
      const timeIds = new Float32Array(B * 3);
      rows.forEach((isCond, b) => {
        if (isCond) {
          for (let f = 0; f < F; f++) sample.set(cond.imageLatent, (b * F + f) * frameIn + 4 * hw);
          embeds.set(cond.imageEmbeds, b * 1024);
        }
        timeIds.set([fps - 1, motion, aug], b * 3);
      });
      return {
        rows,
        sample,
        // A float16 UNet gets its feed as half bits; the image-latent channels never change, so
        // they are converted once here and each step only writes the 4 latent channels.
        sampleHalf: half ? halfFeed(sample, 4 * hw) : undefined,
        ehs: floatTensor(types.encoder_hidden_states, embeds, [B, 1, 1024]),
        ati: floatTensor(types.added_time_ids, timeIds, [B, 3]),
        ts: new Float32Array(B),
      };
    });
    const guidedOut = withUncond ? new Float32Array(n) : undefined;
    const dOut = new Float32Array(n);

    return async (x: Float32Array, sigma: number) => {
      if (x.length !== n)
        throw new CamtrackError('shape-mismatch', `The denoiser got ${x.length} latent values; the shape needs ${n}.`);
      const { cIn, cNoise } = svdPreconditioning(sigma);
      let uncondOut: Float32Array | undefined;
      let condOut: Float32Array | undefined;
      for (const call of calls) {
        const B = call.rows.length;
        // c_in x into the 4 latent channels of each frame of row 0; float16 converts it in the
        // same pass. Other rows get the same values by copy (converted once per step, not per row).
        for (let f = 0; f < F; f++) {
          const src = f * 4 * hw;
          const dst = f * frameIn;
          if (call.sampleHalf) call.sampleHalf.writeScaled(x, cIn, dst, src, 4 * hw);
          else for (let i = 0; i < 4 * hw; i++) call.sample[dst + i] = cIn * x[src + i];
        }
        const feed = call.sampleHalf?.data ?? call.sample;
        for (let b = 1; b < B; b++)
          for (let f = 0; f < F; f++) feed.copyWithin((b * F + f) * frameIn, f * frameIn, f * frameIn + 4 * hw);
        call.ts.fill(cNoise);
        const dims = [B, F, 8, h, w];
        const r = await this.run(
          'unet',
          {
            sample: call.sampleHalf
              ? new ort.Tensor('float16', call.sampleHalf.data, dims)
              : floatTensor(types.sample, call.sample, dims),
            timestep: floatTensor(types.timestep, call.ts, [B]),
            encoder_hidden_states: call.ehs,
            added_time_ids: call.ati,
          },
          'The UNet',
        );
        const out = readFloat(r.out_sample, B * n, 'The UNet');
        call.rows.forEach((isCond, b) => {
          if (isCond) condOut = out.subarray(b * n, (b + 1) * n);
          else uncondOut = out.subarray(b * n, (b + 1) * n);
        });
      }
      const modelOut = guidedOut ? applyFrameCfg(uncondOut!, condOut!, scales, shape, guidedOut) : condOut!;
      return settings.prediction === 'reference'
        ? referenceDenoise(x, modelOut, sigma, dOut)
        : denoiseFromModelOutput(x, modelOut, sigma, dOut);
    };
  }

  /** Latents (scaled) -> RGB frames, through the VAE decoder `chunk` frames at a time. */
  async decode(
    latents: Float32Array,
    shape: LatentShape,
    chunk = 4,
    onChunk?: (done: number, total: number) => void,
    signal?: AbortSignal,
  ): Promise<RgbImage[]> {
    const { frames: F, height: h, width: w } = shape;
    const per = 4 * h * w;
    if (latents.length !== F * per)
      throw new CamtrackError(
        'shape-mismatch',
        `decode: ${latents.length} latent values for ${F} frames of 4x${h}x${w}.`,
      );
    const H = h * this.manifest.downsampling;
    const W = w * this.manifest.downsampling;
    const dtype = this.model.sessions.vae_decoder.dtypes.latent_sample;
    const inv = 1 / this.manifest.latentScale;
    const frames: RgbImage[] = [];
    for (let start = 0; start < F; start += chunk) {
      if (signal?.aborted)
        throw new CamtrackError('cancelled', `The render was cancelled while decoding (frame ${start + 1} of ${F}).`);
      const count = Math.min(chunk, F - start);
      const z = new Float32Array(count * per);
      for (let i = 0; i < z.length; i++) z[i] = latents[start * per + i] * inv;
      const r = await this.run(
        'vae_decoder',
        { latent_sample: floatTensor(dtype, z, [count, 4, h, w]), num_frames: int64Scalar(count) },
        'The VAE decoder',
      );
      const px = readFloat(r.sample, count * 3 * H * W, 'The VAE decoder');
      for (let i = 0; i < count; i++) frames.push(fromPlanarSigned(px, i * 3 * H * W, W, H));
      onChunk?.(start + count, F);
    }
    return frames;
  }

  /**
   * How this render fits the provider's memory: CFG as one or two UNet calls, and the decode
   * chunk (see memory.ts). `freeBytes` overrides the probe (tests, benchmarks).
   */
  async memoryPlan(
    shape: LatentShape,
    o: { cfgMode: CfgMode; maxGuidance: number; decodeChunk: number; freeBytes?: number | null },
  ): Promise<MemoryPlan> {
    const unet = this.manifest.components.unet;
    let weights = 0;
    for (const e of [unet, ...unet.externalData])
      weights += e.bytes ?? (await fs.stat(path.join(this.model.dir, e.file))).size;
    const bytes = (t: string | undefined) => (t === 'float16' ? 2 : 4);
    return planMemory({
      cfgMode: o.cfgMode,
      withUncond: cfgNeedsUnconditional(o.maxGuidance),
      requestedDecodeChunk: o.decodeChunk,
      frames: shape.frames,
      latentHeight: shape.height,
      latentWidth: shape.width,
      unetBytesPerValue: bytes(this.model.sessions.unet.dtypes.sample),
      decoderBytesPerValue: bytes(this.model.sessions.vae_decoder.dtypes.latent_sample),
      unetWeightsBytes: weights,
      attention: (await graphHasFusedAttention(path.join(this.model.dir, unet.file))) ? 'fused' : 'plain',
      freeBytes: o.freeBytes !== undefined ? o.freeBytes : await providerFreeBytes(this.model.provider),
    });
  }

  release(): Promise<void> {
    return this.model.release();
  }
}

/** The float16 feed of `sample` (converted once), whose latent channels each step rewrites `chunk` values at a time. */
function halfFeed(sample: Float32Array, chunk: number): Float16Feed {
  const feed = new Float16Feed(sample.length, chunk);
  toFloat16(sample, feed.data);
  return feed;
}
