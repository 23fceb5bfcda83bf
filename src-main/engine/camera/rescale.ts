import type { Keyframe, Track } from '../project/schema';
import { CamtrackError } from '../util/errors';

/**
 * Keeping a camera track with its scene when the scene's scale changes (a new depth mapping, a
 * new depth, another shape distance). Every world position of the track is scaled about the
 * source camera, the world origin (frame 0 is the identity pose), by the ratio of the scene's focus
 * depths (its median z) after and before: the camera stays where it was relative to the scene.
 * Rotations and focal lengths do not change with scale.
 */

/** Ratios closer to 1 than this leave the track alone (a shape nudged, a mapping rounded). */
export const RESCALE_TOLERANCE = 0.02;

/** newFocus / oldFocus, or null when either is unknown or the two agree within RESCALE_TOLERANCE. */
export function focusRatio(oldFocus: number, newFocus: number): number | null {
  if (!(oldFocus > 0 && newFocus > 0 && Number.isFinite(oldFocus) && Number.isFinite(newFocus))) return null;
  const r = newFocus / oldFocus;
  return Math.abs(r - 1) <= RESCALE_TOLERANCE ? null : r;
}

/** The track with every key's position (and look-at target) scaled by `ratio` about the source camera. */
export function rescaleTrack(track: Track, ratio: number): Track {
  if (!(ratio > 0 && Number.isFinite(ratio)))
    throw new CamtrackError('bad-input', `A track is rescaled by a positive finite ratio (got ${ratio}).`);
  const s = (v: readonly [number, number, number]): [number, number, number] => [
    v[0] * ratio,
    v[1] * ratio,
    v[2] * ratio,
  ];
  const key = (k: Keyframe): Keyframe => ({
    ...k,
    position: s(k.position),
    orientation:
      k.orientation.kind === 'lookAt' ? { ...k.orientation, target: s(k.orientation.target) } : k.orientation,
  });
  return { ...track, keyframes: track.keyframes.map(key) };
}
