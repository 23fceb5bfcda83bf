import type { Easing, Keyframe, Track } from '../project/schema';
import { IDENTITY4, type FrameCamera, type Intrinsics } from '../geometry/conventions';
import { focalFromFovY, fovYFromFocal } from './intrinsics';
import { ease, validateTrack } from './keyframes';
import {
  IDENTITY_QUAT,
  lerp3,
  normalize,
  qdot,
  qneg,
  qnormalize,
  quatAngle,
  slerp,
  squad,
  squadControl,
  type Quat,
  type Vec3,
} from './math';
import { lookAtRotation, poseFromPositionQuaternion, WORLD_UP } from './pose';
import { catmullRomSegment, evalCatmullRom, type CatmullRomSegment } from './spline';

/**
 * Evaluating a track: the camera at every frame, exactly as the renderer and the UI use it.
 *
 * Rules:
 * - Frame 0 is always the source camera (identity pose, the source intrinsics: the photo's camera
 *   at the render size, camera/intrinsics.ts renderIntrinsics), whatever a key says: a key's fovY
 *   on frame 0 is not read. A key on frame 0 only lends the first segment its easing, and its look-at target when
 *   that target is straight ahead (so the camera keeps aiming at it). Without a key on frame 0 the
 *   source camera is the first key anyway: the track always starts from the photo.
 * - Positions: centripetal Catmull-Rom through the key positions (spline.ts), each segment's
 *   frames spread evenly over its knot interval. The path is C1 in its own parameter, so in frame
 *   time its direction never jumps at a key; its speed is continuous where neighbouring segments
 *   spend frames in proportion to their knot lengths (evenly spaced keys, as presets make) and
 *   otherwise changes at the key, as the keys' timing asks.
 * - Orientation: a segment whose two keys both look at a target stays aimed at the target, which
 *   moves linearly between the two keys' targets (an orbit keeps its subject centred between keys).
 *   Any other segment interpolates the keys' rotations: slerp on the shortest arc, or squad when
 *   the track says rotationInterpolation: 'squad' (C1 across keys).
 * - Field of view: linear in focal length, not in angle. Image magnification is proportional to
 *   focal length, so this zooms at a steady rate; interpolating the angle zooms unevenly (for
 *   20 -> 80 degrees, the midpoint angle 50 gives 2.2x less magnification than the mid-focal).
 *   Intrinsics keep the source's size and pixel aspect (fx / fy), principal point at the centre.
 * - Easing (the segment's first key) remaps the segment's time for all three.
 * - After the last key the camera holds it.
 */

/** The camera's state at a (possibly fractional) frame, before it becomes a matrix. */
export interface TrackSample {
  position: Vec3;
  /** Camera-to-world rotation, GL axes, [x, y, z, w]. */
  quaternion: Quat;
  /** Vertical focal length in pixels at the source height. */
  focal: number;
  fovY: number;
  /** Present when the camera aims at a target here (a look-at key, or between two). */
  lookAt?: { target: Vec3; up: Vec3 };
}

export interface TrackEvaluator {
  readonly numFrames: number;
  /** The keys as evaluated: sorted, frame 0 pinned to the source camera. */
  readonly keys: readonly EvaluatedKey[];
  /** The camera at `frame`, clamped to [0, numFrames - 1]; fractional frames are allowed (curve drawing). */
  at(frame: number): FrameCamera;
  sample(frame: number): TrackSample;
}

export interface EvaluatedKey {
  /** The id of the track key it came from; null for the implicit source key on frame 0. */
  id: string | null;
  frame: number;
  position: Vec3;
  quaternion: Quat;
  focal: number;
  fovY: number;
  easing: Easing;
  lookAt?: { target: Vec3; up: Vec3 };
}

/** The camera at every frame of the track, frames 0 to numFrames - 1. */
export function evaluateTrack(track: Track, source: Intrinsics): FrameCamera[] {
  const ev = createTrackEvaluator(track, source);
  return Array.from({ length: track.numFrames }, (_, f) => ev.at(f));
}

