import type { DepthMapping } from '../project/schema';
import { CamtrackError } from '../util/errors';
import type { DepthReport } from './mapping';
import type { RawDepth } from './types';

/**
 * One default depth mapping per kind of source, used by every entry point (`project new`, `warp`,
 * the studio's import and estimate, video input), so the same file means the same scene anywhere:
 *
 * - a depth model's output (Depth Anything) is relative disparity: z = scale / v with the scale
 *   that puts the median pixel at MEDIAN_DEPTH units;
 * - a float file (.npy, .pfm, float TIFF) is z-depth in scene units: z = v;
 * - a 16-bit PNG or TIFF is z-depth in millimetres, the convention of RGB-D cameras and datasets
 *   (Kinect, RealSense, ScanNet, NYU, nerfstudio's default depth_unit_scale_factor): z = 0.001 v;
 * - an 8-bit PNG or TIFF is not a measurement: the 8-bit depth images that depth tools save
 *   (Depth Anything's and MiDaS's run scripts, most web demos) are relative disparity normalised
 *   to 0..255, brighter = nearer. It is read as a model's output is.
 *
 * The artist changes any of it afterwards (kind, scale, near, far), and a re-imported depth keeps
 * the mapping it had.
 */

/** Scene units of the median pixel of relative disparity (the camera presets move about a unit a second around it). */
export const MEDIAN_DEPTH = 4;

/** z-depth: no clipping to speak of (1e-4 to 1e6 units). */
const Z_NEAR = 1e-4;
const Z_FAR = 1e6;

/** Millimetres per unit of a 16-bit depth image. */
export const UINT16_DEPTH_SCALE = 0.001;

export type DepthProducer = 'file' | 'model';

/** The default mapping of a depth (a file's values, or a model's output), from how its values were stored. */
export function defaultDepthMapping(raw: RawDepth, producer: DepthProducer = 'file'): DepthMapping {
  if (producer === 'model' || raw.encoding === 'uint8') return mappingForDisparity(raw.values, producer);
  return { kind: 'depth', scale: raw.encoding === 'uint16' ? UINT16_DEPTH_SCALE : 1, near: Z_NEAR, far: Z_FAR };
}

/**
 * The mapping of a depth with some fields given (the CLI's --depth-kind, --depth-scale, --near,
 * --far): what is left out comes from the default for that kind of values, or, when the kind given
 * is not the default's, from the other kind's default (disparity: median at MEDIAN_DEPTH; depth:
 * scale 1). Refused with the numbers when the result is not a mapping.
 */
export function resolveDepthMapping(
  raw: RawDepth,
  given: Partial<DepthMapping> = {},
  producer: DepthProducer = 'file',
): DepthMapping {
  const def = defaultDepthMapping(raw, producer);
  const kind = given.kind ?? def.kind;
  const base: DepthMapping =
    kind === def.kind
      ? def
      : kind === 'disparity'
        ? mappingForDisparity(raw.values, 'file')
        : { kind, scale: 1, near: Z_NEAR, far: Z_FAR };
  const m: DepthMapping = { ...base };
  for (const k of ['scale', 'near', 'far'] as const) if (given[k] !== undefined) m[k] = given[k];
  if (!(m.scale > 0 && m.near > 0 && m.far > m.near && Number.isFinite(m.scale) && Number.isFinite(m.far)))
    throw new CamtrackError(
      'bad-input',
      `Depth mapping needs scale > 0 and 0 < near < far (got scale ${m.scale}, near ${m.near}, far ${m.far}).`,
    );
  return m;
}

/** In words, for notes and the CLI: "z-depth in millimetres (16-bit PNG)". */
export function describeDefault(raw: RawDepth, producer: DepthProducer = 'file'): string {
  if (producer === 'model') return `relative disparity (a depth model's output), median at ${MEDIAN_DEPTH} units`;
  if (raw.encoding === 'uint8')
    return `relative disparity (an 8-bit depth image: brighter is nearer), median at ${MEDIAN_DEPTH} units`;
  if (raw.encoding === 'uint16') return 'z-depth in millimetres (a 16-bit depth image), scale 0.001';
  return 'z-depth in scene units (a float depth file), scale 1';
}

