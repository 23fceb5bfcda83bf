import type { DepthMapping } from '../project/schema';
import { CamtrackError } from '../util/errors';
import type { DepthMap, RawDepth } from './types';

/**
 * What applying a depth mapping found: how many values could not be used, by reason, and the
 * range of the z-depth that came out. NaN and +-infinity have no depth: those pixels do not splat
 * and become holes in every warped frame. So do zero and negative values of a depth mapping; a
 * disparity below DISPARITY_FLOOR (zero and negative included) is raised to it, as the reference
 * does (`depth[depth < 1e-5] = 1e-5` before 10000 / disparity), so it maps to the far plane and is
 * still warped and guided: a depth model's "infinitely far" sky is a far surface, not a hole.
 */
export interface DepthReport {
  width: number;
  height: number;
  origin: string;
  mapping: DepthMapping;
  total: number;
  valid: number;
  nan: number;
  posInf: number;
  negInf: number;
  zero: number;
  negative: number;
  /** Disparities below DISPARITY_FLOOR (zero and negative included) raised to it: valid, far. */
  flooredDisparity: number;
  /** Valid values whose z fell outside [near, far] and were clipped to it. */
  clippedNear: number;
  clippedFar: number;
  /** Range of the raw values that were used, and of the z-depth after mapping and clipping. */
  rawMin: number;
  rawMax: number;
  zMin: number;
  zMax: number;
  /** Medians of the used raw values and of z (from an even sample of at most MEDIAN_SAMPLE pixels). */
  rawMedian: number;
  zMedian: number;
}

/** Pixels sampled for the medians: exact for depth maps up to 512x512, within a fraction of a percentile above. */
export const MEDIAN_SAMPLE = 1 << 18;

export const DISPARITY_FLOOR = 1e-5;

/** depth: z = scale * v; disparity: z = scale / max(v, 1e-5); then z is clipped to [near, far]. */
export function applyDepthMapping(raw: RawDepth, mapping: DepthMapping): { depth: DepthMap; report: DepthReport } {
  const { kind, scale, near, far } = mapping;
  const n = raw.width * raw.height;
  if (raw.values.length !== n)
    throw new CamtrackError(
      'bad-file',
      `The depth (${raw.origin}) has ${raw.values.length} values for ${raw.width}x${raw.height}.`,
    );
  const z = new Float32Array(n);
  let nan = 0,
    posInf = 0,
    negInf = 0,
    zero = 0,
    negative = 0,
    flooredDisparity = 0,
    clippedNear = 0,
    clippedFar = 0;
  let rawMin = Infinity,
    rawMax = -Infinity,
    zMin = Infinity,
    zMax = -Infinity;
  const disparity = kind === 'disparity';
  for (let i = 0; i < n; i++) {
    let v = raw.values[i];
    if (v !== v) {
      nan++;
      continue;
    }
    if (v === Infinity) {
      posInf++;
      continue;
    }
    if (v === -Infinity) {
      negInf++;
      continue;
    }
    if (disparity && v < DISPARITY_FLOOR) {
      v = DISPARITY_FLOOR;
      flooredDisparity++;
    }
    if (v === 0) {
      zero++;
      continue;
    }
    if (v < 0) {
      negative++;
      continue;
    }
    if (v < rawMin) rawMin = v;
    if (v > rawMax) rawMax = v;
    let d = disparity ? scale / v : scale * v;
    if (d < near) {
      d = near;
      clippedNear++;
    } else if (d > far) {
      d = far;
      clippedFar++;
    }
    z[i] = d;
    if (d < zMin) zMin = d;
    if (d > zMax) zMax = d;
  }
  const valid = n - nan - posInf - negInf - zero - negative;
  const { rawMedian, zMedian } = medians(raw.values, z, kind);
  const report: DepthReport = {
    width: raw.width,
    height: raw.height,
    origin: raw.origin,
    mapping,
    total: n,
    valid,
    nan,
    posInf,
    negInf,
    zero,
    negative,
    flooredDisparity,
    clippedNear,
    clippedFar,
    rawMin: valid ? rawMin : NaN,
    rawMax: valid ? rawMax : NaN,
    zMin: valid ? zMin : NaN,
    zMax: valid ? zMax : NaN,
    rawMedian,
    zMedian,
  };
  if (valid === 0) {
    throw new CamtrackError(
      'bad-input',
      `The depth (${raw.origin}, ${raw.width}x${raw.height}) has no usable value: ${describeInvalid(report)}. Depth values must be finite and > 0.`,
    );
  }
  return { depth: { width: raw.width, height: raw.height, z }, report };
}

/** Medians of the used values (z > 0) over an even sample; the raw value is floored as the mapping floors it. */
function medians(
  values: ArrayLike<number>,
  z: Float32Array,
  kind: DepthMapping['kind'],
): { rawMedian: number; zMedian: number } {
  const step = Math.max(1, Math.floor(z.length / MEDIAN_SAMPLE));
  const zs: number[] = [];
  const rs: number[] = [];
  for (let i = 0; i < z.length; i += step) {
    if (!(z[i] > 0)) continue;
    zs.push(z[i]);
    rs.push(kind === 'disparity' ? Math.max(values[i], DISPARITY_FLOOR) : values[i]);
  }
  if (zs.length === 0) return { rawMedian: NaN, zMedian: NaN };
  const mid = (a: number[]) => Float64Array.from(a).sort()[a.length >> 1];
  return { rawMedian: mid(rs), zMedian: mid(zs) };
}

/** "12 NaN, 3 zero" style summary of the unusable values (or "none"). */
export function describeInvalid(r: DepthReport): string {
  const parts: string[] = [];
  if (r.nan) parts.push(`${r.nan} NaN`);
  if (r.posInf) parts.push(`${r.posInf} +infinity`);
  if (r.negInf) parts.push(`${r.negInf} -infinity`);
  if (r.zero) parts.push(`${r.zero} zero`);
  if (r.negative) parts.push(`${r.negative} negative`);
  return parts.length ? parts.join(', ') : 'none';
}
