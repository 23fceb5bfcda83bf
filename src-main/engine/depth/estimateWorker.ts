import { Worker } from 'node:worker_threads';
import type { RgbImage } from '../image/types';
import { CamtrackError, type ErrorCode } from '../util/errors';
import { workerSpec } from '../util/workerSpec';
import type { RawDepth } from './types';

/** The estimation worker's bundle name (scripts/build.mjs builds it beside host.cjs and cli.cjs). */
export const ESTIMATE_WORKER_BUNDLE = 'depth.worker.cjs';

export type EstimateRequest = { file: string; image: RgbImage };
export type EstimateReply =
  | { type: 'progress'; stage: 'estimate'; fraction: number }
  | { type: 'result'; raw: RawDepth; file: string; provider: string; loadMs: number; estimateMs: number }
  | { type: 'error'; code: ErrorCode; message: string };

export interface WorkerEstimate {
  raw: RawDepth;
  file: string;
  provider: string;
  loadMs: number;
  estimateMs: number;
}

/**
 * Loads the model and estimates the photo's depth in a worker thread, so the calling thread (the
 * engine host) stays responsive while the model runs. Aborting the signal rejects with
 * 'cancelled' at once; the thread itself is ended only once the model's current run returns
 * (ending a thread inside an onnxruntime run aborts the whole process), and its answer is dropped.
 */
export function estimateInWorker(
  file: string,
  image: RgbImage,
  opts: { signal?: AbortSignal; onProgress?: (stage: 'estimate', fraction: number) => void } = {},
): Promise<WorkerEstimate> {
  if (opts.signal?.aborted)
    return Promise.reject(new CamtrackError('cancelled', 'The depth estimation was cancelled.'));
  const spec = workerSpec(import.meta.url, './estimate.worker.ts', ESTIMATE_WORKER_BUNDLE);
  const worker = new Worker(spec.file, { eval: spec.eval });
  let answered = false;
  const finished = () => {
    answered = true;
    void worker.terminate();
  };
  return new Promise<WorkerEstimate>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => settle(() => reject(new CamtrackError('cancelled', 'The depth estimation was cancelled.')));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: EstimateReply) => {
      if (m.type === 'progress') {
        if (!settled) opts.onProgress?.(m.stage, m.fraction);
        return;
      }
      finished();
      if (m.type === 'result')
        settle(() =>
          resolve({ raw: m.raw, file: m.file, provider: m.provider, loadMs: m.loadMs, estimateMs: m.estimateMs }),
        );
      else settle(() => reject(new CamtrackError(m.code, m.message)));
    });
    worker.on('error', (e) =>
      settle(() =>
        reject(new CamtrackError('internal', `The depth estimation worker failed: ${e.message}`, { cause: e })),
      ),
    );
    worker.on('exit', (code) => {
      if (!answered)
        settle(() =>
          reject(
            new CamtrackError(
              'internal',
              `The depth estimation worker stopped (exit code ${code}) before it answered.`,
            ),
          ),
        );
    });
    worker.postMessage({ file, image } satisfies EstimateRequest);
  });
}
