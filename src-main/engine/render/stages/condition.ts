import type { RgbImage } from '../../image/types';
import type { Conditioning, SvdPipeline } from '../../models/svdPipeline';
import { CamtrackError } from '../../util/errors';
import type { StageProgress } from '../clock';

/** What one window is sampled from. */
export interface WindowConditioning {
  /** The CLIP embedding, the UNet's image latent and the source latent of the window's first frame. */
  cond: Conditioning;
  /** The warped views VAE-encoded and scaled, [F][4][h][w]. */
  warpedLatents: Float32Array;
}

/**
 * Stage 5, condition: the window's conditioning image (the photo, or the frame the previous
 * window made at this window's first frame) through the image encoder and the VAE, noise-augmented
 * in pixel space as diffusers does it; then every warped view through the VAE encoder.
 */
export async function conditionWindow(
  pipeline: SvdPipeline,
  o: {
    image: RgbImage;
    /** One warped view per frame of the window, frame 0 included (the sampler keeps frame 0 as the image's latent). */
    views: readonly RgbImage[];
    seed: number;
    noiseAugStrength: number;
    progress?: StageProgress;
  },
): Promise<WindowConditioning> {
  o.views.forEach((v, i) => {
    if (v.width !== o.image.width || v.height !== o.image.height)
      throw new CamtrackError(
        'shape-mismatch',
        `Warped view ${i} is ${v.width}x${v.height}, but the source is ${o.image.width}x${o.image.height}.`,
      );
  });
  const cond = await pipeline.conditioning(o.image, o.seed, { noiseAugStrength: o.noiseAugStrength });
  o.progress?.('encode', 0.3);
  return { cond, warpedLatents: await pipeline.encodeViews([...o.views]) };
}
