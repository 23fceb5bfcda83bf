import { describe, expect, it } from 'vitest';
import { PRESET_KINDS, presetTrack } from '../../../src-main/engine/camera/presets';
import { createTrackEvaluator } from '../../../src-main/engine/camera/evaluate';
import { sourceIntrinsics } from '../../../src-main/engine/camera/intrinsics';
import { defaults, PRESET_PARAMS, specFromValues } from './presetParams';

const ctx = { numFrames: 25, fps: 7, sourceFovY: 36, targetDepth: 8 };

describe('presets panel fields', () => {
  it('offers every engine preset, and its defaults make a valid track that moves the camera', () => {
    expect(Object.keys(PRESET_PARAMS).sort()).toEqual([...PRESET_KINDS].sort());
    const k = sourceIntrinsics(1024, 576);
    for (const kind of PRESET_KINDS) {
      const track = presetTrack(specFromValues(kind, defaults(kind, ctx.targetDepth)), ctx);
      const last = createTrackEvaluator(track, k).at(24);
      const moved =
        Math.hypot(last.c2w[3], last.c2w[7], last.c2w[11]) > 1e-6 || Math.abs(last.intrinsics.fy - k.fy) > 1e-6;
      expect(moved, kind).toBe(true);
    }
  });

  it('parses typed values and names the field it refuses', () => {
    expect(specFromValues('arc', { end: '1, 0.5 -2' })).toEqual({ kind: 'arc', end: [1, 0.5, -2] });
    expect(specFromValues('crane', { height: '2', keepTarget: false, easing: 'easeIn' })).toEqual({
      kind: 'crane',
      height: 2,
      keepTarget: false,
      easing: 'easeIn',
    });
    expect(() => specFromValues('dolly', { distance: 'far', easing: 'linear' })).toThrow(
      'Distance: "far" is not a number.',
    );
    expect(() => specFromValues('arc', { end: '1, 2' })).toThrow(/End position: give three numbers/);
  });
});
