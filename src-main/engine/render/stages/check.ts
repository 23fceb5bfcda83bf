import { isStillCamera } from '../../camera/keyframes';
import { lambdaTableFromDoc } from '../../lambda/doc';
import type { LambdaTable } from '../../lambda/table';
import { resolveModelRef } from '../../models/modelFolder';
import { isPreviewModel, renderSizeError } from '../../preview';
import type { ProjectDoc } from '../../project/schema';
import { sigmasForSteps } from '../../schedule/sigmas';
import { CamtrackError } from '../../util/errors';
import { applyFidelity } from '../fidelity';
import { applyRenderOverrides, type RenderOverrides } from '../overrides';

/** What a render is asked to make, checked: the preview needs no lambda table, a model render one that fits exactly. */
export type RenderJob = {
  /** The project with the overrides applied and a model folder made absolute. */
  doc: ProjectDoc;
  /** What the overrides changed beyond the plain values. */
  notes: readonly string[];
  /** The track's frame count. */
  frames: number;
  steps: number;
  /** steps + 1 sigmas. */
  sigmas: Float32Array;
  /** Each window's seed when they are given (re-rendering from a sidecar); else the plan derives them from the seed. */
  windowSeeds?: readonly number[];
} & ({ kind: 'preview' } | { kind: 'model'; lambda: LambdaTable });

/**
 * Stage 1, check inputs: the overrides applied, and for a model render its fidelity (reference
 * fidelity samples the reference's steps and table), then everything that can be refused before a
 * file is read: the sigma schedule against the step count, the lambda table against steps x frames,
 * and the render size against the model's multiples (a preview takes any even size).
 */
export function checkInputs(opts: {
  projectDir: string;
  doc: ProjectDoc;
  overrides?: RenderOverrides;
  sigmas?: Float32Array;
  windowSeeds?: readonly number[];
}): RenderJob {
  const overrides = applyRenderOverrides(opts.doc, opts.overrides);
  // A preview runs no model: its fidelity changes nothing.
  const fidelity = isPreviewModel(overrides.doc.render.model)
    ? { doc: overrides.doc, notes: [] }
    : applyFidelity(overrides.doc);
  const overridden = fidelity.doc;
  const notes = [...overrides.notes, ...fidelity.notes, ...stillCameraNote(fidelity.doc)];
  const model = overridden.render.model;
  // A model folder is relative to the project; the sidecar records it absolute, so it re-renders from anywhere.
  const doc =
    model === 'draft' || isPreviewModel(model)
      ? overridden
      : { ...overridden, render: { ...overridden.render, model: resolveModelRef(model, opts.projectDir) } };
  const { steps, width, height } = doc.render;
  const frames = doc.track.numFrames;
  const sigmas = opts.sigmas ?? sigmasForSteps(steps);
  if (sigmas.length !== steps + 1)
    throw new CamtrackError(
      'shape-mismatch',
      `The sigma schedule has ${sigmas.length - 1} steps, the render ${steps}.`,
    );
  const base = { doc, notes, frames, steps, sigmas, ...(opts.windowSeeds && { windowSeeds: opts.windowSeeds }) };
  // The table must fit a model render exactly (a preview does not use it).
  const job: RenderJob = isPreviewModel(model)
    ? { ...base, kind: 'preview' }
    : { ...base, kind: 'model', lambda: lambdaTableFromDoc(doc.lambda, { steps, frames }) };
  const sizeError = renderSizeError(doc.render.model, width, height);
  if (sizeError) throw new CamtrackError('bad-input', sizeError);
  return job;
}

/** A still camera is not an error, but a first render from a new project is usually meant to move: say how. */
function stillCameraNote(doc: ProjectDoc): string[] {
  if (!isStillCamera(doc)) return [];
  return [
    "The camera does not move: the track has one key, the photo's camera. Add keys in the camera designer, or apply a preset (camtrack track preset orbit --project PROJECT --apply).",
  ];
}
