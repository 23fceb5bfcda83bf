import type { Easing, Keyframe, Track } from '../project/schema';
import { CamtrackError } from '../util/errors';
import { fovYFromFocal, focalFromFovY } from './intrinsics';
import { validateTrack } from './keyframes';
import { add, cross, dot, norm, normalize, scale, sub, type Vec3 } from './math';

/**
 * Camera moves as parameters -> keyframes. Every preset starts at the source camera on frame 0 and
 * returns an ordinary Track the artist can edit key by key afterwards.
 *
 * Axes (GL world, the source camera at the origin looking down -Z, +Y up): "right" is +X, "up"
 * is +Y, "forward"/"in" is -Z. Distances are in scene units (those of the depth map).
 * Curved moves get a key at least every MAX_KEY_DEGREES of turn, so the Catmull-Rom through them
 * stays on the intended circle (within 0.011% of the radius at 15 degrees, ends included).
 */

export const MAX_KEY_DEGREES = 15;

export interface PresetContext {
  numFrames: number;
  fps: number;
  /** The source camera's vertical field of view in degrees (keys keep it unless the preset zooms). */
  sourceFovY: number;
  /** Depth of the default target, straight ahead at (0, 0, -targetDepth): e.g. the median scene depth. */
  targetDepth: number;
}

/** 'ccw': counter-clockwise seen from above (+Y), the camera sets off to its right; 'cw' the other way. */
export type OrbitDirection = 'ccw' | 'cw';

export type PresetSpec =
  /**
   * Orbit, or ellipse, around the target: the path is an ellipse in the horizontal plane through
   * the source camera, radius `radiusX` across and `radiusZ` in depth (both default targetDepth,
   * a circle around the target), centred radiusZ ahead. The camera keeps looking at the target.
   */
  | { kind: 'orbit'; degreesPerFrame: number; direction?: OrbitDirection; radiusX?: number; radiusZ?: number }
  /**
   * The showcase: a full 360° orbit around the target (the scene's focus point), `frames` frames
   * (default the track's) turning 360 / frames degrees each, so the frame after the last would be
   * frame 0 again and the clip loops. Longer than any model, it renders in windows (engine/windows).
   */
  | { kind: 'orbit360'; frames?: number; direction?: OrbitDirection; radiusX?: number; radiusZ?: number }
  /** Straight towards the scene (distance > 0) or away from it, looking ahead. */
  | { kind: 'dolly'; distance: number; easing?: Easing }
  /** Sideways: to the right for distance > 0, looking ahead. */
  | { kind: 'truck'; distance: number; easing?: Easing }
  /** Straight up (distance > 0) or down, looking ahead. */
  | { kind: 'pedestal'; distance: number; easing?: Easing }
  /** Up (height > 0) or down; with keepTarget (the default) tilting to keep the target centred. */
  | { kind: 'crane'; height: number; keepTarget?: boolean; easing?: Easing }
  /** Swing to `end` on an arc around the target (default straight ahead), looking at it all the way. */
  | { kind: 'arc'; end: Vec3; target?: Vec3 }
  /** Orbit around the target while closing in on it by `dolly` (and rising by `rise`). */
  | { kind: 'spiral'; degreesPerFrame: number; direction?: OrbitDirection; dolly: number; rise?: number }
  /** Focal change with the camera still: `factor` x the source focal length, or an end fovY. */
  | { kind: 'zoom'; factor?: number; endFovY?: number; easing?: Easing };

export type PresetKind = PresetSpec['kind'];
export const PRESET_KINDS: readonly PresetKind[] = [
  'orbit',
  'orbit360',
  'dolly',
  'truck',
  'pedestal',
  'crane',
  'arc',
  'spiral',
  'zoom',
];

