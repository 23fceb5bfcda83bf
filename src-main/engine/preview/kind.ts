/**
 * The preview render kind: no model, each frame the photo warped into its camera with the holes
 * filled (push-pull, background first). It is chosen by the render setting `model: 'preview'`, so
 * it travels through the queue, overrides, sidecars and the CLI like any model choice.
 * Pure constants: the UI imports this file too.
 */
export const PREVIEW_MODEL = 'preview';

export function isPreviewModel(model: string): boolean {
  return model === PREVIEW_MODEL;
}

/** How the sidecar names what made a preview (its `model` record). */
export const PREVIEW_MODEL_RECORD = {
  name: 'Preview (warp + push-pull fill)',
  family: 'preview',
  dtype: 'float32',
  location: PREVIEW_MODEL,
  files: [],
} as const;

/** A preview takes any even size (H.264's 4:2:0 needs even sides); a model render needs multiples of 64. */
export function renderSizeError(model: string, width: number, height: number): string | null {
  if (isPreviewModel(model)) {
    if (width % 2 || height % 2 || width < 2 || height < 2)
      return `The preview size ${width}x${height} must have even width and height.`;
    return null;
  }
  if (width % 64 || height % 64)
    return `The render size ${width}x${height} does not fit the model: width and height must be multiples of 64.`;
  return null;
}
