import { describe, expect, it } from 'vitest';
import { CamtrackError } from '../util/errors';
import { IDENTITY4, type FrameCamera } from '../geometry/conventions';
import { evaluateTrack } from './evaluate';
import { fovYFromFocal, sourceIntrinsics } from './intrinsics';
import { presetTrack, PRESET_KINDS, type PresetContext, type PresetSpec } from './presets';

const SRC = sourceIntrinsics(1024, 576);
const ctx = (numFrames: number, targetDepth = 2.5): PresetContext => ({
  numFrames,
  fps: 24,
  sourceFovY: fovYFromFocal(SRC.fy, 576),
  targetDepth,
});
const run = (spec: PresetSpec, c: PresetContext) => evaluateTrack(presetTrack(spec, c), SRC);
const pos = (c: FrameCamera) => [c.c2w[3], c.c2w[7], c.c2w[11]];
const rot = (c: FrameCamera) => [0, 1, 2, 4, 5, 6, 8, 9, 10].map((i) => c.c2w[i]);
function close(a: readonly number[], b: readonly number[], tol = 1e-12) {
  a.forEach((v, i) => expect(Math.abs(v - b[i]), `entry ${i}: ${v} vs ${b[i]}`).toBeLessThan(tol));
}
/** The camera's -Z axis points at `t`. */
function aimsAt(c: FrameCamera, t: number[], tol = 1e-9) {
  const d = [t[0] - c.c2w[3], t[1] - c.c2w[7], t[2] - c.c2w[11]];
  const n = Math.hypot(...d);
  close(
    [-c.c2w[2], -c.c2w[6], -c.c2w[10]],
    d.map((v) => v / n),
    tol,
  );
}
const YAW90 = [0, 0, 1, 0, 1, 0, -1, 0, 0];

