import type { Mat4 } from '../geometry/conventions';

/** camera-to-world (GL axes) at `position`, turned by `yawDeg` about world +Y (positive turns left). */
export function poseAt(position: readonly [number, number, number], yawDeg = 0): Mat4 {
  const a = (yawDeg * Math.PI) / 180;
  const c = Math.cos(a),
    s = Math.sin(a);
  return [c, 0, s, position[0], 0, 1, 0, position[1], -s, 0, c, position[2], 0, 0, 0, 1];
}