/** Validates the track once and precomputes its segments, for evaluating many frames. */
export function createTrackEvaluator(track: Track, source: Intrinsics): TrackEvaluator {
  const keys = buildKeys(validateTrack(track), source);
  const positions = keys.map((k) => k.position);
  const segments: CatmullRomSegment[] = [];
  for (let i = 0; i + 1 < keys.length; i++) segments.push(catmullRomSegment(positions, i));
  const squadCtl = track.rotationInterpolation === 'squad' ? squadControls(keys) : null;
  const pixelAspect = source.fx / source.fy;
  const last = track.numFrames - 1;

  const sample = (frameIn: number): TrackSample => {
    const frame = Math.min(Math.max(frameIn, 0), last);
    // The last key at or before `frame` (binary search: imported paths have a key per frame).
    let i = 0;
    let hi = keys.length - 1;
    while (i < hi) {
      const mid = (i + hi + 1) >> 1;
      if (keys[mid].frame <= frame) i = mid;
      else hi = mid - 1;
    }
    const a = keys[i];
    if (frame === a.frame || i + 1 >= keys.length) return keySample(a);
    const b = keys[i + 1];
    const s = ease(a.easing, (frame - a.frame) / (b.frame - a.frame));
    const position = evalCatmullRom(segments[i], s);
    const focal = a.focal + (b.focal - a.focal) * s;
    const out: TrackSample = { position, quaternion: a.quaternion, focal, fovY: fovYFromFocal(focal, source.height) };
    if (a.lookAt && b.lookAt) {
      const target = lerp3(a.lookAt.target, b.lookAt.target, s);
      const up = normalize(lerp3(a.lookAt.up, b.lookAt.up, s)) ?? a.lookAt.up;
      try {
        out.quaternion = lookAtRotation(position, target, up);
        out.lookAt = { target, up };
        return out;
      } catch {
        // The path passes through its own target: fall through to rotation interpolation.
      }
    }
    out.quaternion = squadCtl
      ? squad(a.quaternion, b.quaternion, squadCtl[i], squadCtl[i + 1], s)
      : slerp(a.quaternion, b.quaternion, s);
    return out;
  };

  return {
    numFrames: track.numFrames,
    keys,
    sample,
    at(frame: number): FrameCamera {
      if (frame <= 0) return { c2w: [...IDENTITY4], intrinsics: { ...source } };
      const smp = sample(frame);
      return {
        c2w: poseFromPositionQuaternion(smp.position, smp.quaternion),
        intrinsics: {
          width: source.width,
          height: source.height,
          fx: smp.focal * pixelAspect,
          fy: smp.focal,
          cx: source.width / 2,
          cy: source.height / 2,
        },
      };
    },
  };
}

function keySample(k: EvaluatedKey): TrackSample {
  const out: TrackSample = { position: [...k.position], quaternion: [...k.quaternion], focal: k.focal, fovY: k.fovY };
  if (k.lookAt) out.lookAt = { target: [...k.lookAt.target], up: [...k.lookAt.up] };
  return out;
}

/** Sorted track keys -> evaluated keys, with the source camera pinned on frame 0. */
function buildKeys(sorted: readonly Keyframe[], source: Intrinsics): EvaluatedKey[] {
  const first = sorted[0]?.frame === 0 ? sorted[0] : undefined;
  const sourceKey: EvaluatedKey = {
    id: first?.id ?? null,
    frame: 0,
    position: [0, 0, 0],
    quaternion: [...IDENTITY_QUAT],
    focal: source.fy,
    fovY: fovYFromFocal(source.fy, source.height),
    easing: first?.easing ?? 'linear',
  };
  if (first?.orientation.kind === 'lookAt') {
    const up = (first.orientation.up ?? WORLD_UP) as Vec3;
    try {
      if (quatAngle(lookAtRotation([0, 0, 0], first.orientation.target as Vec3, up), IDENTITY_QUAT) < 1e-9) {
        sourceKey.lookAt = { target: [...first.orientation.target], up: normalize(up)! };
      }
    } catch {
      // A target at the origin: the source key simply has no target.
    }
  }
  const keys: EvaluatedKey[] = [sourceKey];
  for (const k of sorted) {
    if (k.frame === 0) continue;
    const position: Vec3 = [...k.position];
    const focal = focalFromFovY(k.fovY, source.height);
    const o = k.orientation;
    if (o.kind === 'lookAt') {
      const up = normalize((o.up ?? WORLD_UP) as Vec3)!;
      keys.push({
        id: k.id,
        frame: k.frame,
        position,
        focal,
        fovY: k.fovY,
        easing: k.easing,
        quaternion: lookAtRotation(position, o.target as Vec3, up),
        lookAt: { target: [...o.target], up },
      });
    } else {
      keys.push({
        id: k.id,
        frame: k.frame,
        position,
        focal,
        fovY: k.fovY,
        easing: k.easing,
        quaternion: qnormalize(o.q as Quat)!,
      });
    }
  }
  return keys;
}

/** Squad control points, after putting every key's quaternion in its predecessor's hemisphere. */
function squadControls(keys: EvaluatedKey[]): Quat[] {
  const q: Quat[] = [];
  for (const k of keys) {
    const prev = q[q.length - 1];
    q.push(prev && qdot(prev, k.quaternion) < 0 ? qneg(k.quaternion) : k.quaternion);
  }
  // The aligned quaternions are the same rotations; store them so squad interpolates consistently.
  keys.forEach((k, i) => (k.quaternion = q[i]));
  return q.map((qi, i) => squadControl(q[Math.max(0, i - 1)], qi, q[Math.min(q.length - 1, i + 1)]));
}
