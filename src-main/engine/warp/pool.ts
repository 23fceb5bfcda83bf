import { availableParallelism } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { toSharedImage } from '../image/types';
import { CamtrackError } from '../util/errors';
import type { WarpedFrame, WarpOptions, WarpSource, WarpTarget } from './forward';
import { prepareWarp, type PrepareWarpOptions, type WarpMethod } from './method';
import type { WorkerReply, WorkerRequest } from './protocol';
import { WARP_WORKER_BUNDLE } from './worker-entry';

/**
 * A pool of worker threads that warp the frames of a track in parallel, by either warp
 * (method.ts). The photo, its depth and a mesh's hidden layer are put in SharedArrayBuffers once
 * per source and read by every worker without copies; each warped frame comes back as transferred buffers. Frames are handed
 * out one at a time as workers free up, so uneven frames balance themselves.
 */
export interface WarpPool {
  readonly size: number;
  /** Warps every target; `onFrame` sees each frame as it completes (in completion order). */
  warpFrames(
    source: WarpSource,
    targets: WarpTarget[],
    options?: PoolOptions,
    onFrame?: (index: number, frame: WarpedFrame, ms: number) => void,
  ): Promise<WarpResult>;
  close(): Promise<void>;
}

/**
 * The warp's options, and `fill`: the workers also fill each frame's holes (the preview render);
 * `method` picks the warp (default 'splat') and `behind` gives the mesh warp its hidden layer.
 */
export type PoolOptions = WarpOptions & { fill?: boolean; method?: WarpMethod; behind?: PrepareWarpOptions['behind'] };

export interface WarpResult {
  frames: WarpedFrame[];
  /** Milliseconds each frame took inside its worker. */
  frameMs: number[];
}

/** Below this many target pixels in all (frames x width x height), frames warp on the calling thread: starting workers would cost more. */
export const WARP_IN_THREAD_BELOW = 2_000_000;

export function createWarpPool(size = availableParallelism()): WarpPool {
  const n = Math.max(1, Math.floor(size));
  const spec = workerSpec();
  const workers = Array.from({ length: n }, () => new Worker(spec.file, { eval: spec.eval }));
  let sourceCounter = 0;
  let busy = false;
  let closed = false;

  async function warpFrames(
    source: WarpSource,
    targets: WarpTarget[],
    poolOptions: PoolOptions = {},
    onFrame?: (index: number, frame: WarpedFrame, ms: number) => void,
  ): Promise<WarpResult> {
    if (closed) throw new Error('warp pool is closed');
    if (busy) throw new Error('warp pool is busy with another track');
    busy = true;
    const { fill, method = 'splat', behind, ...options } = poolOptions;
    try {
      const shared = { ...source, image: toSharedImage(source.image), depth: sharedCopy(source.depth) };
      const prepare = behind ? { behind: { rgb: sharedCopy(behind.rgb), depth: sharedCopy(behind.depth) } } : {};
      prepareWarp(shared, method, prepare); // checks the source here, before any worker sees it
      const sourceId = ++sourceCounter;
      for (const w of workers)
        w.postMessage({ type: 'source', sourceId, source: shared, method, prepare } satisfies WorkerRequest);
      const frames = new Array<WarpedFrame>(targets.length);
      const frameMs = new Array<number>(targets.length).fill(0);
      let next = 0;
      await new Promise<void>((resolve, reject) => {
        let done = 0;
        let failed = false;
        const cleanups: (() => void)[] = [];
        const finish = (err?: Error) => {
          if (failed) return;
          if (err) failed = true;
          for (const c of cleanups) c();
          if (err) reject(err);
          else resolve();
        };
        const dispatch = (w: Worker) => {
          if (next >= targets.length) return;
          const job = next++;
          const t = targets[job];
          w.postMessage({
            type: 'frame',
            sourceId,
            job,
            target: { c2w: [...t.c2w], intrinsics: { ...t.intrinsics } },
            options,
            fill,
          } satisfies WorkerRequest);
        };
        if (targets.length === 0) return resolve();
        for (const w of workers) {
          const onMessage = (msg: WorkerReply) => {
            if (msg.type === 'error')
              return finish(new CamtrackError('internal', `Warping frame ${msg.job} failed: ${msg.message}`));
            frames[msg.job] = msg.frame;
            frameMs[msg.job] = msg.ms;
            onFrame?.(msg.job, msg.frame, msg.ms);
            if (++done === targets.length) return finish();
            dispatch(w);
          };
          const onError = (e: Error) =>
            finish(new CamtrackError('internal', `A warp worker failed: ${e.message}`, { cause: e }));
          w.on('message', onMessage);
          w.on('error', onError);
          cleanups.push(() => {
            w.off('message', onMessage);
            w.off('error', onError);
          });
          dispatch(w);
        }
        // Then a second frame for each: with two in flight a worker starts its next frame as soon
        // as it posts one, without waiting for this thread to be scheduled (on a machine whose
        // cores the workers fill). Dealt round by round, so a short track still uses every worker.
        for (const w of workers) dispatch(w);
      });
      return { frames, frameMs };
    } finally {
      busy = false;
    }
  }

  return {
    size: n,
    warpFrames,
    async close() {
      closed = true;
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/** A copy of `a` in a SharedArrayBuffer, which every worker reads without a copy of its own. */
function sharedCopy(a: Float32Array): Float32Array {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const out = new Float32Array(new SharedArrayBuffer(a.length * 4));
  out.set(a);
  return out;
}

/** Warps a whole track with a temporary pool (one worker per core, at most one per frame). */
export async function warpTrack(
  source: WarpSource,
  targets: WarpTarget[],
  options: WarpOptions = {},
): Promise<WarpResult> {
  const pool = createWarpPool(Math.min(availableParallelism(), Math.max(1, targets.length)));
  try {
    return await pool.warpFrames(source, targets, options);
  } finally {
    await pool.close();
  }
}

/**
 * How to start a worker: the bundled file beside this module, or, when running from TypeScript
 * source (tsx, vitest), a tiny bootstrap that registers tsx in the worker and imports the source.
 */
function workerSpec(): { file: URL | string; eval: boolean } {
  // The app's build defines import.meta.url for its CommonJS bundles; a bundle without it falls back to __dirname.
  const here: string | undefined = import.meta.url || undefined;
  if (here && /\.[cm]?ts$/.test(here)) {
    const tsxDir = path.dirname(createRequire(here).resolve('tsx/package.json'));
    const tsxApi = pathToFileURL(path.join(tsxDir, 'dist/esm/api/index.mjs')).href;
    const entry = new URL('./warp.worker.ts', here).href;
    const code = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
    return { file: code, eval: true };
  }
  const dir = here ? path.dirname(fileURLToPath(here)) : __dirname;
  return { file: path.join(dir, WARP_WORKER_BUNDLE), eval: false };
}