describe('presets', () => {
  it('every preset starts at the source camera and makes an editable keyframed track', () => {
    const specs: PresetSpec[] = [
      { kind: 'orbit', degreesPerFrame: 2 },
      { kind: 'orbit360', frames: 25 },
      { kind: 'dolly', distance: 1 },
      { kind: 'truck', distance: 1 },
      { kind: 'pedestal', distance: 1 },
      { kind: 'crane', height: 1 },
      { kind: 'arc', end: [1, 0.5, -1] },
      { kind: 'spiral', degreesPerFrame: 2, dolly: 1 },
      { kind: 'zoom', factor: 1.5 },
    ];
    expect(specs.map((s) => s.kind)).toEqual(PRESET_KINDS);
    for (const s of specs) {
      const t = presetTrack(s, ctx(25));
      expect(t.numFrames).toBe(25);
      expect(t.keyframes[0].frame).toBe(0);
      expect(t.keyframes[0].position).toEqual([0, 0, 0]);
      expect(t.keyframes.at(-1)!.frame).toBe(24);
      const cams = evaluateTrack(t, SRC);
      expect(cams[0].c2w).toEqual([...IDENTITY4]);
      for (const c of cams) expect(c.c2w.every(Number.isFinite)).toBe(true);
    }
  });

  it('orbit of 90 degrees around a target at (0, 0, -d) ends at (d, 0, -d) with a +90 degree yaw', () => {
    const d = 2.5;
    const t = presetTrack({ kind: 'orbit', degreesPerFrame: 5 }, ctx(19, d));
    expect(t.keyframes.map((k) => k.frame)).toEqual([0, 3, 6, 9, 12, 15, 18]); // a key every 15 degrees
    const cams = evaluateTrack(t, SRC);
    close(pos(cams[18]), [d, 0, -d], 1e-12);
    close(rot(cams[18]), YAW90, 1e-12);
    // Between keys: on the circle to 0.02% of the radius (end segments too), aimed at the target exactly.
    for (let f = 1; f < 18; f++) {
      const p = pos(cams[f]);
      expect(Math.abs(Math.hypot(p[0], p[1], p[2] + d) - d) / d).toBeLessThan(2e-4);
      aimsAt(cams[f], [0, 0, -d]);
    }
    // Clockwise goes the other way.
    close(pos(run({ kind: 'orbit', degreesPerFrame: 5, direction: 'cw' }, ctx(19, d))[18]), [-d, 0, -d], 1e-12);
  });

  it('ellipse radii: across a, in depth b, centred b ahead, looking at the target', () => {
    const cams = run({ kind: 'orbit', degreesPerFrame: 10, radiusX: 1, radiusZ: 3 }, ctx(19, 3));
    close(pos(cams[9]), [1, 0, -3], 1e-12); // 90 degrees
    close(rot(cams[9]), YAW90, 1e-12);
    close(pos(cams[18]), [0, 0, -6], 1e-12); // 180 degrees: behind the target, looking back along +Z
    close(rot(cams[18]), [-1, 0, 0, 0, 1, 0, 0, 0, -1], 1e-12);
  });

  it('dolly, truck and pedestal move straight along -Z, +X and +Y, looking ahead', () => {
    const cases: [PresetSpec, number[]][] = [
      [{ kind: 'dolly', distance: 2 }, [0, 0, -2]],
      [{ kind: 'dolly', distance: -1 }, [0, 0, 1]],
      [{ kind: 'truck', distance: 0.8 }, [0.8, 0, 0]],
      [{ kind: 'pedestal', distance: -0.4 }, [0, -0.4, 0]],
    ];
    for (const [spec, end] of cases) {
      const cams = run(spec, ctx(5));
      close(pos(cams[4]), end);
      close(
        pos(cams[2]),
        end.map((v) => v / 2),
      );
      close(rot(cams[2]), [1, 0, 0, 0, 1, 0, 0, 0, 1]);
    }
  });

  it('crane rises and tilts down to keep the target: a pitch of -atan(h / d)', () => {
    const cams = run({ kind: 'crane', height: 1 }, ctx(9, 2));
    const c = 2 / Math.sqrt(5);
    const s = 1 / Math.sqrt(5);
    close(pos(cams[8]), [0, 1, 0]);
    close(rot(cams[8]), [1, 0, 0, 0, c, s, 0, -s, c], 1e-12);
    for (let f = 1; f <= 8; f++) aimsAt(cams[f], [0, 0, -2]);
    // Without keepTarget it is a pedestal.
    close(rot(run({ kind: 'crane', height: 1, keepTarget: false }, ctx(9, 2))[8]), [1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });

  it('arc swings around the target to the end position, keyed every 15 degrees', () => {
    const d = 2;
    const t = presetTrack({ kind: 'arc', end: [d, 0, -d] }, ctx(13, d));
    expect(t.keyframes.map((k) => k.frame)).toEqual([0, 2, 4, 6, 8, 10, 12]);
    const cams = evaluateTrack(t, SRC);
    close(pos(cams[12]), [d, 0, -d], 1e-12);
    close(rot(cams[12]), YAW90, 1e-12);
    close(pos(cams[6]), [d * Math.SQRT1_2, 0, d * Math.SQRT1_2 - d], 1e-12); // 45 degrees, a key
    for (let f = 1; f <= 12; f++) aimsAt(cams[f], [0, 0, -d]);
    // An off-axis target: the first key keeps the source rotation; the camera aims from frame 1 on.
    const off = presetTrack({ kind: 'arc', end: [1, 1, -1], target: [0.5, 0, -3] }, ctx(10));
    expect(off.keyframes[0].orientation).toEqual({ kind: 'quaternion', q: [0, 0, 0, 1] });
  });

  it('spiral closes in while orbiting (and rises)', () => {
    const cams = run({ kind: 'spiral', degreesPerFrame: 5, dolly: 1, rise: 0.5 }, ctx(19, 3));
    close(pos(cams[18]), [2, 0.5, -3], 1e-12);
    aimsAt(cams[18], [0, 0, -3]);
    close(pos(cams[9]), [2.5 * Math.SQRT1_2, 0.25, 2.5 * Math.SQRT1_2 - 3], 1e-12); // 45 degrees, radius 2.5
  });

  it('zoom changes the focal length with the camera still (2x focal = half the tangent)', () => {
    const cams = run({ kind: 'zoom', factor: 2 }, ctx(5));
    close(cams[4].c2w, [...IDENTITY4], 1e-15);
    expect(cams[4].intrinsics.fy).toBeCloseTo(2 * SRC.fy, 9);
    expect(cams[2].intrinsics.fy).toBeCloseTo(1.5 * SRC.fy, 9); // linear in focal length
    const t = presetTrack({ kind: 'zoom', endFovY: 20 }, ctx(5));
    expect(t.keyframes[1].fovY).toBe(20);
  });

  it('refuses impossible parameters with a message naming them', () => {
    expect(() => presetTrack({ kind: 'spiral', degreesPerFrame: 2, dolly: 3 }, ctx(10, 3))).toThrow(/dolly/);
    expect(() => presetTrack({ kind: 'orbit', degreesPerFrame: 2, radiusX: -1 }, ctx(10))).toThrow(/radiusX/);
    expect(() => presetTrack({ kind: 'zoom', factor: 0 }, ctx(10))).toThrow(CamtrackError);
    expect(() => presetTrack({ kind: 'dolly', distance: NaN }, ctx(10))).toThrow(/distance/);
    expect(() => presetTrack({ kind: 'dolly', distance: 1 }, ctx(1))).toThrow(/2 to 1000 frames/);
    expect(() => presetTrack({ kind: 'orbit', degreesPerFrame: 10, radiusZ: 1.25 }, ctx(19, 2.5))).toThrow(
      /looks at its own position/,
    );
  });
});
