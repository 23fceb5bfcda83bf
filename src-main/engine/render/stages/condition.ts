import type { RgbImage } from '../../image/types';
import { REFERENCE_LATENT_DIVISOR, type Conditioning, type SvdPipeline } from '../../models/svdPipeline';
import type { Fidelity } from '../../project/schema';
import { CamtrackError } from '../../util/errors';
import type { StageProgress } from '../clock';

/** What one window is sampled from. */
export interface WindowConditioning {
  /** The CLIP embedding, the UNet's image latent and the source latent of the window's first frame. */
  cond: Conditioning;
  /** The warped views VAE-encoded and scaled, [F][4][h][w]. */
  warpedLatents: Float32Array;
  /**
   * What frame 0 is guided to, [4][h][w]: the clean image's latent times the latent scale (studio),
   * or, as the reference does, the noise-augmented image latent the UNet sees, divided by 5.6.
   */
  sourceLatent: Float32Array;
}

/**
 * Stage 5, condition: the window's conditioning image (the photo, or the frame the previous
 * window made at this window's first frame) through the image encoder and the VAE, noise-augmented
 * in pixel space as diffusers does it; then every warped view through the VAE encoder. Reference
 * fidelity scales the latents as the reference does (/ 5.6) and guides frame 0 to the augmented image.
 */
export async function conditionWindow(
  pipeline: SvdPipeline,
  o: {
    image: RgbImage;
    /** One warped view per frame of the window, frame 0 included (the sampler keeps frame 0 as the image's latent). */
    views: readonly RgbImage[];
    seed: number;
    noiseAugStrength: number;
    /** Default 'studio'. */
    fidelity?: Fidelity;
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
  const reference = o.fidelity === 'reference';
  const warpedLatents = await pipeline.encodeViews([...o.views], reference);
  const sourceLatent = reference ? cond.imageLatent.map((v) => v / REFERENCE_LATENT_DIVISOR) : cond.sourceLatent;
  return { cond, warpedLatents, sourceLatent };
}
