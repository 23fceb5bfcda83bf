import { CamtrackError } from '../util/errors';
import { type LatentShape, assertLength, frameSize, latentSize } from './shape';

/**
 * A cheap latent-to-RGB preview, no VAE call: rgb = M^T z + bias per latent pixel, then
 * (rgb + 1) / 2 clamped to [0, 1] and scaled to 0..255, one RGB pixel per latent pixel (or per
 * `stride` x `stride` block, averaged). z is the scaled latent the sampler works in (VAE latent
 * times 0.18215), as ComfyUI's Latent2RGB previewer applies it to the model's x0.
 *
 * The default matrix is ComfyUI's SD1.x factor table (comfy/latent_formats.py, class SD15), rows
 * = latent channels, columns = R, G, B, zero bias. SVD uses the same KL-f8 autoencoder family, so
 * the same projection gives recognisable colours; it is only a preview.
 */
export interface LatentRgbProjection {
  /** 4 rows (latent channels) x 3 columns (R, G, B), row-major. */
  readonly factors: readonly number[];
  readonly bias: readonly [number, number, number];
}

export const SD_LATENT_RGB: LatentRgbProjection = {
  factors: [0.3512, 0.2297, 0.3227, 0.325, 0.4974, 0.235, -0.2829, 0.1762, 0.2721, -0.212, -0.2616, -0.7177],
  bias: [0, 0, 0],
};

export interface RgbImage {
  readonly width: number;
  readonly height: number;
  /** Interleaved RGB, row-major, width * height * 3 bytes. */
  readonly data: Uint8Array;
}

/** Preview of one frame, given as a [C][h][w] latent. */
export function latentFrameToRgb(
  frame: Float32Array,
  channels: number,
  height: number,
  width: number,
  stride = 1,
  projection: LatentRgbProjection = SD_LATENT_RGB,
): RgbImage {
  if (projection.factors.length !== channels * 3) {
    throw new CamtrackError(
      'shape-mismatch',
      `The preview projection has ${projection.factors.length / 3} channel rows, but the latent has ${channels} channels.`,
    );
  }
  if (!Number.isInteger(stride) || stride < 1)
    throw new CamtrackError('bad-input', `Preview stride must be a whole number >= 1 (got ${stride}).`);
  assertLength(frame, channels * height * width, 'the latent frame', 'Preview');
  const ow = Math.ceil(width / stride);
  const oh = Math.ceil(height / stride);
  const out = new Uint8Array(ow * oh * 3);
  const hw = height * width;
  const M = projection.factors;
  const [b0, b1, b2] = projection.bias;
  for (let oy = 0; oy < oh; oy++) {
    for (let ox = 0; ox < ow; ox++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let count = 0;
      for (let y = oy * stride; y < Math.min(height, (oy + 1) * stride); y++) {
        for (let x = ox * stride; x < Math.min(width, (ox + 1) * stride); x++) {
          const p = y * width + x;
          for (let c = 0; c < channels; c++) {
            const z = frame[c * hw + p];
            r += z * M[c * 3];
            g += z * M[c * 3 + 1];
            b += z * M[c * 3 + 2];
          }
          count++;
        }
      }
      const o = (oy * ow + ox) * 3;
      out[o] = toByte(r / count + b0);
      out[o + 1] = toByte(g / count + b1);
      out[o + 2] = toByte(b / count + b2);
    }
  }
  return { width: ow, height: oh, data: out };
}

function toByte(v: number): number {
  const t = (v + 1) * 0.5;
  if (!(t > 0)) return 0; // also NaN
  if (t >= 1) return 255;
  return Math.round(t * 255);
}

/** Previews of every frame of an [F][C][h][w] latent. */
export function latentPreview(
  x: Float32Array,
  shape: LatentShape,
  stride = 1,
  projection: LatentRgbProjection = SD_LATENT_RGB,
): RgbImage[] {
  assertLength(x, latentSize(shape), 'the latent', 'Preview');
  const fs = frameSize(shape);
  const frames: RgbImage[] = [];
  for (let f = 0; f < shape.frames; f++) {
    frames.push(
      latentFrameToRgb(x.subarray(f * fs, (f + 1) * fs), shape.channels, shape.height, shape.width, stride, projection),
    );
  }
  return frames;
}
