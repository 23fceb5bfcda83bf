import type { WarpMethod } from '../project/schema';
import {
  prepareSource,
  warpFrame,
  type PreparedSource,
  type WarpedFrame,
  type WarpOptions,
  type WarpSource,
  type WarpTarget,
} from './forward';
import { meshWarpFrame, prepareMeshSource, type MeshSource } from './mesh';

/**
 * The two warps behind one call: 'mesh' (warp/mesh.ts, the default) or 'splat' (warp/forward.ts,
 * the NVS-Solver reference's bilinear splatting, kept for reference fidelity and for projects made
 * before the mesh). Every route that warps frames (the preview, model renders' guidance, sparse
 * views, video input, the studio's warp inset) prepares its source once with prepareWarp and warps
 * each frame with warpPrepared.
 */
export type { WarpMethod };

export type PreparedWarp = { method: 'splat'; source: PreparedSource } | { method: 'mesh'; source: MeshSource };

export interface PrepareWarpOptions {
  /** The splatting warp's shared soft z-buffer scale (sources fused into one frame). */
  sharedMaxLog?: number;
  /** The mesh warp's layer behind the photo (the preview's hidden layer). */
  behind?: MeshSource['behind'];
}

export function prepareWarp(src: WarpSource, method: WarpMethod, opts: PrepareWarpOptions = {}): PreparedWarp {
  return method === 'mesh'
    ? { method, source: prepareMeshSource(src, opts.behind ? { behind: opts.behind } : {}) }
    : { method, source: prepareSource(src, opts.sharedMaxLog) };
}

export function warpPrepared(p: PreparedWarp, target: WarpTarget, options: WarpOptions = {}): WarpedFrame {
  return p.method === 'mesh' ? meshWarpFrame(p.source, target, options) : warpFrame(p.source, target, options);
}

/**
 * The warp options a preview frame is made with: the splatting warp keeps the reference's 5x5
 * hole dilation; the mesh warp none, its holes being exactly what it did not reach (dilating them
 * would only throw away good pixels for the fill to guess).
 */
export function previewWarpOptions(method: WarpMethod): WarpOptions {
  return method === 'mesh' ? { withDepth: true, dilateRadius: 0 } : { withDepth: true };
}
