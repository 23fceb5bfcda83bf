import { CamtrackError } from '../util/errors';
import type { Mat4 } from '../geometry/conventions';
import { cross, dot, mat3ToQuat, normalize, qnormalize, quatToMat3, sub, type Quat, type Vec3 } from './math';

/**
 * Poses (camera-to-world, GL camera axes, row-major; see conventions.ts) built from positions,
 * quaternions and look-at targets, and taken apart again.
 */

export const WORLD_UP: Readonly<Vec3> = Object.freeze([0, 1, 0]) as Readonly<Vec3>;

/**
 * Camera-to-world rotation of a GL camera at `position` looking at `target`: the camera's -Z axis
 * points at the target and its +Y axis is as close to `up` (default world +Y) as possible.
 *
 * A camera at the origin looking at (0, 0, -1) gets the identity. When the view direction is
 * parallel to `up` (looking straight down or up), "up" is replaced by the direction the camera
 * would have had tilting there from the source pose: looking straight down with up +Y the camera's
 * top points to world -Z, looking straight up it points to +Z (continuous with a pitch from the source).
 * Throws when the target coincides with the position or `up` is zero.
 */
export function lookAtRotation(position: Readonly<Vec3>, target: Readonly<Vec3>, up: Readonly<Vec3> = WORLD_UP): Quat {
  const z = normalize(sub(position, target)); // camera +Z points away from what it looks at
  if (!z)
    throw new CamtrackError(
      'bad-input',
      `A look-at target must differ from the camera position (both are at ${fmt(position)}).`,
    );
  const u = normalize(up);
  if (!u) throw new CamtrackError('bad-input', 'The look-at up vector must not be zero.');
  let x = cross(u, z);
  if (Math.hypot(x[0], x[1], x[2]) < 1e-9) {
    // Degenerate: fall back to the up vector a pitch from the source pose would give.
    x = cross(degenerateUp(u, dot(z, u)), z);
  }
  const xn = normalize(x)!;
  const y = cross(z, xn);
  return mat3ToQuat([xn[0], y[0], z[0], xn[1], y[1], z[1], xn[2], y[2], z[2]]);
}

/** A unit vector perpendicular to `u` standing for "up" when the camera looks along +-u. */
function degenerateUp(u: Vec3, zDotU: number): Vec3 {
  // f: world +Z made perpendicular to u (or world +X if u is along Z). For u = +Y, f = +Z.
  let f = normalize([-u[2] * u[0], -u[2] * u[1], 1 - u[2] * u[2]]);
  if (!f) f = normalize([1 - u[0] * u[0], -u[0] * u[1], -u[0] * u[2]])!;
  const s = zDotU > 0 ? -1 : 1;
  return [f[0] * s, f[1] * s, f[2] * s];
}

/** Camera-to-world pose (row-major) from a position and a camera-to-world rotation quaternion. */
export function poseFromPositionQuaternion(position: Readonly<Vec3>, q: Readonly<Quat>): number[] {
  const qn = qnormalize(q);
  if (!qn) throw new CamtrackError('bad-input', 'A rotation quaternion must not be zero.');
  const r = quatToMat3(qn);
  return [r[0], r[1], r[2], position[0], r[3], r[4], r[5], position[1], r[6], r[7], r[8], position[2], 0, 0, 0, 1];
}

/** Position and rotation quaternion of a rigid camera-to-world pose. */
export function positionQuaternionFromPose(pose: Mat4): { position: Vec3; quaternion: Quat } {
  return {
    position: [pose[3], pose[7], pose[11]],
    quaternion: mat3ToQuat([pose[0], pose[1], pose[2], pose[4], pose[5], pose[6], pose[8], pose[9], pose[10]]),
  };
}

/** Pose of a camera at `position` looking at `target`. */
export function lookAtPose(position: Readonly<Vec3>, target: Readonly<Vec3>, up: Readonly<Vec3> = WORLD_UP): number[] {
  return poseFromPositionQuaternion(position, lookAtRotation(position, target, up));
}

/**
 * Why a 4x4 is not a rigid camera pose, or null when it is: every entry finite, bottom row
 * (0, 0, 0, 1), a rotation block with orthonormal columns (to `tol`) and determinant +1.
 */
export function rigidPoseProblem(m: readonly number[], tol = 1e-5): string | null {
  if (m.length !== 16) return `it has ${m.length} numbers, not 16`;
  if (!m.every((v) => typeof v === 'number' && Number.isFinite(v)))
    return 'it contains a value that is not a finite number';
  if (Math.abs(m[12]) > 1e-9 || Math.abs(m[13]) > 1e-9 || Math.abs(m[14]) > 1e-9 || Math.abs(m[15] - 1) > 1e-9) {
    return 'its last row is not 0 0 0 1';
  }
  for (let i = 0; i < 3; i++) {
    for (let j = i; j < 3; j++) {
      const d = m[i] * m[j] + m[4 + i] * m[4 + j] + m[8 + i] * m[8 + j];
      if (Math.abs(d - (i === j ? 1 : 0)) > tol) return 'its rotation part is not orthonormal (scaled or sheared)';
    }
  }
  const det =
    m[0] * (m[5] * m[10] - m[6] * m[9]) - m[1] * (m[4] * m[10] - m[6] * m[8]) + m[2] * (m[4] * m[9] - m[5] * m[8]);
  if (det < 0) return 'its rotation part is a reflection (determinant -1)';
  return null;
}

function fmt(v: Readonly<Vec3>): string {
  return `(${v.map((x) => +x.toPrecision(6)).join(', ')})`;
}