/** A disparity mapping whose median depth is MEDIAN_DEPTH. */
export function mappingForDisparity(values: ArrayLike<number>, producer: DepthProducer = 'model'): DepthMapping {
  const positive: number[] = [];
  for (let i = 0; i < values.length; i++) if (values[i] > 0 && Number.isFinite(values[i])) positive.push(values[i]);
  if (positive.length === 0)
    throw producer === 'model'
      ? new CamtrackError(
          'model',
          'The depth model gave no positive disparity anywhere: its output cannot be turned into depth.',
        )
      : new CamtrackError('bad-input', 'The depth has no value above 0 anywhere: it cannot be read as disparity.');
  positive.sort((a, b) => a - b);
  // The disparity of the pixel whose z is the median z (z ascending is disparity descending), so the report's median is exactly MEDIAN_DEPTH.
  const median = positive[positive.length - 1 - (positive.length >> 1)];
  return { kind: 'disparity', scale: MEDIAN_DEPTH * median, near: 0.05, far: 1000 };
}

/**
 * The opposite kind (depth <-> disparity) with the scale that keeps the median pixel where it was,
 * so flipping turns the scene inside out without moving its focus: `rawMedian` is the median of
 * the file's values, `zMedian` the z it maps to now.
 */
export function flipMapping(m: DepthMapping, rawMedian: number, zMedian: number): DepthMapping {
  if (!(rawMedian > 0 && zMedian > 0))
    throw new CamtrackError('bad-input', 'The depth has no positive median value: it cannot be flipped.');
  // Six significant digits: a readable scale, the median within a millionth of where it was.
  const round = (v: number) => Number(v.toPrecision(6));
  return m.kind === 'depth'
    ? { ...m, kind: 'disparity', scale: round(zMedian * rawMedian) }
    : { ...m, kind: 'depth', scale: round(zMedian / rawMedian) };
}

/**
 * Where a mapping makes an implausible scene: a sentence per finding, naming the numbers (empty
 * when it looks like a scene). The bounds are wide: they catch a mapping of the wrong kind or unit,
 * not an unusual scene.
 */
export const PLAUSIBLE = {
  /** Farthest over nearest z. */
  maxRatio: 1000,
  /** Median z in scene units: the camera presets, the 3D view and the reference's clip (500) work within this. */
  minMedian: 0.05,
  maxMedian: 1000,
  /** Pixels clipped to near or far, as a share of the valid ones. */
  maxClipped: 0.5,
} as const;

export function depthWarnings(
  r: Pick<DepthReport, 'valid' | 'clippedNear' | 'clippedFar' | 'zMin' | 'zMax' | 'zMedian' | 'mapping'>,
): string[] {
  const out: string[] = [];
  if (!(r.valid > 0)) return out;
  const n = (v: number) => Number(v.toPrecision(3));
  const ratio = r.zMax / r.zMin;
  if (ratio > PLAUSIBLE.maxRatio)
    out.push(
      `The depth spans ${n(r.zMin)} to ${n(r.zMax)} units, the farthest ${n(ratio)} times the nearest (more than ${PLAUSIBLE.maxRatio}): is the mapping's kind right (depth or disparity), and near / far?`,
    );
  if (r.zMedian < PLAUSIBLE.minMedian || r.zMedian > PLAUSIBLE.maxMedian)
    out.push(
      `The median depth is ${n(r.zMedian)} units, outside ${PLAUSIBLE.minMedian} to ${PLAUSIBLE.maxMedian}: is the scale right (millimetres read as metres, or the reverse)?`,
    );
  const clipped = (r.clippedNear + r.clippedFar) / r.valid;
  if (clipped > PLAUSIBLE.maxClipped)
    out.push(
      `${(clipped * 100).toFixed(0)}% of the pixels are clipped (${r.clippedNear} to near = ${r.mapping.near}, ${r.clippedFar} to far = ${r.mapping.far}): the mapping puts most of the scene outside near..far.`,
    );
  return out;
}

/** How many pixels fall in each of `bins` bins between lo and hi, spaced evenly in log z (depth spans orders of magnitude). */
export interface DepthHistogram {
  lo: number;
  hi: number;
  counts: number[];
}

export function depthHistogram(z: ArrayLike<number>, bins = 32): DepthHistogram {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < z.length; i++) {
    const v = z[i];
    if (v > 0 && v < Infinity) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  const counts = new Array<number>(bins).fill(0);
  if (!(hi >= lo)) return { lo: NaN, hi: NaN, counts };
  const l0 = Math.log(lo);
  const span = Math.log(hi) - l0;
  for (let i = 0; i < z.length; i++) {
    const v = z[i];
    if (!(v > 0 && v < Infinity)) continue;
    const b = span > 0 ? Math.min(bins - 1, Math.floor(((Math.log(v) - l0) / span) * bins)) : 0;
    counts[b]++;
  }
  return { lo, hi, counts };
}
