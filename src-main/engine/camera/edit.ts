import type { Keyframe, ProjectDoc, Track } from '../project/schema';
import { CamtrackError } from '../util/errors';
import type { Intrinsics } from '../geometry/conventions';
import { createTrackEvaluator } from './evaluate';
import { photoCameraForFovY, sourceFovY } from './intrinsics';
import { newKeyId, validateTrack } from './keyframes';
import { qnormalize, quatToMat3 } from './math';
import { lookAtRotation, WORLD_UP } from './pose';

/**
 * Timeline edits as pure functions: each takes a Track and returns a new, validated Track with its
 * keys sorted by frame (the input is never mutated, so undo is keeping the old value). An edit that
 * would break the track (two keys on a frame, a key off the timeline) throws a CamtrackError
 * ('bad-input') saying why, and nothing changes.
 *
 * Frame 0 is the source camera: a key may sit there (it lends its easing and straight-ahead
 * target), but no edit moves or pastes a key onto it, since its pose would be silently ignored.
 */

/** Keys copied from a track, with frames relative to the earliest copied key. */
export interface KeyClipboard {
  keys: Omit<Keyframe, 'id'>[];
}

export type KeyPatch = Partial<Pick<Keyframe, 'position' | 'orientation' | 'fovY' | 'easing'>>;

/**
 * Adds a key at `frame` holding the camera exactly where the track has it there (a look-at key
 * where the camera is aiming at a target, else a quaternion key). Refuses a frame that has a key.
 */
export function insertKeyAt(track: Track, source: Intrinsics, frame: number): Track {
  checkFrame(track, frame, 'insert a key on');
  if (track.keyframes.some((k) => k.frame === frame))
    throw new CamtrackError('bad-input', `Frame ${frame} already has a key.`);
  const s = createTrackEvaluator(track, source).sample(frame);
  const key: Keyframe = {
    id: newKeyId(track.keyframes),
    frame,
    position: s.position,
    orientation: s.lookAt ? lookAtOrientation(s.lookAt.target, s.lookAt.up) : { kind: 'quaternion', q: s.quaternion },
    fovY: s.fovY,
    easing: 'linear',
  };
  return finish(track, [...track.keyframes, key]);
}

/** Removes the keys with these ids (unknown ids are refused, so a stale selection is noticed). */
export function deleteKeys(track: Track, ids: readonly string[]): Track {
  requireIds(track, ids);
  const drop = new Set(ids);
  return finish(
    track,
    track.keyframes.filter((k) => !drop.has(k.id)),
  );
}

/** Moves (retimes) one key to another frame. */
export function moveKey(track: Track, id: string, frame: number): Track {
  const key = requireIds(track, [id])[0];
  return shiftKeys(track, [id], frame - key.frame);
}

/** Moves a selection of keys by `delta` frames together; refuses landing on another key, off the timeline or on frame 0. */
export function shiftKeys(track: Track, ids: readonly string[], delta: number): Track {
  if (!Number.isInteger(delta)) throw new CamtrackError('bad-input', `Keys move by whole frames (got ${delta}).`);
  requireIds(track, ids);
  const moving = new Set(ids);
  const moved = track.keyframes.map((k) => (moving.has(k.id) ? { ...k, frame: k.frame + delta } : k));
  for (const k of moved) {
    if (!moving.has(k.id)) continue;
    if (delta !== 0) checkFrame(track, k.frame, `move key "${k.id}" to`);
    const other = moved.find((o) => o !== k && o.frame === k.frame);
    if (other)
      throw new CamtrackError(
        'bad-input',
        `Key "${k.id}" cannot move to frame ${k.frame}: key "${other.id}" is there. Move or delete that key first.`,
      );
  }
  return finish(track, moved);
}

/** Changes a key's position, orientation, field of view or easing. */
export function updateKey(track: Track, id: string, patch: KeyPatch): Track {
  requireIds(track, [id]);
  return finish(
    track,
    track.keyframes.map((k) => (k.id === id ? { ...k, ...patch } : k)),
  );
}

/**
 * Switches a key between a quaternion and a look-at orientation without turning the camera:
 * a look-at key gets a target `distance` ahead along its view and, when the camera is rolled, the
 * camera's own up axis as `up` (so its rotation is exactly kept).
 */
export function setKeyOrientationKind(track: Track, id: string, kind: 'quaternion' | 'lookAt', distance = 1): Track {
  const key = requireIds(track, [id])[0];
  if (key.orientation.kind === kind) return finish(track, track.keyframes);
  const q =
    key.orientation.kind === 'lookAt'
      ? lookAtRotation(key.position, key.orientation.target, key.orientation.up ?? WORLD_UP)
      : key.orientation.q;
  let orientation: Keyframe['orientation'];
  if (kind === 'quaternion') orientation = { kind, q };
  else {
    if (!(distance > 0 && Number.isFinite(distance)))
      throw new CamtrackError('bad-input', `A look-at distance must be a positive number (got ${distance}).`);
    const r = quatToMat3(qnormalize(q)!);
    const p = key.position;
    const target: [number, number, number] = [p[0] - r[2] * distance, p[1] - r[5] * distance, p[2] - r[8] * distance];
    orientation = lookAtOrientation(target, [r[1], r[4], r[7]]);
  }
  return finish(
    track,
    track.keyframes.map((k) => (k.id === id ? { ...k, orientation } : k)),
  );
}

