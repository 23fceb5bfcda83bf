/**
 * Small vector and quaternion math on plain tuples (JSON-friendly, as stored in the project).
 * Quaternions are [x, y, z, w] like three.js and the project schema.
 */

export type Vec3 = [number, number, number];
export type Quat = [number, number, number, number];

export const IDENTITY_QUAT: Readonly<Quat> = Object.freeze([0, 0, 0, 1]) as Readonly<Quat>;

export const add = (a: Readonly<Vec3>, b: Readonly<Vec3>): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
export const sub = (a: Readonly<Vec3>, b: Readonly<Vec3>): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
export const scale = (a: Readonly<Vec3>, s: number): Vec3 => [a[0] * s, a[1] * s, a[2] * s];
export const dot = (a: Readonly<Vec3>, b: Readonly<Vec3>): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
export const cross = (a: Readonly<Vec3>, b: Readonly<Vec3>): Vec3 => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
export const norm = (a: Readonly<Vec3>): number => Math.hypot(a[0], a[1], a[2]);
export const distance = (a: Readonly<Vec3>, b: Readonly<Vec3>): number => norm(sub(a, b));
export const lerp3 = (a: Readonly<Vec3>, b: Readonly<Vec3>, t: number): Vec3 => [
  a[0] + (b[0] - a[0]) * t,
  a[1] + (b[1] - a[1]) * t,
  a[2] + (b[2] - a[2]) * t,
];
/** Unit vector, or null for a (near) zero vector. */
export function normalize(a: Readonly<Vec3>): Vec3 | null {
  const n = norm(a);
  return n > 1e-300 && Number.isFinite(n) ? [a[0] / n, a[1] / n, a[2] / n] : null;
}

export const qdot = (a: Readonly<Quat>, b: Readonly<Quat>): number =>
  a[0] * b[0] + a[1] * b[1] + a[2] * b[2] + a[3] * b[3];
export const qneg = (a: Readonly<Quat>): Quat => [-a[0], -a[1], -a[2], -a[3]];

/** Unit quaternion, or null for a zero or non-finite one. */
export function qnormalize(q: Readonly<Quat>): Quat | null {
  const n = Math.hypot(q[0], q[1], q[2], q[3]);
  return n > 1e-12 && Number.isFinite(n) ? [q[0] / n, q[1] / n, q[2] / n, q[3] / n] : null;
}

/** Hamilton product a * b (apply b first, then a). */
export function qmul(a: Readonly<Quat>, b: Readonly<Quat>): Quat {
  const [ax, ay, az, aw] = a;
  const [bx, by, bz, bw] = b;
  return [
    aw * bx + ax * bw + ay * bz - az * by,
    aw * by - ax * bz + ay * bw + az * bx,
    aw * bz + ax * by - ay * bx + az * bw,
    aw * bw - ax * bx - ay * by - az * bz,
  ];
}

export const qconj = (q: Readonly<Quat>): Quat => [-q[0], -q[1], -q[2], q[3]];

/** Logarithm of a unit quaternion: a pure quaternion [v * theta, 0] (theta = half the rotation angle). */
export function qlog(q: Readonly<Quat>): Quat {
  const vn = Math.hypot(q[0], q[1], q[2]);
  if (vn < 1e-15) return [0, 0, 0, 0];
  const theta = Math.atan2(vn, q[3]);
  const k = theta / vn;
  return [q[0] * k, q[1] * k, q[2] * k, 0];
}

/** Exponential of a pure quaternion [v, 0]. */
export function qexp(q: Readonly<Quat>): Quat {
  const theta = Math.hypot(q[0], q[1], q[2]);
  if (theta < 1e-15) return [q[0], q[1], q[2], 1];
  const k = Math.sin(theta) / theta;
  return [q[0] * k, q[1] * k, q[2] * k, Math.cos(theta)];
}

/**
 * Spherical linear interpolation between unit quaternions. With `shortest` (the default) b is
 * negated when needed so the rotation takes the short way round (q and -q are the same rotation).
 */
