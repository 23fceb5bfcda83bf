import type { Mat4 } from '../geometry/conventions';
import {
  beginAccumulation,
  depthMaxLog,
  finishFrame,
  resolveFrame,
  splatSource,
  type PreparedSource,
  type WarpedFrame,
  type WarpOptions,
  type WarpSource,
  type WarpTarget,
} from '../warp/forward';
import { EDGE_THRESHOLD, meshWarpFrame, type MeshSource } from '../warp/mesh';
import { prepareWarp, type WarpMethod } from '../warp/method';

/**
 * Sparse views: several photos, each with its depth and camera, warped into one frame camera with
 * ONE z-buffer across them. Every source is splatted by the single-view kernel (warp/forward) into
 * the same accumulator, so:
 *  - the soft z-buffer factors of all sources share one scale (the largest max log(1 + z) over
 *    the sources), and the nearest surface wins whichever photo it came from;
 *  - a pixel is a hole only when no source covers it: each source fills the others' holes.
 * Where several sources see the same surface their colours blend, weighted by how near each
 * source camera is to the frame's camera (`blendWeights`): at a source camera that source's
 * photo dominates and the frame reproduces it, between two sources both contribute.
 *
 * With the mesh warp (warp/mesh.ts) each source's mesh is drawn into a frame of its own; then each
 * pixel takes the nearest surface any source drew there, its colour blended over the sources
 * whose surface there lies within EDGE_THRESHOLD of it, by the same weights.
 */

export type FusedSources =
  | {
      readonly method: 'splat';
      readonly sources: readonly PreparedSource[];
      /** Typical scene depth (median over the sources' pixels with depth), the unit of `blendWeights`. */
      readonly sceneDepth: number;
    }
  | { readonly method: 'mesh'; readonly sources: readonly MeshSource[]; readonly sceneDepth: number };

/**
 * Prepares every source for `method` (default 'splat'): splatting with one shared soft z-buffer
 * scale (from their depths; a single source keeps the single-view warp's per-frame scale from its
 * target depths, exactly).
 */
export function prepareSources(sources: readonly WarpSource[], method: WarpMethod = 'splat'): FusedSources {
  if (sources.length === 0) throw new Error('fuse: no sources');
  const sceneDepth = medianDepth(sources);
  if (method === 'mesh')
    return { method, sources: sources.map((s) => prepareWarp(s, 'mesh').source as MeshSource), sceneDepth };
  const maxLog = sources.length === 1 ? undefined : Math.max(...sources.map((s) => depthMaxLog(s.depth)));
  return {
    method,
    sources: sources.map((s) => prepareWarp(s, 'splat', { sharedMaxLog: maxLog }).source as PreparedSource),
    sceneDepth,
  };
}

/**
 * The blend weight of each source for a target camera: 1 / (d + eps), d = the distance between the
 * camera centres plus the angle between their optical axes times the scene depth (a turn by a moves
 * the scene by about a * depth), eps = EPS_FRACTION of the scene depth; normalised so the nearest
 * is 1 and floored at MIN_BLEND.
 * - Between sources the ratio is the ratio of distances (a frame 10% of the way from A to B takes
 *   A's colours about 9 times over B's), so surfaces both photos saw change smoothly along a track.
 * - At a source camera (d = 0) the other sources are down to about eps / d: the soft z-buffer lets
 *   a nearer surface of another photo spill over an occlusion edge by up to a pixel (its bilinear
 *   footprint, weighted up to e^10 over the farther surface), and only a tiny blend keeps that
 *   spill out of the frame, which then reproduces the photo (fuse.test: 40+ dB).
 * Such small ratios only arise within eps of a source camera, where that photo's own z-buffer is
 * the true one, so the blend never overrides which surface is in front anywhere else.
 */
export const EPS_FRACTION = 1e-5;
export const MIN_BLEND = 1e-5;

export function blendWeights(fused: FusedSources, target: Mat4): number[] {
  const eps = EPS_FRACTION * fused.sceneDepth;
  const raw = fused.sources.map((s) => 1 / (cameraDistance(s.c2w, target, fused.sceneDepth) + eps));
  const max = Math.max(...raw);
  return raw.map((w) => Math.max(MIN_BLEND, w / max));
}

