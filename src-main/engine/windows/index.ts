/** Tracks longer than the model: overlapping windows, their cross-fade and the stitch. */
export { planWindows, blendWeights, stitch, DEFAULT_OVERLAP, type FrameWindow, type FrameData } from './plan';
export { renderWindowedPreview, filledDepth, type WindowedPreviewOptions } from './preview';
