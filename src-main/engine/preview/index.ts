/** The preview render kind: warped frames with their holes filled, no model. */
export { pushPullFill, BACKGROUND_POWER, type FillInput } from './fill';
export { fillWarpedFrame } from './frame';
export { PREVIEW_MODEL, PREVIEW_MODEL_RECORD, isPreviewModel, renderSizeError } from './kind';
export { frameSimilarity } from './similarity';
export { buildHiddenLayer, hiddenLayerFor, layerRadius, preparePreview, type HiddenLayer } from './layer';
