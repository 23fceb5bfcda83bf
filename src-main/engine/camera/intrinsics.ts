import { CamtrackError } from '../util/errors';
import { computeFit, placeIntrinsics, stretchPlacement, type FitMode, type Placement } from '../image/fit';
import type { Intrinsics } from '../geometry/conventions';

/**
 * The source photo's intrinsics, and the conversions between pixel focal lengths, fields of view
 * and three.js's (vertical fov, aspect) pair.
 */

/**
 * Horizontal field of view assumed when the photo says nothing about its lens: 60 degrees, a
 * 35mm-equivalent of about 31mm. Phone main cameras (most photos) are 24-28mm (65-75 degrees),
 * "normal" lenses 40-50mm (40-48 degrees); 60 sits between them, so a wrong guess errs by at most
 * about 25% in focal length either way. The guess only scales the parallax of a move, and depth
 * from a monocular model has an unknown scale anyway; an artist who knows better sets the fov.
 */
export const DEFAULT_FOV_X_DEG = 60;

/** Diagonal of the 36 x 24 mm full frame that "35mm-equivalent focal length" refers to. */
const FULL_FRAME_DIAGONAL_MM = Math.hypot(36, 24);

export interface SourceIntrinsicsOptions {
  /**
   * EXIF FocalLengthIn35mmFilm (mm). By its definition (CIPA DC-008) the equivalence is by the
   * diagonal, so the focal length in pixels is f35 * diagonal_px / 43.27 whatever the aspect ratio.
   */
  focalLength35mm?: number;
  /** Vertical field of view in degrees, when known (a synthetic or calibrated camera). */
  fovYDeg?: number;
  /** Horizontal field of view in degrees, used when neither of the above is given. Default 60. */
  fovXDeg?: number;
}

/**
 * Intrinsics of the photo at `width` x `height` pixels (the size its focal length refers to):
 * square pixels, principal point at the centre, focal length from the EXIF 35mm-equivalent focal
 * length when known, else a vertical field of view when given, else a horizontal one (default
 * DEFAULT_FOV_X_DEG).
 */
export function sourceIntrinsics(width: number, height: number, opts: SourceIntrinsicsOptions = {}): Intrinsics {
  checkSize(width, height);
  let f: number;
  if (opts.focalLength35mm !== undefined && opts.focalLength35mm > 0 && Number.isFinite(opts.focalLength35mm)) {
    f = (opts.focalLength35mm * Math.hypot(width, height)) / FULL_FRAME_DIAGONAL_MM;
  } else if (opts.fovYDeg !== undefined) {
    if (!(opts.fovYDeg > 1 && opts.fovYDeg < 179))
      throw new CamtrackError(
        'bad-input',
        `The vertical field of view must be between 1 and 179 degrees (got ${opts.fovYDeg}).`,
      );
    f = focalFromFovY(opts.fovYDeg, height);
  } else {
    const fovX = opts.fovXDeg ?? DEFAULT_FOV_X_DEG;
    if (!(fovX > 1 && fovX < 179))
      throw new CamtrackError(
        'bad-input',
        `The horizontal field of view must be between 1 and 179 degrees (got ${fovX}).`,
      );
    f = width / 2 / Math.tan((fovX * Math.PI) / 360);
  }
  return { width, height, fx: f, fy: f, cx: width / 2, cy: height / 2 };
}

/**
 * Intrinsics after fitting an image to a render size the way the renderer does: 'crop' scales it
 * to cover the render and cuts the overflow evenly; 'pad' scales it to fit inside and pads evenly.
 */
export function fitIntrinsics(k: Intrinsics, width: number, height: number, fit: 'crop' | 'pad'): Intrinsics {
  checkSize(width, height);
  const sx = width / k.width;
  const sy = height / k.height;
  const s = fit === 'crop' ? Math.max(sx, sy) : Math.min(sx, sy);
  const ox = (width - k.width * s) / 2;
  const oy = (height - k.height * s) / 2;
  return { width, height, fx: k.fx * s, fy: k.fy * s, cx: k.cx * s + ox, cy: k.cy * s + oy };
}

/** Vertical focal length in pixels of a vertical field of view (degrees) at `height` pixels. */
export function focalFromFovY(fovYDeg: number, height: number): number {
  return height / 2 / Math.tan((fovYDeg * Math.PI) / 360);
}

/** Vertical field of view (degrees) of a vertical focal length in pixels at `height` pixels. */
export function fovYFromFocal(fy: number, height: number): number {
  return (2 * Math.atan(height / 2 / fy) * 180) / Math.PI;
}

/**
 * three.js PerspectiveCamera parameters for intrinsics: `fov` is vertical in degrees and `aspect`
 * the ratio of the horizontal to the vertical extent of the view, which is width/height for
 * square pixels (fx = fy). three.js has no principal point: use projectionMatrixFromIntrinsics
 * (three-bridge.ts) when it is off-centre.
 */
