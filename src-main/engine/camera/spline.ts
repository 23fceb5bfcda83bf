import { add, cross, distance, dot, norm, scale, sub, type Vec3 } from './math';

/**
 * Centripetal Catmull-Rom (alpha = 0.5) through a list of points, one segment at a time.
 * Centripetal knots (t_{i+1} - t_i = |P_{i+1} - P_i|^0.5) never form cusps or self-intersections
 * inside a segment, unlike the uniform variant, and overshoot less than the chordal one.
 */

export const CATMULL_ROM_ALPHA = 0.5;

/** Points closer than this are treated as one point (the spline holds still instead of dividing by 0). */
const COINCIDENT = 1e-9;

/** The four control points and knots of one segment, P1 -> P2. */
export interface CatmullRomSegment {
  p: [Vec3, Vec3, Vec3, Vec3];
  t: [number, number, number, number];
  /** P1 and P2 coincide: the segment is the single point P1. */
  still: boolean;
}

/**
 * The segment from points[i] to points[i + 1]. A missing neighbour at either end, or one that
 * coincides with the segment's end point (it would give a zero knot interval), is replaced by a
 * phantom point extrapolated with constant turning (see `phantomBefore`): points on a circle get
 * their true neighbour on the circle, points on a line the reflected point (so a two-point spline
 * is a straight line at constant speed).
 */
export function catmullRomSegment(points: readonly Vec3[], i: number): CatmullRomSegment {
  const p1 = points[i];
  const p2 = points[i + 1];
  const still = distance(p1, p2) < COINCIDENT;
  let p0 = i > 0 ? points[i - 1] : undefined;
  let p3 = i + 2 < points.length ? points[i + 2] : undefined;
  if (!p0 || distance(p0, p1) < COINCIDENT) p0 = phantomBefore(p1, p2, points[i + 2]);
  if (!p3 || distance(p3, p2) < COINCIDENT) p3 = phantomBefore(p2, p1, i > 0 ? points[i - 1] : undefined);
  const t0 = 0;
  const t1 = t0 + Math.pow(distance(p0, p1), CATMULL_ROM_ALPHA);
  const t2 = t1 + Math.pow(distance(p1, p2), CATMULL_ROM_ALPHA);
  const t3 = t2 + Math.pow(distance(p2, p3), CATMULL_ROM_ALPHA);
  return { p: [p0, p1, p2, p3], t: [t0, t1, t2, t3], still };
}

/**
 * Point on a segment at s in [0, 1] (s = 0 is P1, s = 1 is P2), by the Barry-Goldman pyramid.
 * s maps linearly onto the knot interval [t1, t2].
 */
export function evalCatmullRom(seg: CatmullRomSegment, s: number): Vec3 {
  const [p0, p1, p2, p3] = seg.p;
  if (seg.still || s <= 0) return [p1[0], p1[1], p1[2]];
  if (s >= 1) return [p2[0], p2[1], p2[2]];
  const [t0, t1, t2, t3] = seg.t;
  const t = t1 + (t2 - t1) * s;
  // The pyramid's blend weights are the same for x, y and z: compute them once.
  const a1p = (t1 - t) / (t1 - t0),
    a1q = (t - t0) / (t1 - t0);
  const a2p = (t2 - t) / (t2 - t1),
    a2q = (t - t1) / (t2 - t1);
  const a3p = (t3 - t) / (t3 - t2),
    a3q = (t - t2) / (t3 - t2);
  const b1p = (t2 - t) / (t2 - t0),
    b1q = (t - t0) / (t2 - t0);
  const b2p = (t3 - t) / (t3 - t1),
    b2q = (t - t1) / (t3 - t1);
  const out: Vec3 = [0, 0, 0];
  for (let c = 0; c < 3; c++) {
    const a1 = a1p * p0[c] + a1q * p1[c];
    const a2 = a2p * p1[c] + a2q * p2[c];
    const a3 = a3p * p2[c] + a3q * p3[c];
    out[c] = a2p * (b1p * a1 + b1q * a2) + a2q * (b2p * a2 + b2q * a3);
  }
  return out;
}

/**
 * A phantom point before `a` on the path a -> b -> c: the chord into `a` repeats the chord a -> b
 * turned the way b -> c turns into a -> b (same length as a -> b). Without a usable c, or when the
 * path turns by 90 degrees or more there, it is the reflection 2a - b.
 */
export function phantomBefore(a: Vec3, b: Vec3, c: Vec3 | undefined): Vec3 {
  const reflected = sub(scale(a, 2), b);
  if (!c || distance(b, c) < COINCIDENT) return reflected;
  const dab = sub(b, a);
  const uab = scale(dab, 1 / norm(dab));
  const ubc = scale(sub(c, b), 1 / distance(b, c));
  const cosT = dot(ubc, uab);
  const axis = cross(ubc, uab);
  const sinT = norm(axis);
  if (cosT <= 0 || sinT < 1e-12) return reflected;
  // Rodrigues: turn dab about the axis by the angle from bc to ab.
  const k = scale(axis, 1 / sinT);
  const turned = add(add(scale(dab, cosT), scale(cross(k, dab), sinT)), scale(k, dot(k, dab) * (1 - cosT)));
  return sub(a, turned);
}
