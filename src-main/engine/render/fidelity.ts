import { defaultLambdaDoc } from '../project/create';
import type { Fidelity, LambdaDoc, ProjectDoc } from '../project/schema';

/**
 * What the render fidelity changes before a render starts (the rest happens inside it: the warp,
 * the masks, the latent scale, frame 0 and the guidance step, see docs/reference-deviations.md).
 * The reference samples 100 steps with the table its search_hypers makes for them (no floor in the
 * single-view and video paths; the two-view floor of 0.4 is in its step), whatever the project's own
 * steps and table: a reference render replaces both, says so, and its sidecar records what it used,
 * its splatting warp included.
 */
export const REFERENCE_STEPS = 100;

export const FIDELITIES: readonly Fidelity[] = ['studio', 'reference'];

/** Whether a lambda document is the reference's default table for these steps and frames. */
function isReferenceTable(l: LambdaDoc, steps: number, frames: number): boolean {
  return l.steps === steps && l.frames === frames && l.preset.kind === 'default' && l.lambdaMin === 0;
}

export function applyFidelity(doc: ProjectDoc): { doc: ProjectDoc; notes: string[] } {
  if (doc.render.fidelity !== 'reference') return { doc, notes: [] };
  const F = doc.track.numFrames;
  const notes: string[] = [];
  let { render, lambda } = doc;
  if (render.steps !== REFERENCE_STEPS) {
    notes.push(
      `Reference fidelity: ${REFERENCE_STEPS} denoising steps, as the reference samples (the project asks ${render.steps}).`,
    );
    render = { ...render, steps: REFERENCE_STEPS };
  }
  if (!isReferenceTable(lambda, REFERENCE_STEPS, F)) {
    lambda = defaultLambdaDoc(REFERENCE_STEPS, F, 0);
    notes.push(
      `Reference fidelity: the reference's own lambda table for ${REFERENCE_STEPS} steps x ${F} frames (its search_hypers, no floor) replaces the project's.`,
    );
  }
  // The reference splats every pixel (its warp is part of its rule): the settings as rendered,
  // and so the sidecar, say so whatever the project's own warp.
  if (render.warp !== 'splat') render = { ...render, warp: 'splat' };
  return { doc: { ...doc, render, lambda }, notes };
}
