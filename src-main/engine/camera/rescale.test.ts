import { describe, expect, it } from 'vitest';
import type { Track } from '../project/schema';
import { evaluateTrack } from './evaluate';
import { sourceIntrinsics } from './intrinsics';
import { focusRatio, rescaleTrack } from './rescale';

const track: Track = {
  numFrames: 25,
  fps: 7,
  keyframes: [
    {
      id: 'a',
      frame: 0,
      position: [0, 0, 0],
      orientation: { kind: 'quaternion', q: [0, 0, 0, 1] },
      fovY: 40,
      easing: 'linear',
    },
    {
      id: 'b',
      frame: 12,
      position: [1, 0.5, -1],
      orientation: { kind: 'lookAt', target: [0, 0, -4] },
      fovY: 40,
      easing: 'easeInOut',
    },
    {
      id: 'c',
      frame: 24,
      position: [-0.5, 0.2, -2],
      orientation: { kind: 'quaternion', q: [0, 0.2588190451, 0, 0.9659258263] },
      fovY: 30,
      easing: 'linear',
    },
  ],
};

describe('rescaling a track with its scene', () => {
  it('scales every position and look-at target about the source camera, keeping rotations and focal lengths', () => {
    const r = rescaleTrack(track, 2.5);
    expect(r.keyframes[0].position).toEqual([0, 0, 0]);
    expect(r.keyframes[1].position).toEqual([2.5, 1.25, -2.5]);
    expect(r.keyframes[1].orientation).toEqual({ kind: 'lookAt', target: [0, 0, -10] });
    expect(r.keyframes[2].orientation).toEqual(track.keyframes[2].orientation);
    expect(r.keyframes.map((k) => [k.fovY, k.frame, k.easing])).toEqual(
      track.keyframes.map((k) => [k.fovY, k.frame, k.easing]),
    );
    expect(r.numFrames).toBe(25);
  });

  it('every evaluated camera lands at ratio x its old position with the same rotation', () => {
    const k = sourceIntrinsics(320, 180);
    const before = evaluateTrack(track, k);
    const after = evaluateTrack(rescaleTrack(track, 0.4), k);
    for (let f = 0; f < before.length; f++) {
      for (const i of [3, 7, 11]) expect(after[f].c2w[i]).toBeCloseTo(0.4 * before[f].c2w[i], 9);
      for (const i of [0, 1, 2, 4, 5, 6, 8, 9, 10]) expect(after[f].c2w[i]).toBeCloseTo(before[f].c2w[i], 9);
      expect(after[f].intrinsics).toEqual(before[f].intrinsics);
    }
  });

  it('rescales only for a real change of the focus depth', () => {
    expect(focusRatio(4, 10)).toBeCloseTo(2.5, 12);
    expect(focusRatio(4, 4.05)).toBeNull();
    expect(focusRatio(NaN, 4)).toBeNull();
    expect(focusRatio(4, 0)).toBeNull();
    expect(() => rescaleTrack(track, 0)).toThrow(/positive finite ratio/);
  });
});
