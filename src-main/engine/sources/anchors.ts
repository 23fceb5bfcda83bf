import type { FrameCamera, Mat4 } from '../geometry/conventions';
import type { LambdaTable } from '../lambda/table';
import { cameraDistance } from './fuse';

/**
 * Guidance with several source views. NVS-Solver's two-view mode puts the two photos at the first
 * and last frame; it keeps the first as frame 0 but leaves the last frame to the model (its
 * step_multi_dgs guides frames 1..F-2 only, so the second photo's latent is never used there), and
 * floors every weight at 0.4 (weight_clamp 0.4 hard-coded, where the single-view path has no floor).
 * The reference fidelity mode does exactly that (render/referenceWarp.ts, sampler/reference.ts).
 * The studio instead takes any number of views:
 * - a frame whose camera coincides with an enabled source camera (see ANCHOR_TOLERANCE) is
 *   anchored: its warped view, which at a source camera reproduces that photo, replaces the
 *   model's estimate everywhere (lambda 1 in every step, no holes), as frame 0 is the photo;
 *   a track made through the views (sources/project.ts) puts the first and last view on the
 *   first and last frame, the reference's setting;
 * - with at least one further view the sampler's floor is max(lambda_min, 0.4).
 */
export const TWO_VIEW_LAMBDA_FLOOR = 0.4;

/** A frame coincides with a source camera within 0.1% of the scene depth (camera distance incl. the turn). */
export const ANCHOR_TOLERANCE = 1e-3;

export function anchoredFrames(
  cameras: readonly FrameCamera[],
  sources: readonly Mat4[],
  sceneDepth: number,
): number[] {
  const out: number[] = [];
  cameras.forEach((c, f) => {
    if (f > 0 && sources.some((s) => cameraDistance(s, c.c2w, sceneDepth) <= ANCHOR_TOLERANCE * sceneDepth))
      out.push(f);
  });
  return out;
}

/** The table with every anchored frame's column at 1 (a copy). */
export function anchorLambda(table: LambdaTable, frames: readonly number[]): LambdaTable {
  const data = Float64Array.from(table.data);
  for (const f of frames) for (let i = 0; i < table.steps; i++) data[i * table.frames + f] = 1;
  return { ...table, data };
}

/** The lambda floor a render uses: the reference's two-view floor once there is a further view. */
export function lambdaFloor(lambdaMin: number, enabledViews: number): number {
  return enabledViews > 0 ? Math.max(lambdaMin, TWO_VIEW_LAMBDA_FLOOR) : lambdaMin;
}