export function perspectiveFromIntrinsics(k: Intrinsics): { fov: number; aspect: number } {
  return { fov: fovYFromFocal(k.fy, k.height), aspect: (k.width / k.height) * (k.fy / k.fx) };
}

/** Intrinsics at `width` x `height` for a three.js (vertical fov, aspect); principal point at the centre. */
export function intrinsicsFromPerspective(fov: number, aspect: number, width: number, height: number): Intrinsics {
  checkSize(width, height);
  if (!(fov > 0 && fov < 180))
    throw new CamtrackError('bad-input', `A vertical field of view must be between 0 and 180 degrees (got ${fov}).`);
  if (!(aspect > 0 && Number.isFinite(aspect)))
    throw new CamtrackError('bad-input', `An aspect ratio must be a positive number (got ${aspect}).`);
  const fy = focalFromFovY(fov, height);
  const fx = (fy * (width / height)) / aspect;
  return { width, height, fx, fy, cx: width / 2, cy: height / 2 };
}

function checkSize(width: number, height: number): void {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new CamtrackError(
      'bad-input',
      `An image size must be two positive whole numbers of pixels (got ${width} x ${height}).`,
    );
  }
}

/** A pinhole K of a photo at its stored size, without the size (what a project stores). */
export interface PhotoCamera {
  fx: number;
  fy: number;
  cx: number;
  cy: number;
}

/** The photo's camera when nothing is known about its lens: DEFAULT_FOV_X_DEG across, principal point at the centre. */
export function defaultPhotoCamera(width: number, height: number): PhotoCamera {
  const { fx, fy, cx, cy } = sourceIntrinsics(width, height);
  return { fx, fy, cx, cy };
}

/**
 * A photo record with its camera: the one it has, else defaultPhotoCamera. Every build before
 * schema version 4 assumed exactly this default when a photo had no K, so filling it in keeps
 * what an old project, sidecar or farm job renders.
 */
export function withPhotoCamera<T extends { width: number; height: number; intrinsics?: PhotoCamera }>(
  image: T,
): T & { intrinsics: PhotoCamera } {
  return { ...image, intrinsics: image.intrinsics ?? defaultPhotoCamera(image.width, image.height) };
}

/** The intrinsics of a stored photo: its camera at its own size. */
export function photoIntrinsics(image: { width: number; height: number; intrinsics: PhotoCamera }): Intrinsics {
  return { width: image.width, height: image.height, ...image.intrinsics };
}

/** What the source camera depends on: the photo (and its camera) and the render's size and fit. */
export interface SourceCameraDoc {
  image: { width: number; height: number; intrinsics: PhotoCamera } | null;
  render: { width: number; height: number; fit: FitMode };
}

/**
 * THE source camera: frame 0's intrinsics at the render size, the photo's camera placed on the
 * render grid (crop or pad), and that placement. Everything that shows or renders frame 0 takes it
 * from here (3D view, camera view, warps, preview and model renders, sidecar, track export), so
 * they cannot disagree. Without a photo: a DEFAULT_FOV_X_DEG camera at the render size.
 */
export function renderIntrinsics(doc: SourceCameraDoc): { intrinsics: Intrinsics; placement: Placement } {
  const { width, height, fit } = doc.render;
  if (!doc.image)
    return { intrinsics: sourceIntrinsics(width, height), placement: stretchPlacement(width, height, width, height) };
  const placement = computeFit(doc.image.width, doc.image.height, width, height, fit);
  return { intrinsics: placeIntrinsics(photoIntrinsics(doc.image), placement), placement };
}

/** Frame 0's vertical field of view in degrees at the render size (what the source key shows). */
export function sourceFovY(doc: SourceCameraDoc): number {
  const k = renderIntrinsics(doc).intrinsics;
  return fovYFromFocal(k.fy, k.height);
}

/**
 * The photo's camera rescaled so that frame 0 is `fovY` degrees tall at the render size and fit
 * (the unit every key's fovY is in): principal point and pixel aspect (fx / fy) kept. This is how
 * `--fov`, an imported path's first camera and the source key's field set the photo's camera.
 */
export function photoCameraForFovY(
  image: { width: number; height: number; intrinsics: PhotoCamera },
  render: SourceCameraDoc['render'],
  fovY: number,
): PhotoCamera {
  if (!(fovY > 1 && fovY < 179))
    throw new CamtrackError('bad-input', `The vertical field of view must be between 1 and 179 degrees (got ${fovY}).`);
  const placement = computeFit(image.width, image.height, render.width, render.height, render.fit);
  const fy = focalFromFovY(fovY, render.height) / placement.scaleY;
  const k = image.intrinsics;
  return { fx: fy * (k.fx / k.fy), fy, cx: k.cx, cy: k.cy };
}
