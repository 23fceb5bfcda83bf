import type { RgbImage } from '../image/types';
import type { DepthMapping } from '../project/schema';
import { CamtrackError } from '../util/errors';
import { estimateDepth, loadDepthModel } from './estimate';
import { estimateInWorker } from './estimateWorker';
import { depthModelHint, installedDepthModel, verifyDepthModel } from './models';
import type { RawDepth } from './types';
import { mappingForDisparity } from './defaults';

/**
 * Depth for a photo with the installed (or a given) Depth Anything V2 model: relative disparity at
 * the model's resolution, and a mapping to depth that suits it: z = scale / disparity with the
 * scale putting the median pixel at MEDIAN_DEPTH scene units (depth/defaults.ts) (the camera presets move about a unit
 * per second around such a scene), clipped to [near, far]. The depth panel's mapping controls
 * adjust it afterwards like any other.
 */

export interface EstimateOptions {
  /** A model file or folder; default: the installed model (small, base, large in that order). */
  model?: string;
  signal?: AbortSignal;
  onProgress?: (stage: 'load' | 'estimate' | 'done', fraction: number) => void;
  /**
   * Run the model in a worker thread (the engine host: it stays responsive while the model runs,
   * and a cancel stops the run at once instead of after it).
   */
  worker?: boolean;
}

export interface Estimated {
  raw: RawDepth;
  mapping: DepthMapping;
  modelFile: string;
  provider: string;
  timings: { loadMs: number; estimateMs: number };
}

export async function estimateImageDepth(image: RgbImage, opts: EstimateOptions = {}): Promise<Estimated> {
  const check = () => {
    if (opts.signal?.aborted) throw new CamtrackError('cancelled', 'The depth estimation was cancelled.');
  };
  let file = opts.model;
  if (!file) {
    const installed = await installedDepthModel();
    if (!installed) throw new CamtrackError('not-found', depthModelHint());
    file = installed.file;
    await verifyDepthModel(file);
  }
  check();
  opts.onProgress?.('load', 0);
  if (opts.worker) {
    const r = await estimateInWorker(file, image, {
      ...(opts.signal && { signal: opts.signal }),
      onProgress: (stage, fraction) => opts.onProgress?.(stage, fraction),
    });
    check();
    opts.onProgress?.('done', 1);
    return {
      raw: r.raw,
      mapping: mappingForDisparity(r.raw.values),
      modelFile: r.file,
      provider: r.provider,
      timings: { loadMs: r.loadMs, estimateMs: r.estimateMs },
    };
  }
  const t0 = performance.now();
  const model = await loadDepthModel(file);
  const t1 = performance.now();
  try {
    check();
    opts.onProgress?.('estimate', 0.2);
    const raw = await estimateDepth(model, image);
    const t2 = performance.now();
    check();
    opts.onProgress?.('done', 1);
    return {
      raw,
      mapping: mappingForDisparity(raw.values),
      modelFile: model.file,
      provider: model.provider,
      timings: { loadMs: t1 - t0, estimateMs: t2 - t1 },
    };
  } finally {
    await model.session.release();
  }
}
