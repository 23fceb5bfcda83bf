import { parentPort } from 'node:worker_threads';
import type { WarpOptions, WarpTarget } from './forward';
import { prepareWarp, warpPrepared, type PreparedWarp } from './method';
import { fillWarpedFrame } from '../preview/frame';
import type { WorkerReply, WorkerRequest } from './protocol';

/** Worker thread of the warp pool: holds the shared source, warps the frames it is sent (and fills their holes for a preview). */
const port = parentPort;
if (!port) throw new Error('warp.worker must run in a worker thread');
let source: PreparedWarp | null = null;
let sourceId = -1;

port.on('message', (msg: WorkerRequest) => {
  if (msg.type === 'source') {
    source = prepareWarp(msg.source, msg.method, msg.prepare);
    sourceId = msg.sourceId;
    return;
  }
  try {
    if (!source || sourceId !== msg.sourceId) throw new Error('warp worker: frame for an unknown source');
    const t0 = performance.now();
    const warped = warpPrepared(source, msg.target as WarpTarget, {
      ...(msg.options as WarpOptions),
      withDepth: msg.fill || (msg.options as WarpOptions).withDepth,
    });
    const frame = msg.fill ? fillWarpedFrame(warped) : warped;
    const reply: WorkerReply = { type: 'frame', job: msg.job, frame, ms: performance.now() - t0 };
    const buffers = [frame.image.buffer, frame.holes.buffer, frame.latentHoles.buffer];
    if (frame.depth) buffers.push(frame.depth.buffer);
    port.postMessage(reply, buffers as ArrayBuffer[]);
  } catch (e) {
    const reply: WorkerReply = { type: 'error', job: msg.job, message: e instanceof Error ? e.message : String(e) };
    port.postMessage(reply);
  }
});
