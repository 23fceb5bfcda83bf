import { cvPoseToGl, rigidInverse, type FrameCamera, type Intrinsics } from '../geometry/conventions';
import { CamtrackError } from '../util/errors';

/**
 * The MVSNet / DTU camera file (`cams/NNNNNNNN_cam.txt`):
 *
 *     extrinsic
 *     4x4 world-to-camera, OpenCV axes (x right, y down, z forward)
 *
 *     intrinsic
 *     3x3 K in pixels
 *
 *     depth_min depth_interval   (optional)
 *
 * K refers to the image grid the file was written for: the full image in MVSNet's test layout,
 * the 160x128 depth map in its training layout. The caller says which size that is.
 */
export interface MvsnetCamera {
  /** world-to-camera, OpenCV axes, row-major 4x4. */
  w2c: number[];
  /** 3x3 row-major. */
  K: number[];
  depthMin: number | null;
  depthInterval: number | null;
}

export function parseMvsnetCamera(text: string, name = 'camera file'): MvsnetCamera {
  const lower = text.toLowerCase();
  const e = lower.indexOf('extrinsic');
  const i = lower.indexOf('intrinsic');
  if (e < 0 || i < 0 || i < e)
    throw new CamtrackError(
      'bad-file',
      `${name} is not an MVSNet camera file: it needs an "extrinsic" block then an "intrinsic" block.`,
    );
  const numbers = (s: string) => s.split(/\s+/).filter(Boolean).map(Number);
  const ext = numbers(text.slice(e + 'extrinsic'.length, i));
  const rest = numbers(text.slice(i + 'intrinsic'.length));
  if (ext.length !== 16 || ext.some((v) => !Number.isFinite(v)))
    throw new CamtrackError(
      'bad-file',
      `${name}: the extrinsic block must hold 16 numbers (a 4x4 matrix); it holds ${ext.length}.`,
    );
  if (rest.length < 9 || rest.slice(0, 9).some((v) => !Number.isFinite(v)))
    throw new CamtrackError('bad-file', `${name}: the intrinsic block must hold 9 numbers (a 3x3 K).`);
  const K = rest.slice(0, 9);
  if (!(K[0] > 0 && K[4] > 0))
    throw new CamtrackError('bad-file', `${name}: the focal lengths in K must be positive (got ${K[0]}, ${K[4]}).`);
  return {
    w2c: ext,
    K,
    depthMin: rest.length >= 10 ? rest[9] : null,
    depthInterval: rest.length >= 11 ? rest[10] : null,
  };
}

/** The camera as the engine renders it, for an image of `width` x `height` pixels (the grid K was written for). */
export function mvsnetFrameCamera(cam: MvsnetCamera, width: number, height: number): FrameCamera {
  const intrinsics: Intrinsics = { width, height, fx: cam.K[0], fy: cam.K[4], cx: cam.K[2], cy: cam.K[5] };
  // world-to-camera (OpenCV) -> camera-to-world (OpenCV) -> our GL-axes pose.
  return { c2w: cvPoseToGl(rigidInverse(cam.w2c)), intrinsics };
}
