import type { PreparedSource, WarpedFrame, WarpOptions, WarpTarget } from './forward';

/** Messages between the warp pool and its workers. Source arrays are SharedArrayBuffer views. */
export type WorkerRequest =
  | { type: 'source'; sourceId: number; source: PreparedSource }
  | { type: 'frame'; sourceId: number; job: number; target: WarpTarget; options: WarpOptions; fill?: boolean };

export type WorkerReply =
  { type: 'frame'; job: number; frame: WarpedFrame; ms: number } | { type: 'error'; job: number; message: string };