/** Warps all sources into `target` with one z-buffer; `enabled` (default all) picks the sources that take part. */
export function warpFused(
  fused: FusedSources,
  target: WarpTarget,
  options: WarpOptions = {},
  enabled?: readonly boolean[],
): WarpedFrame {
  const blend = blendWeights(fused, target.c2w);
  if (fused.method === 'mesh') return meshFused(fused.sources, target, options, blend, enabled);
  const acc = beginAccumulation(target, options.withDepth ?? false);
  fused.sources.forEach((s, i) => {
    if (enabled && !enabled[i]) return;
    splatSource(s, acc, blend[i]);
  });
  return resolveFrame(acc, options);
}

/** Each source's mesh in a frame of its own, then per pixel the nearest surface, blended over the sources that drew it. */
function meshFused(
  sources: readonly MeshSource[],
  target: WarpTarget,
  options: WarpOptions,
  blend: readonly number[],
  enabled?: readonly boolean[],
): WarpedFrame {
  const { width, height } = target.intrinsics;
  const n = width * height;
  const drawn = sources.flatMap((s, i) =>
    enabled && !enabled[i] ? [] : [{ f: meshWarpFrame(s, target, { withDepth: true, dilateRadius: 0 }), b: blend[i] }],
  );
  const image = new Float32Array(n * 3);
  const depth = new Float32Array(n);
  const raw = new Uint8Array(n).fill(1);
  for (let p = 0; p < n; p++) {
    let nearest = Infinity;
    for (const { f } of drawn) if (!f.holes[p] && f.depth![p] < nearest) nearest = f.depth![p];
    if (nearest === Infinity) continue;
    let r = 0,
      g = 0,
      b = 0,
      z = 0,
      wsum = 0;
    for (const { f, b: wt } of drawn) {
      if (f.holes[p] || f.depth![p] > nearest * (1 + EDGE_THRESHOLD)) continue;
      r += wt * f.image[p * 3];
      g += wt * f.image[p * 3 + 1];
      b += wt * f.image[p * 3 + 2];
      z += wt * f.depth![p];
      wsum += wt;
    }
    image[p * 3] = r / wsum;
    image[p * 3 + 1] = g / wsum;
    image[p * 3 + 2] = b / wsum;
    depth[p] = z / wsum;
    raw[p] = 0;
  }
  return finishFrame(raw, width, height, options, (holes) => {
    let holeCount = 0;
    for (let p = 0; p < n; p++) {
      if (!holes[p]) continue;
      holeCount++;
      image[p * 3] = image[p * 3 + 1] = image[p * 3 + 2] = depth[p] = 0;
    }
    return options.withDepth ? { image, holeCount, depth } : { image, holeCount };
  });
}

/** Camera-centre distance plus the optical-axis angle (radians) times `depth`. Poses are GL camera-to-world. */
export function cameraDistance(a: Mat4, b: Mat4, depth: number): number {
  const d = Math.hypot(a[3] - b[3], a[7] - b[7], a[11] - b[11]);
  // Optical axis = -Z column of the rotation in GL axes.
  const dot = a[2] * b[2] + a[6] * b[6] + a[10] * b[10];
  const na = Math.hypot(a[2], a[6], a[10]),
    nb = Math.hypot(b[2], b[6], b[10]);
  const angle = Math.acos(Math.min(1, Math.max(-1, dot / (na * nb))));
  return d + angle * depth;
}

function medianDepth(sources: readonly WarpSource[]): number {
  // A strided sample is plenty for a scale.
  const sample: number[] = [];
  for (const s of sources) {
    const step = Math.max(1, Math.floor(s.depth.length / 20000));
    for (let i = 0; i < s.depth.length; i += step) if (s.depth[i] > 0) sample.push(s.depth[i]);
  }
  if (sample.length === 0) return 1;
  sample.sort((x, y) => x - y);
  return sample[sample.length >> 1];
}