export function slerp(a: Readonly<Quat>, b: Readonly<Quat>, t: number, shortest = true): Quat {
  let bb: Readonly<Quat> = b;
  let d = qdot(a, b);
  if (shortest && d < 0) {
    bb = qneg(b);
    d = -d;
  }
  let wa: number;
  let wb: number;
  if (Math.abs(d) > 0.9999999) {
    // Nearly the same rotation: linear blend is exact to rounding, and avoids dividing by sin(0).
    wa = 1 - t;
    wb = t;
  } else {
    const theta = Math.acos(Math.max(-1, Math.min(1, d)));
    const s = Math.sin(theta);
    wa = Math.sin((1 - t) * theta) / s;
    wb = Math.sin(t * theta) / s;
  }
  const out: Quat = [a[0] * wa + bb[0] * wb, a[1] * wa + bb[1] * wb, a[2] * wa + bb[2] * wb, a[3] * wa + bb[3] * wb];
  return qnormalize(out) ?? [a[0], a[1], a[2], a[3]];
}

/**
 * Squad control point for q_i given its neighbours (Shoemake): s_i = q_i exp(-(log(q_i^-1 q_{i+1}) +
 * log(q_i^-1 q_{i-1})) / 4). Neighbours must already be in q_i's hemisphere.
 */
export function squadControl(prev: Readonly<Quat>, q: Readonly<Quat>, next: Readonly<Quat>): Quat {
  const inv = qconj(q);
  const l1 = qlog(qmul(inv, next));
  const l0 = qlog(qmul(inv, prev));
  const e = qexp([-(l1[0] + l0[0]) / 4, -(l1[1] + l0[1]) / 4, -(l1[2] + l0[2]) / 4, 0]);
  return qnormalize(qmul(q, e)) ?? [q[0], q[1], q[2], q[3]];
}

/** Spherical quadrangle interpolation between q1 and q2 with control points s1, s2. */
export function squad(q1: Readonly<Quat>, q2: Readonly<Quat>, s1: Readonly<Quat>, s2: Readonly<Quat>, t: number): Quat {
  return slerp(slerp(q1, q2, t, false), slerp(s1, s2, t, false), 2 * t * (1 - t), false);
}

/** 3x3 rotation (row-major, 9 numbers) of a unit quaternion. */
export function quatToMat3(q: Readonly<Quat>): number[] {
  const [x, y, z, w] = q;
  return [
    1 - 2 * (y * y + z * z),
    2 * (x * y - z * w),
    2 * (x * z + y * w),
    2 * (x * y + z * w),
    1 - 2 * (x * x + z * z),
    2 * (y * z - x * w),
    2 * (x * z - y * w),
    2 * (y * z + x * w),
    1 - 2 * (x * x + y * y),
  ];
}

/** Unit quaternion of a 3x3 rotation (row-major, 9 numbers); Shepperd's method, stable for every angle. */
export function mat3ToQuat(m: readonly number[]): Quat {
  const [m00, m01, m02, m10, m11, m12, m20, m21, m22] = m;
  const tr = m00 + m11 + m22;
  let q: Quat;
  if (tr > 0) {
    const s = 0.5 / Math.sqrt(tr + 1);
    q = [(m21 - m12) * s, (m02 - m20) * s, (m10 - m01) * s, 0.25 / s];
  } else if (m00 > m11 && m00 > m22) {
    const s = 2 * Math.sqrt(1 + m00 - m11 - m22);
    q = [0.25 * s, (m01 + m10) / s, (m02 + m20) / s, (m21 - m12) / s];
  } else if (m11 > m22) {
    const s = 2 * Math.sqrt(1 + m11 - m00 - m22);
    q = [(m01 + m10) / s, 0.25 * s, (m12 + m21) / s, (m02 - m20) / s];
  } else {
    const s = 2 * Math.sqrt(1 + m22 - m00 - m11);
    q = [(m02 + m20) / s, (m12 + m21) / s, 0.25 * s, (m10 - m01) / s];
  }
  return qnormalize(q) ?? [0, 0, 0, 1];
}

/** Rotation angle (radians, in [0, pi]) between two unit quaternions. */
export function quatAngle(a: Readonly<Quat>, b: Readonly<Quat>): number {
  // atan2 of the relative rotation's vector and scalar parts: accurate for tiny angles, unlike acos.
  const r = qmul(qconj(a), b);
  return 2 * Math.atan2(Math.hypot(r[0], r[1], r[2]), Math.abs(r[3]));
}
