import { describe, expect, it } from 'vitest';
import type { Track } from '../project/schema';
import { CamtrackError } from '../util/errors';
import {
  copyKeys,
  deleteKeys,
  insertKeyAt,
  moveKey,
  pasteKeys,
  setKeyOrientationKind,
  setNumFrames,
  shiftKeys,
  updateKey,
} from './edit';
import { evaluateTrack } from './evaluate';
import { checkFrameCount, SVD_FRAME_COUNTS } from './frame-count';
import { fovYFromFocal, sourceIntrinsics } from './intrinsics';
import { presetTrack } from './presets';

const SRC = sourceIntrinsics(1024, 576);
const FOVY = fovYFromFocal(SRC.fy, 576);
const base = (): Track => ({
  numFrames: 25,
  fps: 24,
  keyframes: [
    {
      id: 'a',
      frame: 0,
      position: [0, 0, 0],
      orientation: { kind: 'quaternion', q: [0, 0, 0, 1] },
      fovY: FOVY,
      easing: 'linear',
    },
    {
      id: 'b',
      frame: 8,
      position: [1, 0, -1],
      orientation: { kind: 'quaternion', q: [0, 0.2, 0, 0.98] },
      fovY: 40,
      easing: 'easeOut',
    },
    {
      id: 'c',
      frame: 16,
      position: [2, 0.5, -1],
      orientation: { kind: 'lookAt', target: [0, 0, -4] },
      fovY: 35,
      easing: 'linear',
    },
  ],
});
const frames = (t: Track) => t.keyframes.map((k) => `${k.id}@${k.frame}`);

