import type { FrameCamera } from '../geometry/conventions';
import type { Vec3 } from './math';

/**
 * Geometry for drawing cameras: where a pixel's ray goes, and the frustum of a FrameCamera, in world
 * coordinates, exactly as the renderer's pinhole sees it (principal point included).
 */

/** World point seen at pixel (u, v) (pixel corners at integers, (0, 0) top-left) at z-depth `depth` along the optical axis. */
export function unprojectPixel(cam: FrameCamera, u: number, v: number, depth: number): Vec3 {
  const k = cam.intrinsics;
  // OpenCV camera coordinates, then GL camera coordinates (y and z flip), then world.
  const x = ((u - k.cx) / k.fx) * depth;
  const y = -((v - k.cy) / k.fy) * depth;
  const z = -depth;
  const m = cam.c2w;
  return [
    m[0] * x + m[1] * y + m[2] * z + m[3],
    m[4] * x + m[5] * y + m[6] * z + m[7],
    m[8] * x + m[9] * y + m[10] * z + m[11],
  ];
}

/** The camera's position and the image corners at `depth`: top-left, top-right, bottom-right, bottom-left. */
export function frustumCorners(cam: FrameCamera, depth: number): { apex: Vec3; corners: [Vec3, Vec3, Vec3, Vec3] } {
  const { width: w, height: h } = cam.intrinsics;
  return {
    apex: [cam.c2w[3], cam.c2w[7], cam.c2w[11]],
    corners: [
      unprojectPixel(cam, 0, 0, depth),
      unprojectPixel(cam, w, 0, depth),
      unprojectPixel(cam, w, h, depth),
      unprojectPixel(cam, 0, h, depth),
    ],
  };
}
