import { cvPoseToGl, rigidInverse, type FrameCamera, type Intrinsics } from '../geometry/conventions';
import { CamtrackError } from '../util/errors';
import { positionProblem } from '../util/limits';

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
  const words = (s: string) => s.split(/\s+/).filter(Boolean);
  const extWords = words(text.slice(e + 'extrinsic'.length, i));
  const restWords = words(text.slice(i + 'intrinsic'.length));
  if (extWords.length !== 16)
    throw new CamtrackError(
      'bad-file',
      `${name}: the extrinsic block must hold 16 numbers (a 4x4 matrix); it holds ${extWords.length}.`,
    );
  if (restWords.length < 9)
    throw new CamtrackError(
      'bad-file',
      `${name}: the intrinsic block must hold 9 numbers (a 3x3 K); it holds ${restWords.length}.`,
    );
  const ext = finiteNumbers(extWords, 4, `${name}: the extrinsic`);
  const K = finiteNumbers(restWords.slice(0, 9), 3, `${name}: the intrinsic`);
  const rest = restWords.slice(9).map(Number);
  if (!(K[0] > 0 && K[4] > 0))
    throw new CamtrackError('bad-file', `${name}: the focal lengths in K must be positive (got ${K[0]}, ${K[4]}).`);
  // The camera's centre, -R^T t, held to the same bound as every other importer's positions.
  const centre = [0, 1, 2].map((c) => -(ext[c] * ext[3] + ext[4 + c] * ext[7] + ext[8 + c] * ext[11]));
  const far = positionProblem(`${name}: the camera`, centre);
  if (far) throw new CamtrackError('bad-file', `${far}.`);
  return {
    w2c: ext,
    K,
    depthMin: rest.length >= 1 && Number.isFinite(rest[0]) ? rest[0] : null,
    depthInterval: rest.length >= 2 && Number.isFinite(rest[1]) ? rest[1] : null,
  };
}

/** Words as numbers; the first that is not a finite number is named with its row and column. */
function finiteNumbers(words: string[], columns: number, what: string): number[] {
  return words.map((w, k) => {
    const v = Number(w);
    if (!Number.isFinite(v))
      throw new CamtrackError(
        'bad-file',
        `${what}'s row ${Math.floor(k / columns) + 1}, column ${(k % columns) + 1} is "${w.slice(0, 40)}", not a finite number.`,
      );
    return v;
  });
}

/** The camera as the engine renders it, for an image of `width` x `height` pixels (the grid K was written for). */
export function mvsnetFrameCamera(cam: MvsnetCamera, width: number, height: number): FrameCamera {
  const intrinsics: Intrinsics = { width, height, fx: cam.K[0], fy: cam.K[4], cx: cam.K[2], cy: cam.K[5] };
  // world-to-camera (OpenCV) -> camera-to-world (OpenCV) -> our GL-axes pose.
  return { c2w: cvPoseToGl(rigidInverse(cam.w2c)), intrinsics };
}