/** The keyframed track of a preset. Throws a CamtrackError naming a bad parameter. */
export function presetTrack(spec: PresetSpec, ctx: PresetContext): Track {
  if (spec.kind === 'orbit360') {
    const frames = spec.frames ?? ctx.numFrames;
    if (!Number.isInteger(frames) || frames < 3 || frames > 1000)
      throw new CamtrackError(
        'bad-input',
        `A full orbit needs a whole number of frames from 3 to 1000 (got ${frames}).`,
      );
    const { frames: _frames, ...orbit } = spec;
    return presetTrack({ ...orbit, kind: 'orbit', degreesPerFrame: 360 / frames }, { ...ctx, numFrames: frames });
  }
  checkContext(ctx);
  const last = ctx.numFrames - 1;
  const target: Vec3 = [0, 0, -ctx.targetDepth];
  let keyframes: NewKey[];
  switch (spec.kind) {
    case 'orbit': {
      const a = spec.radiusX ?? ctx.targetDepth;
      const b = spec.radiusZ ?? ctx.targetDepth;
      positive('radiusX', a);
      positive('radiusZ', b);
      degreesParam(spec.degreesPerFrame);
      const sign = directionSign(spec.direction);
      keyframes = curveFrames(last, spec.degreesPerFrame).map((f) => {
        const th = (sign * spec.degreesPerFrame * f * Math.PI) / 180;
        return lookKey(f, [a * Math.sin(th), 0, b * Math.cos(th) - b], target, ctx.sourceFovY);
      });
      break;
    }
    case 'dolly':
    case 'truck':
    case 'pedestal': {
      finiteParam('distance', spec.distance);
      const d = spec.distance;
      const end: Vec3 = spec.kind === 'dolly' ? [0, 0, -d] : spec.kind === 'truck' ? [d, 0, 0] : [0, d, 0];
      keyframes = [fixedKey(0, [0, 0, 0], ctx.sourceFovY, spec.easing), fixedKey(last, end, ctx.sourceFovY)];
      break;
    }
    case 'crane': {
      finiteParam('height', spec.height);
      const end: Vec3 = [0, spec.height, 0];
      keyframes =
        spec.keepTarget === false
          ? [fixedKey(0, [0, 0, 0], ctx.sourceFovY, spec.easing), fixedKey(last, end, ctx.sourceFovY)]
          : [lookKey(0, [0, 0, 0], target, ctx.sourceFovY, spec.easing), lookKey(last, end, target, ctx.sourceFovY)];
      break;
    }
    case 'arc': {
      const t = spec.target ?? target;
      vecParam('end', spec.end);
      vecParam('target', t);
      const o0 = sub([0, 0, 0], t);
      const o1 = sub(spec.end, t);
      const r0 = norm(o0);
      const r1 = norm(o1);
      if (r0 < 1e-9) throw new CamtrackError('bad-input', 'The arc target must not be at the source camera.');
      if (r1 < 1e-9) throw new CamtrackError('bad-input', 'The arc must not end on its target.');
      const turn = angleBetween(o0, o1);
      const segments = Math.max(1, Math.ceil(turn / MAX_KEY_DEGREES - 1e-9));
      const frames = [...new Set(Array.from({ length: segments + 1 }, (_, j) => Math.round((j * last) / segments)))];
      keyframes = frames.map((f) => {
        const s = f / last;
        const dir = rotateTowards(o0, o1, s);
        const p = f === last ? spec.end : add(t, scale(dir, r0 + (r1 - r0) * s));
        return f === 0 ? sourceKey(t, ctx.sourceFovY) : lookKey(f, [...p], t, ctx.sourceFovY);
      });
      break;
    }
    case 'spiral': {
      degreesParam(spec.degreesPerFrame);
      finiteParam('dolly', spec.dolly);
      const rise = spec.rise ?? 0;
      finiteParam('rise', rise);
      const d = ctx.targetDepth;
      if (spec.dolly >= d)
        throw new CamtrackError(
          'bad-input',
          `A spiral's dolly (${spec.dolly}) must be less than the target depth (${d}), or the camera reaches the target.`,
        );
      const sign = directionSign(spec.direction);
      keyframes = curveFrames(last, spec.degreesPerFrame).map((f) => {
        const s = f / last;
        const r = d - spec.dolly * s;
        const th = (sign * spec.degreesPerFrame * f * Math.PI) / 180;
        return lookKey(f, [r * Math.sin(th), rise * s, r * Math.cos(th) - d], target, ctx.sourceFovY);
      });
      break;
    }
    case 'zoom': {
      let endFovY: number;
      if (spec.endFovY !== undefined) endFovY = spec.endFovY;
      else {
        const factor = spec.factor ?? 1;
        positive('factor', factor);
        endFovY = fovYFromFocal(focalFromFovY(ctx.sourceFovY, 1) * factor, 1);
      }
      if (!(endFovY > 1 && endFovY < 179))
        throw new CamtrackError(
          'bad-input',
          `The zoom's end field of view must be between 1 and 179 degrees (got ${endFovY}).`,
        );
      keyframes = [fixedKey(0, [0, 0, 0], ctx.sourceFovY, spec.easing), fixedKey(last, [0, 0, 0], endFovY)];
      break;
    }
  }
  const track: Track = {
    numFrames: ctx.numFrames,
    fps: ctx.fps,
    keyframes: keyframes.map((k, i) => ({ ...k, id: `key-${i}` })),
  };
  validateTrack(track);
  return track;
}

