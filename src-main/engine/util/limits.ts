/**
 * Every size and count the studio accepts, in one table. The project schema, the render
 * overrides and CLI flags, farm jobs (submitted and taken) and the bridge's documents all read
 * their bounds from here, so no route admits a size another refuses. Each bound is there because
 * something is allocated in proportion to it; the comments say what.
 *
 * docs/limits.md lists them for people; the property tests state them again independently.
 */
export interface Range {
  readonly min: number;
  readonly max: number;
}

export const LIMITS = {
  /** Render width and height in pixels (a model render further needs multiples of 64). */
  renderSide: { min: 2, max: 8192 },
  /**
   * Width x height x frames of one render. A render holds every warped frame with its mask and
   * depth at once: about 30 bytes per pixel and frame (measured on a preview), so this is ~32 GB.
   */
  renderPixels: 2 ** 30,
  /** Frames of a camera track (and columns of the lambda table). */
  frames: { min: 2, max: 1000 },
  /** Denoising steps (and rows of the lambda table). */
  steps: { min: 1, max: 1000 },
  /** Posed views of a sparse-view project, the photo included: each is a photo and a depth map decoded in memory. */
  views: { min: 1, max: 1000 },
  /** Frames per render window and frames shared by neighbouring windows. */
  windowFrames: { min: 2, max: 1000 },
  windowOverlap: { min: 1, max: 999 },
  /** Frames of a source video (one warped source per track frame, so the track's own maximum). */
  videoFrames: 1000,
  /** A photo or depth map, in pixels and on its longest side (decoded to RGBA / float32). */
  imagePixels: 100_000_000,
  imageSide: 65_535,
  /** Largest |coordinate| of a camera position (scene units): beyond it relative poses lose all precision. */
  translation: 1e6,
  /**
   * Largest |coordinate| of a point in a project's track (a key's position, a look-at target):
   * twice the translation, since an imported path re-based onto its first camera moves by up to it.
   */
  scenePoint: 2e6,
  /** A lambda table file (CSV or JSON): a full 1000 x 1000 table at 17 digits a cell fits in 32 MiB. */
  lambdaFileBytes: 32 * 2 ** 20,
  /** One CSV cell: the longest float64 written in full ("-2.2250738585072014e-308") is 24 characters. */
  lambdaCellChars: 64,
} as const;

/** "from 2 to 8192" */
export const rangeText = (r: Range) => `from ${r.min} to ${r.max}`;

/** Whether `v` is a whole number inside `r`. */
export const inRange = (v: number, r: Range) => Number.isInteger(v) && v >= r.min && v <= r.max;

/**
 * Why a render of width x height x frames is refused, or null. Checked before anything is
 * allocated: the sides first (a side of 2^30 would overflow a typed array), then the product.
 */
export function renderSizeProblem(width: number, height: number, frames: number): string | null {
  for (const [axis, v] of [
    ['width', width],
    ['height', height],
  ] as const)
    if (!inRange(v, LIMITS.renderSide))
      return `The render ${axis} must be a whole number of pixels ${rangeText(LIMITS.renderSide)} (got ${v}).`;
  if (!inRange(frames, LIMITS.frames))
    return `A track must have a whole number of frames ${rangeText(LIMITS.frames)} (got ${frames}).`;
  return renderPixelsProblem(width, height, frames);
}

/** The product alone (for schemas, whose fields check the sides and frames themselves). */
export function renderPixelsProblem(width: number, height: number, frames: number): string | null {
  const total = width * height * frames;
  if (total > LIMITS.renderPixels)
    return `A render of ${frames} frames at ${width}x${height} is ${(total / 1e9).toFixed(2)} gigapixels; at most ${(LIMITS.renderPixels / 1e9).toFixed(2)} fit in memory (about 30 bytes each). Use fewer frames or a smaller size.`;
  return null;
}

/** Why a camera position is refused (`where` names the camera), or null: past ±limit (LIMITS.translation) on any axis, or not finite. */
export function positionProblem(
  where: string,
  position: readonly number[],
  limit: number = LIMITS.translation,
): string | null {
  const far = Math.max(...position.map(Math.abs));
  if (far <= limit) return null;
  return `${where} is ${Number.isFinite(far) ? far.toExponential(2) : far} units from the origin; positions beyond ±${limit.toExponential(0)} are refused`;
}
