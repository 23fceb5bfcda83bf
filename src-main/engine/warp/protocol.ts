import type { WarpedFrame, WarpOptions, WarpSource, WarpTarget } from './forward';
import type { PrepareWarpOptions, WarpMethod } from './method';

/** Messages between the warp pool and its workers. Source arrays are SharedArrayBuffer views. */
export type WorkerRequest =
  | { type: 'source'; sourceId: number; source: WarpSource; method: WarpMethod; prepare: PrepareWarpOptions }
  | { type: 'frame'; sourceId: number; job: number; target: WarpTarget; options: WarpOptions; fill?: boolean };

export type WorkerReply =
  { type: 'frame'; job: number; frame: WarpedFrame; ms: number } | { type: 'error'; job: number; message: string };
