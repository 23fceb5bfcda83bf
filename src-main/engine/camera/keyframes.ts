import type { Easing, Keyframe, ProjectDoc, Track } from '../project/schema';
import { CamtrackError } from '../util/errors';
import { distance, norm, type Vec3 } from './math';

/**
 * Keyframe ordering, validation and easing: the rules every track obeys before it is evaluated.
 */

/**
 * Whether the camera holds still: a track of one key keeps the photo's camera in every frame, so a
 * render is the photo (a video's own motion aside: a locked-off shot of a video is a real shot).
 */
export function isStillCamera(doc: Pick<ProjectDoc, 'track' | 'video'>): boolean {
  return !doc.video && doc.track.keyframes.length < 2;
}

/** Keyframes sorted by frame. Refuses two keys on one frame, naming the frame and both ids. */
export function normalizeKeyframes(keys: readonly Keyframe[]): Keyframe[] {
  const sorted = [...keys].sort((a, b) => a.frame - b.frame);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].frame === sorted[i - 1].frame) {
      throw new CamtrackError(
        'bad-input',
        `Two keyframes are on frame ${sorted[i].frame} ("${sorted[i - 1].id}" and "${sorted[i].id}"). Each frame can hold one key: move or delete one of them.`,
      );
    }
  }
  return sorted;
}

/**
 * Checks what the schema cannot: unique key frames and ids, every key inside the timeline
 * [0, numFrames - 1], non-zero quaternions, look-at targets away from their key's position.
 * Throws a CamtrackError ('bad-input') naming the key; returns the keys sorted by frame.
 */
export function validateTrack(track: Track): Keyframe[] {
  if (!Number.isInteger(track.numFrames) || track.numFrames < 2) {
    throw new CamtrackError('bad-input', `A track needs at least 2 frames (got ${track.numFrames}).`);
  }
  const keys = normalizeKeyframes(track.keyframes);
  const ids = new Set<string>();
  for (const k of keys) {
    if (ids.has(k.id)) throw new CamtrackError('bad-input', `Two keyframes share the id "${k.id}".`);
    ids.add(k.id);
    if (!Number.isInteger(k.frame) || k.frame < 0 || k.frame >= track.numFrames) {
      throw new CamtrackError(
        'bad-input',
        `Keyframe "${k.id}" is on frame ${k.frame}, outside the track's frames 0 to ${track.numFrames - 1}.`,
      );
    }
    if (!k.position.every(Number.isFinite))
      throw new CamtrackError('bad-input', `Keyframe "${k.id}" has a position that is not finite.`);
    if (!(k.fovY > 1 && k.fovY < 179))
      throw new CamtrackError(
        'bad-input',
        `Keyframe "${k.id}" has a field of view of ${k.fovY} degrees; it must be between 1 and 179.`,
      );
    const o = k.orientation;
    if (o.kind === 'quaternion') {
      const n = Math.hypot(...o.q);
      if (!(n > 1e-12) || !Number.isFinite(n))
        throw new CamtrackError('bad-input', `Keyframe "${k.id}" has a zero or non-finite rotation quaternion.`);
    } else {
      if (distance(o.target, k.position as Vec3) < 1e-9) {
        throw new CamtrackError(
          'bad-input',
          `Keyframe "${k.id}" looks at its own position; move its target away from the camera.`,
        );
      }
      if (o.up && !(norm(o.up as Vec3) > 1e-12))
        throw new CamtrackError('bad-input', `Keyframe "${k.id}" has a zero up vector.`);
    }
  }
  return keys;
}

/**
 * Easing curves remapping a segment's time u in [0, 1]: easeIn starts at rest (u^2), easeOut
 * ends at rest (1 - (1 - u)^2), easeInOut does both (smoothstep, 3u^2 - 2u^3).
 */
export function ease(easing: Easing, u: number): number {
  switch (easing) {
    case 'linear':
      return u;
    case 'easeIn':
      return u * u;
    case 'easeOut':
      return u * (2 - u);
    case 'easeInOut':
      return u * u * (3 - 2 * u);
  }
}

/** An id not used by any key of `keys`: "key-N" with the smallest free N (deterministic). */
export function newKeyId(keys: readonly Keyframe[], taken: ReadonlySet<string> = new Set()): string {
  const used = new Set(keys.map((k) => k.id));
  for (let n = 0; ; n++) {
    const id = `key-${n}`;
    if (!used.has(id) && !taken.has(id)) return id;
  }
}
