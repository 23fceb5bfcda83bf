import { lambdaDocFromTable, lambdaTableFromDoc } from '../lambda/doc';
import { resampleLambda } from '../lambda/resample';
import { constantLambda, rampLambda } from '../lambda/summary';
import { defaultLambdaDoc } from '../project/create';
import {
  WarpMethod,
  type ExecutionProviderName,
  type Fidelity,
  type LambdaDoc,
  type OutputFormat,
  type ProjectDoc,
} from '../project/schema';
import { sigmasForSteps } from '../schedule/sigmas';
import { CamtrackError } from '../util/errors';
import { inRange, LIMITS, rangeText, renderSizeProblem } from '../util/limits';

/** Per-render changes to a project's settings (CLI flags, queue overrides). */
export interface RenderOverrides {
  seed?: number;
  steps?: number;
  /** 'draft' or a model folder. */
  model?: string;
  executionProvider?: ExecutionProviderName;
  format?: OutputFormat;
  /** Render size: a preview takes any even size, a model render multiples of 64 (checked when the render starts). */
  width?: number;
  height?: number;
  /** Tracks longer than the model: frames per window and the least overlap (engine/windows). */
  windowFrames?: number;
  windowOverlap?: number;
  /** 'reference' reproduces the NVS-Solver reference code; 'studio' the studio's own choices (render/fidelity.ts). */
  fidelity?: Fidelity;
  /** How the photo is warped into each frame (engine/warp/method.ts). */
  warp?: WarpMethod;
}

/**
 * The lambda table for another step count. Tables made from a preset are made again for the new
 * steps (the default one by the reference's search, exactly as a new project gets it); a painted
 * ('custom') table is resampled by log-sigma, so an edit made at some noise level stays there.
 */
export function lambdaForSteps(lambda: LambdaDoc, steps: number, frames: number): { lambda: LambdaDoc; note: string } {
  const { preset, lambdaMin } = lambda;
  const shape = `${lambda.steps} x ${lambda.frames}`;
  switch (preset.kind) {
    case 'default':
      return {
        lambda: defaultLambdaDoc(steps, frames, lambdaMin),
        note: `The lambda table (${shape}, the default preset) was recomputed for ${steps} steps x ${frames} frames.`,
      };
    case 'constant':
      return {
        lambda: lambdaDocFromTable(constantLambda(steps, frames, preset.value), lambdaMin, preset),
        note: `The constant lambda table (${shape}) was remade for ${steps} steps x ${frames} frames.`,
      };
    case 'ramp':
      return {
        lambda: lambdaDocFromTable(rampLambda(steps, frames, preset.axis, preset.from, preset.to), lambdaMin, preset),
        note: `The ramp lambda table (${shape}) was remade for ${steps} steps x ${frames} frames.`,
      };
    case 'custom': {
      const table = lambdaTableFromDoc(lambda);
      const resampled = resampleLambda(table, sigmasForSteps(lambda.steps), sigmasForSteps(steps), frames);
      return {
        lambda: lambdaDocFromTable(resampled, lambdaMin, preset),
        note: `The painted lambda table (${shape}) was resampled to ${steps} steps x ${frames} frames (by log-sigma and frame position).`,
      };
    }
  }
}

/**
 * The project with per-render overrides applied. A step count that differs from the project's
 * changes the lambda table to match (see lambdaForSteps), and says so in `notes`; without a
 * steps override the table is left as it is (a mismatch is refused later, never resampled silently).
 */
export function applyRenderOverrides(
  doc: ProjectDoc,
  overrides: RenderOverrides = {},
): { doc: ProjectDoc; notes: string[] } {
  const notes: string[] = [];
  const render = { ...doc.render };
  if (overrides.seed !== undefined) {
    if (!Number.isInteger(overrides.seed) || overrides.seed < 0 || overrides.seed > 2 ** 32 - 1)
      throw new CamtrackError(
        'bad-input',
        `The seed must be a whole number from 0 to ${2 ** 32 - 1} (got ${overrides.seed}).`,
      );
    render.seed = overrides.seed;
  }
  if (overrides.model !== undefined) render.model = overrides.model;
  if (overrides.fidelity !== undefined) render.fidelity = overrides.fidelity;
  if (overrides.executionProvider !== undefined) render.executionProvider = overrides.executionProvider;
  if (overrides.format !== undefined) render.format = overrides.format;
  if (overrides.warp !== undefined) {
    if (!WarpMethod.safeParse(overrides.warp).success)
      throw new CamtrackError('bad-input', `The warp is "mesh" or "splat" (got "${overrides.warp}").`);
    render.warp = overrides.warp;
  }
  for (const axis of ['width', 'height'] as const) {
    const v = overrides[axis];
    if (v === undefined) continue;
    if (!inRange(v, LIMITS.renderSide))
      throw new CamtrackError(
        'bad-input',
        `The render ${axis} must be a whole number of pixels ${rangeText(LIMITS.renderSide)} (got ${v}).`,
      );
    render[axis] = v;
  }
  if (overrides.windowFrames !== undefined) {
    if (!inRange(overrides.windowFrames, LIMITS.windowFrames))
      throw new CamtrackError(
        'bad-input',
        `The window must be a whole number of frames ${rangeText(LIMITS.windowFrames)} (got ${overrides.windowFrames}).`,
      );
    render.windowFrames = overrides.windowFrames;
  }
  if (overrides.windowOverlap !== undefined) {
    if (!inRange(overrides.windowOverlap, LIMITS.windowOverlap))
      throw new CamtrackError(
        'bad-input',
        `The window overlap must be a whole number of frames ${rangeText(LIMITS.windowOverlap)} (got ${overrides.windowOverlap}).`,
      );
    render.windowOverlap = overrides.windowOverlap;
  }
  let lambda = doc.lambda;
  if (overrides.steps !== undefined) {
    if (!inRange(overrides.steps, LIMITS.steps))
      throw new CamtrackError(
        'bad-input',
        `The number of steps must be a whole number ${rangeText(LIMITS.steps)} (got ${overrides.steps}).`,
      );
    render.steps = overrides.steps;
    if (lambda.steps !== overrides.steps || lambda.frames !== doc.track.numFrames) {
      const r = lambdaForSteps(lambda, overrides.steps, doc.track.numFrames);
      lambda = r.lambda;
      notes.push(r.note);
    }
  }
  // The size as overridden, before anything is allocated for it (the document's own size was checked when it was read).
  const sizeProblem = renderSizeProblem(render.width, render.height, doc.track.numFrames);
  if (sizeProblem) throw new CamtrackError('bad-input', sizeProblem);
  return { doc: { ...doc, render, lambda }, notes };
}