describe('keyframe edits', () => {
  it('insertKeyAt adds a key holding the evaluated camera, so the frame does not move', () => {
    const t = base();
    const before = evaluateTrack(t, SRC)[12];
    const t2 = insertKeyAt(t, SRC, 12);
    expect(frames(t2)).toEqual(['a@0', 'b@8', 'key-0@12', 'c@16']);
    const after = evaluateTrack(t2, SRC)[12];
    after.c2w.forEach((v, i) => expect(Math.abs(v - before.c2w[i])).toBeLessThan(1e-12));
    expect(after.intrinsics.fy).toBeCloseTo(before.intrinsics.fy, 9);
    expect(t.keyframes).toHaveLength(3); // the input is untouched
    expect(() => insertKeyAt(t, SRC, 8)).toThrow(/Frame 8 already has a key/);
    expect(() => insertKeyAt(t, SRC, 25)).toThrow(/frames are 0 to 24/);
  });

  it('a key inserted between look-at keys stays a look-at key on the interpolated target', () => {
    const orbit = presetTrack(
      { kind: 'orbit', degreesPerFrame: 5 },
      { numFrames: 19, fps: 24, sourceFovY: FOVY, targetDepth: 2 },
    );
    const t = insertKeyAt(orbit, SRC, 4);
    const k = t.keyframes.find((key) => key.frame === 4)!;
    expect(k.orientation).toEqual({ kind: 'lookAt', target: [0, 0, -2] });
  });

  it('deletes, moves, shifts and updates keys, refusing collisions', () => {
    const t = base();
    expect(frames(deleteKeys(t, ['b']))).toEqual(['a@0', 'c@16']);
    expect(() => deleteKeys(t, ['zz'])).toThrow(/no key "zz"/);
    expect(frames(moveKey(t, 'c', 3))).toEqual(['a@0', 'c@3', 'b@8']);
    expect(() => moveKey(t, 'c', 8)).toThrow(/key "b" is there/);
    expect(() => moveKey(t, 'b', 0)).toThrow(/frame 0 is the source camera/);
    expect(() => moveKey(t, 'b', 30)).toThrow(/frames are 0 to 24/);
    expect(frames(shiftKeys(t, ['b', 'c'], 8))).toEqual(['a@0', 'b@16', 'c@24']); // b lands where c was: fine, c moves too
    expect(() => shiftKeys(t, ['b', 'c'], 9)).toThrow(CamtrackError);
    const u = updateKey(t, 'b', { position: [3, 3, 3], easing: 'easeIn' });
    expect(u.keyframes[1]).toMatchObject({ id: 'b', frame: 8, position: [3, 3, 3], easing: 'easeIn' });
    expect(() => updateKey(t, 'c', { position: [0, 0, -4] })).toThrow(/looks at its own position/);
    expect(() => updateKey(t, 'b', { fovY: 0.5 })).toThrow(/between 1 and 179/);
  });

  it('switches a key between quaternion and look-at without turning the camera', () => {
    const t = base();
    const before = evaluateTrack(t, SRC)[8];
    const l = setKeyOrientationKind(t, 'b', 'lookAt', 2);
    const o = l.keyframes[1].orientation;
    expect(o.kind).toBe('lookAt');
    // 2 ahead along the view: -Z column of the rotation.
    if (o.kind === 'lookAt') expect(Math.hypot(o.target[0] - 1, o.target[1], o.target[2] + 1)).toBeCloseTo(2, 12);
    evaluateTrack(l, SRC)[8].c2w.forEach((v, i) => expect(Math.abs(v - before.c2w[i])).toBeLessThan(1e-12));
    const q = setKeyOrientationKind(l, 'b', 'quaternion');
    evaluateTrack(q, SRC)[8].c2w.forEach((v, i) => expect(Math.abs(v - before.c2w[i])).toBeLessThan(1e-12));
    // A rolled camera keeps its roll through its own up vector.
    const rolled = updateKey(t, 'b', { orientation: { kind: 'quaternion', q: [0.1, 0.3, 0.2, 0.92] } });
    const r0 = evaluateTrack(rolled, SRC)[8];
    const rl = setKeyOrientationKind(rolled, 'b', 'lookAt');
    expect(rl.keyframes[1].orientation).toHaveProperty('up');
    evaluateTrack(rl, SRC)[8].c2w.forEach((v, i) => expect(Math.abs(v - r0.c2w[i])).toBeLessThan(1e-12));
    expect(() => setKeyOrientationKind(t, 'b', 'lookAt', 0)).toThrow(/positive/);
  });

  it('copies and pastes keys with a frame offset under new ids', () => {
    const t = base();
    const clip = copyKeys(t, ['c', 'b']);
    expect(clip.keys.map((k) => k.frame)).toEqual([0, 8]);
    const p = pasteKeys(deleteKeys(t, ['c']), clip, 12);
    expect(frames(p)).toEqual(['a@0', 'b@8', 'key-0@12', 'key-1@20']);
    expect(p.keyframes[2].position).toEqual([1, 0, -1]);
    expect(p.keyframes[3].orientation).toEqual({ kind: 'lookAt', target: [0, 0, -4] });
    expect(() => pasteKeys(t, clip, 8)).toThrow(/Cannot paste on frame 8/);
    expect(() => pasteKeys(t, clip, 20)).toThrow(/frame 28/);
    // The clipboard is a copy: editing the pasted track does not reach the source.
    p.keyframes[2].position[0] = 99;
    expect(t.keyframes[1].position[0]).toBe(1);
  });

  it('sets the frame count by rescaling keys, or keeping them, refusing what would break', () => {
    const t = base();
    const r = setNumFrames(t, 14, 'rescale'); // 24 -> 13 frames of span: 8 -> 4.33 -> 4, 16 -> 8.67 -> 9
    expect(r.numFrames).toBe(14);
    expect(frames(r)).toEqual(['a@0', 'b@4', 'c@9']);
    expect(frames(setNumFrames(t, 17, 'keep'))).toEqual(['a@0', 'b@8', 'c@16']);
    expect(() => setNumFrames(t, 16, 'keep')).toThrow(/"c" would fall past the last frame \(15\)/);
    expect(() => setNumFrames(t, 2, 'rescale')).toThrow(/would both land on frame/);
    expect(() => setNumFrames(t, 1, 'rescale')).toThrow(/2 to 1000/);
  });
});

describe('checkFrameCount', () => {
  it('accepts a count the model renders and explains any other', () => {
    expect(checkFrameCount(25, [SVD_FRAME_COUNTS['svd-xt']])).toBeNull();
    expect(checkFrameCount(14, [14, 25])).toBeNull();
    expect(checkFrameCount(30, [])).toBeNull();
    expect(checkFrameCount(24, [25])).toBe(
      'The chosen model renders 25 frames, but the track has 24. Set the track to 25 frames (keys can be rescaled) or choose a model that renders 24.',
    );
    expect(checkFrameCount(16, [25, 14])).toMatch(
      /renders 14 or 25 frames, but the track has 16\. Set the track to 14 frames/,
    );
    expect(checkFrameCount(1.5, [14])).toMatch(/whole number/);
    // Longer than the model renders in windows: not a problem.
    expect(checkFrameCount(60, [14, 25])).toBeNull();
  });
});
