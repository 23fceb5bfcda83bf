/**
 * Camera conventions, written down once. Everything else converts at its edges through here. They sit
 * on the engine's ground floor (geometry/), below camera/ (tracks, which need the project document),
 * because image fitting, the warp, the kernels and the synthetic scene need the same types.
 *
 * - World: right-handed, +Y up (as Three.js).
 * - A pose is camera-to-world, 4x4, stored row-major as 16 plain numbers (JSON- and IPC-friendly),
 *   in the camera's Three.js / OpenGL axes: the camera looks down -Z with +Y up. This is also
 *   nerfstudio's `camera_to_world`.
 * - Projection is a pinhole K in pixels, with OpenCV camera axes: x right, y down, z forward.
 *   OpenCV axes = GL axes * diag(1, -1, -1).
 * - Frame 0 is the source camera: identity pose, the photo's own intrinsics. The scene it sees
 *   therefore lies at world z < 0.
 */

/** 4x4 matrix, row-major: m[r * 4 + c]. */
export type Mat4 = readonly number[];

export interface Intrinsics {
  /** Image size in pixels. */
  width: number;
  height: number;
  fx: number;
  fy: number;
  cx: number;
  cy: number;
}

/** One camera of a track, as the engine renders it. */
export interface FrameCamera {
  /** camera-to-world, GL axes, row-major. */
  c2w: Mat4;
  intrinsics: Intrinsics;
}

export const IDENTITY4: Mat4 = Object.freeze([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);

/** diag(1, -1, -1, 1): flips between GL and OpenCV camera axes (its own inverse). */
export const GL_CV_FLIP: Mat4 = Object.freeze([1, 0, 0, 0, 0, -1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 1]);

export function mat4Multiply(a: Mat4, b: Mat4): number[] {
  const out = new Array<number>(16);
  for (let r = 0; r < 4; r++) {
    for (let c = 0; c < 4; c++) {
      out[r * 4 + c] = a[r * 4] * b[c] + a[r * 4 + 1] * b[4 + c] + a[r * 4 + 2] * b[8 + c] + a[r * 4 + 3] * b[12 + c];
    }
  }
  return out;
}

/** Inverse of a rigid transform [R t; 0 1]: [R^T -R^T t; 0 1]. Poses are rigid by construction. */
export function rigidInverse(m: Mat4): number[] {
  const out = new Array<number>(16).fill(0);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) out[r * 4 + c] = m[c * 4 + r];
    out[r * 4 + 3] = -(m[r] * m[3] + m[4 + r] * m[7] + m[8 + r] * m[11]);
  }
  out[15] = 1;
  return out;
}

/** camera-to-world with GL camera axes -> camera-to-world with OpenCV camera axes (and back). */
export function glPoseToCv(c2wGl: Mat4): number[] {
  return mat4Multiply(c2wGl, GL_CV_FLIP);
}
export const cvPoseToGl = glPoseToCv;

/**
 * The rigid transform taking points in the source camera's OpenCV frame to the target camera's
 * OpenCV frame: X_t = R X_s + t. Returned row-major as [R | t], 12 numbers. This is all a warp needs.
 */
export function relativeCvTransform(source: Mat4, target: Mat4): Float64Array {
  const m = mat4Multiply(rigidInverse(glPoseToCv(target)), glPoseToCv(source));
  return Float64Array.from(m.slice(0, 12));
}

/** Intrinsics for a vertical field of view (degrees), principal point at the image centre. */
export function intrinsicsFromFovY(fovYDeg: number, width: number, height: number): Intrinsics {
  const f = height / 2 / Math.tan((fovYDeg * Math.PI) / 360);
  return { width, height, fx: f, fy: f, cx: width / 2, cy: height / 2 };
}

/** Vertical field of view (degrees) of a pinhole. */
export function fovYFromIntrinsics(k: Intrinsics): number {
  return (2 * Math.atan(k.height / 2 / k.fy) * 180) / Math.PI;
}

/** Projects a point given in the OpenCV camera frame to pixel coordinates (x, y) and depth z. */
export function projectCv(k: Intrinsics, x: number, y: number, z: number): [number, number, number] {
  return [(k.fx * x) / z + k.cx, (k.fy * y) / z + k.cy, z];
}
