/** Rendering a project to a video: the public surface (CLI, host queue, tests). */
export {
  renderProject,
  modelDirFor,
  toRgb24,
  type RenderOptions,
  type RenderResult,
  type RenderProgress,
  type RenderPreview,
  type RenderStage,
  type StageTiming,
} from './render';
export { renderFromSidecar, docFromSidecar, type RenderFromSidecarOptions } from './fromSidecar';
export { applyRenderOverrides, lambdaForSteps, type RenderOverrides } from './overrides';
export { applyFidelity } from './fidelity';
export { loadRenderInputs, type RenderInputs } from './inputs';
export { readSidecar, sidecarPathFor, writeSidecar, type RenderSidecar } from './sidecar';