/** Copies keys (deep) with frames relative to the earliest of them. */
export function copyKeys(track: Track, ids: readonly string[]): KeyClipboard {
  const keys = requireIds(track, ids);
  const first = Math.min(...keys.map((k) => k.frame));
  return {
    keys: keys
      .map(({ id: _id, ...k }) => ({ ...structuredClone(k), frame: k.frame - first }))
      .sort((a, b) => a.frame - b.frame),
  };
}

/** Pastes copied keys with the earliest at `frame`, under new ids. Refuses collisions and frames off the timeline. */
export function pasteKeys(track: Track, clip: KeyClipboard, frame: number): Track {
  if (clip.keys.length === 0) return finish(track, track.keyframes);
  const taken = new Set<string>();
  const pasted: Keyframe[] = clip.keys.map((k) => {
    const f = frame + k.frame;
    checkFrame(track, f, 'paste a key on');
    const clash = track.keyframes.find((o) => o.frame === f);
    if (clash) throw new CamtrackError('bad-input', `Cannot paste on frame ${f}: key "${clash.id}" is there.`);
    const id = newKeyId(track.keyframes, taken);
    taken.add(id);
    return { ...structuredClone(k), id, frame: f };
  });
  return finish(track, [...track.keyframes, ...pasted]);
}

/**
 * Sets the number of frames. 'rescale' (what the UI offers first) keeps the move's shape: each key
 * goes to round(frame * (n - 1) / (old - 1)), so the last frame stays last; refused when two keys
 * would round onto one frame. 'keep' leaves key frames alone; refused when a key would fall off.
 */
export function setNumFrames(track: Track, numFrames: number, mode: 'rescale' | 'keep'): Track {
  if (!Number.isInteger(numFrames) || numFrames < 2 || numFrames > 1000) {
    throw new CamtrackError('bad-input', `A track has 2 to 1000 frames (got ${numFrames}).`);
  }
  let keys = track.keyframes;
  if (mode === 'rescale') {
    const k = (numFrames - 1) / (track.numFrames - 1);
    keys = keys.map((key) => ({ ...key, frame: Math.round(key.frame * k) }));
    const seen = new Map<number, string>();
    for (let i = 0; i < keys.length; i++) {
      const was = seen.get(keys[i].frame);
      if (was !== undefined) {
        throw new CamtrackError(
          'bad-input',
          `At ${numFrames} frames keys "${was}" and "${keys[i].id}" would both land on frame ${keys[i].frame}. Delete one, or choose more frames.`,
        );
      }
      seen.set(keys[i].frame, keys[i].id);
    }
  } else {
    const off = keys.filter((key) => key.frame >= numFrames);
    if (off.length) {
      throw new CamtrackError(
        'bad-input',
        `At ${numFrames} frames ${off.length === 1 ? 'key' : 'keys'} ${off.map((o) => `"${o.id}"`).join(', ')} would fall past the last frame (${numFrames - 1}). Rescale the keys, or delete those first.`,
      );
    }
  }
  return finish({ ...track, numFrames }, keys);
}

function finish(track: Track, keys: readonly Keyframe[]): Track {
  const out: Track = { ...track, keyframes: [...keys].sort((a, b) => a.frame - b.frame) };
  validateTrack(out);
  return out;
}

function requireIds(track: Track, ids: readonly string[]): Keyframe[] {
  return ids.map((id) => {
    const k = track.keyframes.find((key) => key.id === id);
    if (!k) throw new CamtrackError('bad-input', `There is no key "${id}" in the track.`);
    return k;
  });
}

function checkFrame(track: Track, frame: number, what: string): void {
  if (!Number.isInteger(frame) || frame < 0 || frame >= track.numFrames) {
    throw new CamtrackError(
      'bad-input',
      `Cannot ${what} frame ${frame}: the track's frames are 0 to ${track.numFrames - 1}.`,
    );
  }
  if (frame === 0 && what !== 'insert a key on') {
    throw new CamtrackError(
      'bad-input',
      `Cannot ${what} frame 0: frame 0 is the source camera and keeps the photo's pose.`,
    );
  }
}

function lookAtOrientation(target: [number, number, number], up: [number, number, number]): Keyframe['orientation'] {
  const isWorldUp = Math.abs(up[0]) < 1e-9 && Math.abs(up[1] - 1) < 1e-9 && Math.abs(up[2]) < 1e-9;
  return isWorldUp ? { kind: 'lookAt', target } : { kind: 'lookAt', target, up };
}

/**
 * The document with the photo's camera set so that frame 0 is `fovY` degrees tall at the render
 * size (photoCameraForFovY), and the frame-0 key's fovY showing the same (nothing reads that
 * copy: frame 0 always renders the photo's camera). Refuses a document without a photo.
 */
export function withSourceFovY<D extends Pick<ProjectDoc, 'image' | 'render' | 'track'>>(doc: D, fovY: number): D {
  if (!doc.image)
    throw new CamtrackError(
      'bad-input',
      "Frame 0's field of view is the photo's camera: import a photo before setting it.",
    );
  const image = { ...doc.image, intrinsics: photoCameraForFovY(doc.image, doc.render, fovY) };
  const shown = sourceFovY({ image, render: doc.render });
  const keyframes = doc.track.keyframes.map((k) => (k.frame === 0 ? { ...k, fovY: shown } : k));
  return { ...doc, image, track: { ...doc.track, keyframes } };
}
