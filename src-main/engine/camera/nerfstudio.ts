import { Track, type Keyframe } from '../project/schema';
import { CamtrackError } from '../util/errors';
import {
  IDENTITY4,
  mat4Multiply,
  rigidInverse,
  type FrameCamera,
  type Intrinsics,
  type Mat4,
} from '../geometry/conventions';
import { evaluateTrack } from './evaluate';
import { intrinsicsFromPerspective, perspectiveFromIntrinsics } from './intrinsics';
import { poseFromPositionQuaternion, positionQuaternionFromPose, rigidPoseProblem } from './pose';
import { LIMITS, positionProblem } from '../util/limits';

/**
 * nerfstudio's camera_path.json (what `ns-render camera-path` reads and its viewer writes):
 * top-level `render_width`, `render_height`, `fps`, `seconds`, `camera_type`, and `camera_path`,
 * one entry per rendered frame with `camera_to_world` (16 numbers, a row-major 4x4 in OpenGL
 * camera axes: our pose exactly), `fov` (vertical, degrees) and `aspect`.
 *
 * On import the path's FIRST camera is the one that took the photo: every pose is re-expressed
 * relative to it (it becomes the identity), which is what our frame 0 means. A path whose first
 * camera is elsewhere is therefore re-based, not refused: the whole path moves with its first
 * camera, so every camera keeps where it stands relative to the photo (importCameraPath says so
 * in its notes). Its field of view becomes the photo's camera (the project's frame 0).
 */

export interface NerfstudioCamera {
  camera_to_world: number[];
  fov: number;
  aspect: number;
}

export interface NerfstudioCameraPath {
  camera_type: 'perspective';
  render_width: number;
  render_height: number;
  fps: number;
  seconds: number;
  smoothness_value: number;
  is_cycle: boolean;
  crop: null;
  camera_path: NerfstudioCamera[];
}

/**
 * How far a rotation block may be from orthonormal (|R^T R - I|, per entry): files written with 4
 * decimals are accepted, a 1% scale or a shear is refused.
 */
const RIGID_TOLERANCE = 1e-3;

/** fps assumed for a path that gives neither `fps` nor `seconds`. */
export const DEFAULT_IMPORT_FPS = 24;

/** Most cameras a path may hold when read for a warp (one image per camera). */
export const MAX_PATH_CAMERAS = 10000;
/** Most frames an imported track may have (the project schema's numFrames limit). */
export const MAX_TRACK_FRAMES = LIMITS.frames.max;
/**
 * Most bytes of JSON text per allowed camera: a camera written at full float64 precision and
 * pretty-printed as 4 nested rows is under 1 KiB. Checked before JSON.parse, so a huge file is
 * refused without building its objects.
 */
const MAX_BYTES_PER_CAMERA = 4096;
/** Largest |translation| a camera may have (scene units); beyond it relative poses overflow or lose all precision. */
export const MAX_TRANSLATION = LIMITS.translation;
/** The project schema's open range for a vertical field of view (degrees). */
export const MIN_FOV = 1;
export const MAX_FOV = 179;

/** The camera path of an evaluated track: one camera per frame. */
export function exportCameraPath(track: Track, source: Intrinsics): NerfstudioCameraPath {
  return cameraPathFromFrames(evaluateTrack(track, source), track.fps);
}

/** A camera path from rendered cameras (all at one image size). */
export function cameraPathFromFrames(frames: readonly FrameCamera[], fps: number): NerfstudioCameraPath {
  if (frames.length === 0) throw new CamtrackError('bad-input', 'A camera path needs at least one camera.');
  const { width, height } = frames[0].intrinsics;
  return {
    camera_type: 'perspective',
    render_width: width,
    render_height: height,
    fps,
    seconds: frames.length / fps,
    smoothness_value: 0,
    is_cycle: false,
    crop: null,
    camera_path: frames.map((f) => {
      const { fov, aspect } = perspectiveFromIntrinsics(f.intrinsics);
      return { camera_to_world: [...f.c2w], fov, aspect };
    }),
  };
}

