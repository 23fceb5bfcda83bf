/**
 * Tracks longer than the model: overlapping windows, their cross-fade, the stitch and their lambda columns.
 * This index is pure (the studio UI imports it); the depth a later window carries, which fills holes
 * with the Node-side preview fill, is ./depth.
 */
export {
  planWindows,
  renderWindowPlan,
  blendWeights,
  stitch,
  DEFAULT_OVERLAP,
  type FrameWindow,
  type FrameData,
} from './plan';
export { windowLambda, windowsAt, mirrorColumns, shareAcrossWindows, type TableRect } from './lambda';
export { windowSeed, windowSeeds } from './seeds';