/** Key frames of a curved move: every frame turning at most MAX_KEY_DEGREES, plus the last frame. */
function curveFrames(last: number, degreesPerFrame: number): number[] {
  finiteParam('degreesPerFrame', degreesPerFrame);
  const step = degreesPerFrame === 0 ? last : Math.max(1, Math.floor(MAX_KEY_DEGREES / Math.abs(degreesPerFrame)));
  const frames: number[] = [];
  for (let f = 0; f < last; f += step) frames.push(f);
  frames.push(last);
  return frames;
}

type NewKey = Omit<Keyframe, 'id'>;

function lookKey(frame: number, position: Vec3, target: Vec3, fovY: number, easing: Easing = 'linear'): NewKey {
  return { frame, position, orientation: { kind: 'lookAt', target: [...target] }, fovY, easing };
}

function fixedKey(frame: number, position: Vec3, fovY: number, easing: Easing = 'linear'): NewKey {
  return { frame, position, orientation: { kind: 'quaternion', q: [0, 0, 0, 1] }, fovY, easing };
}

/** The frame-0 key: looking at `target` when it is straight ahead (that is the source pose), else the source rotation. */
function sourceKey(target: Vec3, fovY: number): NewKey {
  const ahead = Math.abs(target[0]) < 1e-12 && Math.abs(target[1]) < 1e-12 && target[2] < 0;
  return ahead ? lookKey(0, [0, 0, 0], target, fovY) : fixedKey(0, [0, 0, 0], fovY);
}

/** Direction of `from` turned towards `to` by the fraction s of the angle between them (unit vector). */
function rotateTowards(from: Vec3, to: Vec3, s: number): Vec3 {
  const a = normalize(from)!;
  const b = normalize(to)!;
  // Parallel or opposite vectors leave the plane open: swing level, about the vertical made
  // perpendicular to `from` (or about X when `from` is vertical).
  const n = cross(a, b);
  const axis =
    (norm(n) > 1e-9 ? normalize(n) : null) ?? normalize(sub([0, 1, 0], scale(a, a[1]))) ?? ([1, 0, 0] as Vec3);
  const th = angleBetween(a, b) * (Math.PI / 180) * s;
  // Rodrigues' rotation of a about the axis.
  const c = Math.cos(th);
  const sn = Math.sin(th);
  return add(add(scale(a, c), scale(cross(axis, a), sn)), scale(axis, dot(axis, a) * (1 - c)));
}

/** Angle between two vectors in degrees. */
function angleBetween(a: Vec3, b: Vec3): number {
  return (Math.atan2(norm(cross(a, b)), dot(a, b)) * 180) / Math.PI;
}

function directionSign(d: OrbitDirection | undefined): number {
  if (d !== undefined && d !== 'ccw' && d !== 'cw')
    throw new CamtrackError('bad-input', `An orbit direction is "ccw" or "cw" (got "${d}").`);
  return d === 'cw' ? -1 : 1;
}

function checkContext(ctx: PresetContext): void {
  if (!Number.isInteger(ctx.numFrames) || ctx.numFrames < 2 || ctx.numFrames > 1000) {
    throw new CamtrackError('bad-input', `A track has 2 to 1000 frames (got ${ctx.numFrames}).`);
  }
  if (!(ctx.fps > 0 && ctx.fps <= 240))
    throw new CamtrackError('bad-input', `fps must be in (0, 240] (got ${ctx.fps}).`);
  if (!(ctx.sourceFovY > 1 && ctx.sourceFovY < 179))
    throw new CamtrackError(
      'bad-input',
      `The source field of view must be between 1 and 179 degrees (got ${ctx.sourceFovY}).`,
    );
  positive('targetDepth', ctx.targetDepth);
}

function finiteParam(name: string, v: number): void {
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new CamtrackError('bad-input', `The preset parameter ${name} must be a finite number (got ${v}).`);
}

function positive(name: string, v: number): void {
  finiteParam(name, v);
  if (!(v > 0)) throw new CamtrackError('bad-input', `The preset parameter ${name} must be greater than 0 (got ${v}).`);
}

function vecParam(name: string, v: readonly number[]): void {
  if (!Array.isArray(v) || v.length !== 3 || !v.every(Number.isFinite))
    throw new CamtrackError('bad-input', `The preset parameter ${name} must be three finite numbers x, y, z.`);
}

/** The turn per frame of an orbit or spiral: beyond 90 degrees between frames no video model can follow it (and -1e9 made chaos). */
export const MAX_DEGREES_PER_FRAME = 90;
function degreesParam(v: number): void {
  finiteParam('degreesPerFrame', v);
  if (Math.abs(v) > MAX_DEGREES_PER_FRAME) {
    throw new CamtrackError(
      'bad-input',
      `Degrees per frame must be from -${MAX_DEGREES_PER_FRAME} to ${MAX_DEGREES_PER_FRAME} (got ${v}): a larger turn between frames cannot be followed.`,
    );
  }
}
