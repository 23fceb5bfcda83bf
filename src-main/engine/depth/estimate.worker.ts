import { parentPort } from 'node:worker_threads';
import { toErrorInfo } from '../util/errors';
import { estimateDepth, loadDepthModel } from './estimate';
import type { EstimateReply, EstimateRequest } from './estimateWorker';

/**
 * Worker thread of one depth estimation: onnxruntime's run holds its thread until it ends, so it
 * runs here, where the engine host stays responsive (progress, other calls) and a cancel ends the
 * thread at once.
 */
const port = parentPort;
if (!port) throw new Error('estimate.worker must run in a worker thread');

port.once('message', async (msg: EstimateRequest) => {
  try {
    const t0 = performance.now();
    const model = await loadDepthModel(msg.file);
    const t1 = performance.now();
    port.postMessage({ type: 'progress', stage: 'estimate', fraction: 0.2 } satisfies EstimateReply);
    try {
      const raw = await estimateDepth(model, msg.image);
      const reply: EstimateReply = {
        type: 'result',
        raw,
        file: model.file,
        provider: model.provider,
        loadMs: t1 - t0,
        estimateMs: performance.now() - t1,
      };
      port.postMessage(reply, [raw.values.buffer as ArrayBuffer]);
    } finally {
      await model.session.release();
    }
  } catch (e) {
    const info = toErrorInfo(e);
    port.postMessage({ type: 'error', code: info.code, message: info.message } satisfies EstimateReply);
  }
});
