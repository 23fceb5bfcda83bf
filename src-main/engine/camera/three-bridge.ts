import { Matrix4, type PerspectiveCamera } from 'three';
import type { FrameCamera, Intrinsics, Mat4 } from '../geometry/conventions';
import { perspectiveFromIntrinsics } from './intrinsics';

/**
 * The bridge between our poses and three.js. A THREE.PerspectiveCamera looks down -Z with +Y up,
 * exactly our GL camera axes, so its `matrixWorld` IS our camera-to-world pose; only the storage
 * order differs (three stores column-major `elements`, `Matrix4.set` takes row-major arguments).
 */

/** Our row-major pose as a three.js Matrix4. */
export function poseToMatrix4(pose: Mat4, out: Matrix4 = new Matrix4()): Matrix4 {
  return out.set(
    pose[0],
    pose[1],
    pose[2],
    pose[3],
    pose[4],
    pose[5],
    pose[6],
    pose[7],
    pose[8],
    pose[9],
    pose[10],
    pose[11],
    pose[12],
    pose[13],
    pose[14],
    pose[15],
  );
}

/** A three.js Matrix4 (e.g. a camera's matrixWorld) as our row-major pose. */
export function matrix4ToPose(m: Matrix4): number[] {
  const e = m.elements;
  return [e[0], e[4], e[8], e[12], e[1], e[5], e[9], e[13], e[2], e[6], e[10], e[14], e[3], e[7], e[11], e[15]];
}

/**
 * OpenGL projection matrix reproducing a pinhole K exactly, principal point included: a point
 * projected with it lands on the pixel `projectCv` gives (pixel (0, 0) is the top-left corner of
 * the image, NDC y points up).
 */
export function projectionMatrixFromIntrinsics(
  k: Intrinsics,
  near: number,
  far: number,
  out: Matrix4 = new Matrix4(),
): Matrix4 {
  const { width: w, height: h } = k;
  return out.set(
    (2 * k.fx) / w,
    0,
    1 - (2 * k.cx) / w,
    0,
    0,
    (2 * k.fy) / h,
    (2 * k.cy) / h - 1,
    0,
    0,
    0,
    -(far + near) / (far - near),
    (-2 * far * near) / (far - near),
    0,
    0,
    -1,
    0,
  );
}

/**
 * Points a three.js PerspectiveCamera through a FrameCamera: pose into position/quaternion (and
 * matrixWorld), fov/aspect from the intrinsics, then the exact projection (principal point
 * included) so a look-through view matches the engine's warp pixel for pixel.
 */
export function applyFrameCamera(camera: PerspectiveCamera, frame: FrameCamera): void {
  poseToMatrix4(frame.c2w, camera.matrix);
  camera.matrix.decompose(camera.position, camera.quaternion, camera.scale);
  camera.matrixWorld.copy(camera.matrix);
  camera.matrixWorldInverse.copy(camera.matrixWorld).invert();
  const { fov, aspect } = perspectiveFromIntrinsics(frame.intrinsics);
  camera.fov = fov;
  camera.aspect = aspect;
  projectionMatrixFromIntrinsics(frame.intrinsics, camera.near, camera.far, camera.projectionMatrix);
  camera.projectionMatrixInverse.copy(camera.projectionMatrix).invert();
}
