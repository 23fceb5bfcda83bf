import type { RgbImage } from '../../image/types';
import type { SvdPipeline } from '../../models/svdPipeline';
import type { LatentShape } from '../../sampler';
import type { StageProgress } from '../clock';

/** Stage 7, decode: the window's x0 through the VAE decoder, `chunk` frames per call (the memory plan's), to float RGB frames. */
export async function decodeWindow(
  pipeline: SvdPipeline,
  latents: Float32Array,
  o: { shape: LatentShape; chunk: number; progress?: StageProgress; signal?: AbortSignal },
): Promise<RgbImage[]> {
  o.progress?.('decode', 0);
  return pipeline.decode(latents, o.shape, o.chunk, (done, total) => o.progress?.('decode', done / total), o.signal);
}
