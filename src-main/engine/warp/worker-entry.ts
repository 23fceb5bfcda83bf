/**
 * Where the warp worker's code lives. The pool runs the TypeScript source (through tsx) when it
 * is itself running from source (tsx, vitest), and the bundled file beside it otherwise; the
 * build script bundles WARP_WORKER_SOURCE as a separate entry named WARP_WORKER_BUNDLE (CommonJS, like the other bundles), placed in
 * the same folder as the bundle that contains the pool.
 */
export const WARP_WORKER_SOURCE = 'src-main/engine/warp/warp.worker.ts';
export const WARP_WORKER_BUNDLE = 'warp.worker.cjs';