/** JSON text of a camera path, one camera per line, full float64 precision (a re-import is exact). */
export function stringifyCameraPath(path: NerfstudioCameraPath): string {
  const { camera_path: cameras, ...head } = path;
  const headText = JSON.stringify(head, null, 2);
  const lines = cameras.map((c) => `    ${JSON.stringify(c)}`);
  return `${headText.slice(0, -2)},\n  "camera_path": [\n${lines.join(',\n')}\n  ]\n}\n`;
}

export interface ParseCameraPathOptions {
  /** Image size to use when the file has no render_width/render_height. */
  width?: number;
  height?: number;
  /** The pose (in the file's world) that becomes the identity; default the path's first camera. */
  origin?: Mat4;
  /** Refuse a path with more cameras than this (checked before any camera is read); default MAX_PATH_CAMERAS. */
  maxCameras?: number;
}

export interface ParsedCameraPath {
  /** One camera per entry, relative to `origin` (by default the first: frames[0].c2w is the identity). */
  frames: FrameCamera[];
  /** The file's pose of the camera that became the origin (the identity when the file already started there). */
  origin: Mat4;
  fps: number;
  width: number;
  height: number;
}

/** Reads camera_path.json text; refuses anything malformed with a CamtrackError ('bad-file') naming the problem. */
export function parseCameraPath(text: string, opts: ParseCameraPathOptions = {}): ParsedCameraPath {
  const maxCameras = opts.maxCameras ?? MAX_PATH_CAMERAS;
  const maxBytes = maxCameras * MAX_BYTES_PER_CAMERA + 65536;
  if (text.length > maxBytes) {
    throw bad(
      `the file is ${(text.length / 1e6).toFixed(1)} MB, more than ${maxCameras} cameras can take (at most ${(maxBytes / 1e6).toFixed(1)} MB)`,
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new CamtrackError('bad-file', `This camera path is not JSON: ${(e as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw bad('it is not a JSON object');
  const o = doc as Record<string, unknown>;
  if (!('camera_path' in o)) throw bad('it has no "camera_path" list');
  const list = o.camera_path;
  if (!Array.isArray(list) || list.length === 0) throw bad('"camera_path" must be a non-empty list of cameras');
  // Before any camera is read: a huge list is refused without converting its entries.
  if (list.length > maxCameras) throw bad(`it has ${list.length} cameras; at most ${maxCameras} can be used`);
  const width = sizeField(o, 'render_width', opts.width);
  const height = sizeField(o, 'render_height', opts.height);
  const fps = fpsOf(o, list.length);

  const raw = list.map((cam, i) => cameraEntry(cam, i, width, height));
  const origin = opts.origin ?? raw[0].c2w;
  const toFirst = rigidInverse(origin);
  // Through position + quaternion: exactly rigid even when the file's rotations were rounded.
  const frames = raw.map((f) => {
    const { position, quaternion } = positionQuaternionFromPose(mat4Multiply(toFirst, f.c2w));
    return { c2w: poseFromPositionQuaternion(position, quaternion), intrinsics: f.intrinsics };
  });
  return { frames, origin: [...origin], fps, width, height };
}

/** The cameras of a camera_path.json, relative to its first camera (what `camtrack warp` needs). */
export function parseCameraPathFile(text: string, opts: ParseCameraPathOptions = {}): FrameCamera[] {
  return parseCameraPath(text, opts).frames;
}

/** How far (scene units, or radians) a first camera may be from the identity and still count as at the origin. */
const AT_ORIGIN = 1e-9;

/**
 * A camera path as an editable track: one quaternion key per camera, relative to the first, and
 * the source intrinsics (the first camera's field of view at the render size: the photo's camera).
 * evaluateTrack(track, source) reproduces every imported camera. `notes` says when the path was
 * re-based onto its first camera.
 */
export function importCameraPath(
  text: string,
  opts: ParseCameraPathOptions = {},
): { track: Track; source: Intrinsics; notes: string[] } {
  const parsed = parseCameraPath(text, {
    ...opts,
    maxCameras: Math.min(opts.maxCameras ?? MAX_TRACK_FRAMES, MAX_TRACK_FRAMES),
  });
  const n = parsed.frames.length;
  if (n < 2) throw bad(`it has ${n} camera; a track has 2 to ${MAX_TRACK_FRAMES} frames`);
  const keyframes: Keyframe[] = parsed.frames.map((f, i) => {
    const { position, quaternion } = positionQuaternionFromPose(f.c2w);
    const { fov } = perspectiveFromIntrinsics(f.intrinsics);
    return {
      id: `key-${i}`,
      frame: i,
      position,
      orientation: { kind: 'quaternion', q: quaternion },
      fovY: fov,
      easing: 'linear',
    };
  });
  const fps = Math.min(240, parsed.fps);
  const track: Track = { numFrames: n, fps, keyframes };
  // The file's checks should make this hold; a track the project would refuse is never returned.
  const r = Track.safeParse(track);
  if (!r.success) {
    const issues = r.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(track)'}: ${i.message}`);
    throw bad(`the track made from it is not valid (${issues.join('; ')})`);
  }
  const notes: string[] = [];
  if (!opts.origin && IDENTITY4.some((v, i) => Math.abs(parsed.origin[i] - v) > AT_ORIGIN)) {
    const [x, y, z] = [parsed.origin[3], parsed.origin[7], parsed.origin[11]].map((v) => +v.toFixed(3));
    notes.push(
      `the path's first camera stands at (${x}, ${y}, ${z}), not at the photo's camera: the path was re-based onto it (every camera moved with it, so it is frame 0)`,
    );
  }
  return { track: r.data, source: parsed.frames[0].intrinsics, notes };
}

function cameraEntry(cam: unknown, i: number, width: number, height: number): FrameCamera {
  const where = `camera ${i} of "camera_path"`;
  if (typeof cam !== 'object' || cam === null) throw bad(`${where} is not an object`);
  const c = cam as Record<string, unknown>;
  const given = c.camera_to_world;
  if (!Array.isArray(given)) throw bad(`${where} has no "camera_to_world" list of 16 numbers`);
  // Some writers nest the matrix as 4 rows of 4.
  const nested = given.length === 4 && given.every((row) => Array.isArray(row) && row.length === 4);
  const m: unknown[] = nested ? (given as unknown[][]).flat() : given;
  if (m.length !== 16) throw bad(`${where} has ${m.length} numbers in "camera_to_world", not 16 (a row-major 4x4)`);
  const problem = rigidPoseProblem(m as number[], RIGID_TOLERANCE);
  if (problem) throw bad(`the "camera_to_world" of ${where} is not a rigid camera pose: ${problem}`);
  const far = positionProblem(where, [m[3], m[7], m[11]] as number[]);
  if (far) throw bad(far);
  const fov = c.fov;
  if (typeof fov !== 'number' || !(fov > MIN_FOV && fov < MAX_FOV)) {
    throw bad(
      `${where} needs a vertical "fov" in degrees between ${MIN_FOV} and ${MAX_FOV} (got ${JSON.stringify(fov)})`,
    );
  }
  const aspect = c.aspect ?? width / height;
  if (typeof aspect !== 'number' || !(aspect > 0) || !Number.isFinite(aspect))
    throw bad(`${where} has an "aspect" that is not a positive number`);
  return { c2w: [...(m as number[])], intrinsics: intrinsicsFromPerspective(fov, aspect, width, height) };
}

function sizeField(o: Record<string, unknown>, name: string, fallback: number | undefined): number {
  const v = o[name] ?? fallback;
  if (v === undefined) throw bad(`it has no "${name}"; give the render size`);
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0)
    throw bad(`"${name}" must be a positive whole number of pixels (got ${JSON.stringify(v)})`);
  return v;
}

function fpsOf(o: Record<string, unknown>, n: number): number {
  if (o.fps !== undefined) {
    if (typeof o.fps !== 'number' || !(o.fps > 0) || !Number.isFinite(o.fps))
      throw bad(`"fps" must be a positive number (got ${JSON.stringify(o.fps)})`);
    return o.fps;
  }
  if (o.seconds !== undefined) {
    if (typeof o.seconds !== 'number' || !(o.seconds > 0) || !Number.isFinite(o.seconds))
      throw bad(`"seconds" must be a positive number (got ${JSON.stringify(o.seconds)})`);
    const fps = n / o.seconds;
    if (!Number.isFinite(fps)) throw bad(`"seconds" is too small for ${n} cameras (got ${o.seconds})`);
    return fps;
  }
  return DEFAULT_IMPORT_FPS;
}

function bad(what: string): CamtrackError {
  return new CamtrackError('bad-file', `This camera path cannot be read: ${what}.`);
}
