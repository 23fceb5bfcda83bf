/** Tracks longer than the model: overlapping windows, their cross-fade, the stitch and their lambda columns. */
export {
  planWindows,
  renderWindowPlan,
  blendWeights,
  stitch,
  DEFAULT_OVERLAP,
  type FrameWindow,
  type FrameData,
} from './plan';
export { filledDepth } from './depth';
export { windowLambda, windowsAt, mirrorColumns, shareAcrossWindows, type TableRect } from './lambda';
