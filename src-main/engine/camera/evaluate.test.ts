import { describe, expect, it } from 'vitest';
import type { Keyframe, Track } from '../project/schema';
import { CamtrackError } from '../util/errors';
import { IDENTITY4, type FrameCamera } from '../geometry/conventions';
import { createTrackEvaluator, evaluateTrack } from './evaluate';
import { focalFromFovY, fovYFromFocal, sourceIntrinsics } from './intrinsics';
import { ease, normalizeKeyframes } from './keyframes';
import { qmul, qneg, quatAngle, type Quat, type Vec3 } from './math';
import { lookAtPose, lookAtRotation, poseFromPositionQuaternion, positionQuaternionFromPose } from './pose';
import { catmullRomSegment, evalCatmullRom, phantomBefore } from './spline';

const SRC = sourceIntrinsics(1024, 576);
const SRC_FOVY = fovYFromFocal(SRC.fy, SRC.height);
const yaw = (deg: number): Quat => [0, Math.sin((deg * Math.PI) / 360), 0, Math.cos((deg * Math.PI) / 360)];

function key(id: string, frame: number, position: Vec3, extra: Partial<Keyframe> = {}): Keyframe {
  return {
    id,
    frame,
    position,
    orientation: { kind: 'quaternion', q: [0, 0, 0, 1] },
    fovY: SRC_FOVY,
    easing: 'linear',
    ...extra,
  };
}
function track(numFrames: number, keyframes: Keyframe[], extra: Partial<Track> = {}): Track {
  return { numFrames, fps: 24, keyframes, ...extra };
}
const pos = (c: FrameCamera): Vec3 => [c.c2w[3], c.c2w[7], c.c2w[11]];
const quat = (c: FrameCamera): Quat => positionQuaternionFromPose(c.c2w).quaternion;
function expectVec(a: readonly number[], b: readonly number[], tol = 1e-12) {
  a.forEach((v, i) => expect(Math.abs(v - b[i]), `entry ${i}: ${v} vs ${b[i]}`).toBeLessThan(tol));
}

describe('evaluateTrack', () => {
  it('without keys every frame is the source camera', () => {
    const cams = evaluateTrack(track(5, []), SRC);
    expect(cams).toHaveLength(5);
    for (const c of cams) {
      expect(c.c2w).toEqual([...IDENTITY4]);
      expectVec(
        [c.intrinsics.fx, c.intrinsics.fy, c.intrinsics.cx, c.intrinsics.cy],
        [SRC.fx, SRC.fy, SRC.cx, SRC.cy],
        1e-9,
      );
    }
  });

  it('frame 0 is the source camera whatever its key says', () => {
    const off = { ...SRC, cx: 500 }; // an off-centre principal point is kept on frame 0 exactly
    const cams = evaluateTrack(
      track(3, [key('a', 0, [5, 5, 5], { fovY: 90, orientation: { kind: 'quaternion', q: yaw(40) } })]),
      off,
    );
    expect(cams[0].c2w).toEqual([...IDENTITY4]);
    expect(cams[0].intrinsics).toEqual(off);
  });

  it('passes exactly through every key (position, rotation, focal) and holds after the last', () => {
    const keys = [
      key('a', 4, [1, 0, -1], { orientation: { kind: 'quaternion', q: yaw(20) }, fovY: 30 }),
      key('b', 9, [2, 1, -3], { orientation: { kind: 'lookAt', target: [0, 0, -5] }, fovY: 45 }),
    ];
    const cams = evaluateTrack(track(12, keys), SRC);
    expect(cams[4].c2w).toEqual(poseFromPositionQuaternion([1, 0, -1], yaw(20)));
    expect(cams[4].intrinsics.fy).toBe(focalFromFovY(30, 576));
    expect(cams[9].c2w).toEqual(lookAtPose([2, 1, -3], [0, 0, -5]));
    for (const f of [10, 11]) expect(cams[f]).toEqual(cams[9]);
    expect(cams[9].intrinsics).toEqual({
      width: 1024,
      height: 576,
      fx: focalFromFovY(45, 576),
      fy: focalFromFovY(45, 576),
      cx: 512,
      cy: 288,
    });
  });

  it('two keys give a straight line at constant speed (reflected phantom end points)', () => {
    const cams = evaluateTrack(track(11, [key('a', 10, [1, 2, -3])]), SRC);
    for (let f = 0; f <= 10; f++) expectVec(pos(cams[f]), [f / 10, (2 * f) / 10, (-3 * f) / 10], 1e-12);
  });

  it('slerps rotations: the midpoint of 0 and 90 degrees of yaw is 45 degrees, on the short arc', () => {
    for (const q of [yaw(90), qneg(yaw(90))]) {
      const cams = evaluateTrack(track(11, [key('a', 10, [0, 0, 0], { orientation: { kind: 'quaternion', q } })]), SRC);
      expect(quatAngle(quat(cams[5]), yaw(45))).toBeLessThan(1e-9);
      expect(quatAngle(quat(cams[2]), yaw(18))).toBeLessThan(1e-9);
    }
  });

  it('interpolates the field of view linearly in focal length', () => {
    const cams = evaluateTrack(track(11, [key('a', 10, [0, 0, 0], { fovY: 20 })]), SRC);
    const fEnd = focalFromFovY(20, 576);
    expect(cams[5].intrinsics.fy).toBeCloseTo((SRC.fy + fEnd) / 2, 9);
    expect(cams[5].intrinsics.fx).toBeCloseTo(cams[5].intrinsics.fy, 12);
  });

  it('easing remaps segment time for position, rotation and focal', () => {
    expect([ease('easeIn', 0.5), ease('easeOut', 0.5), ease('easeInOut', 0.25)]).toEqual([0.25, 0.75, 0.15625]);
    const cams = evaluateTrack(
      track(11, [
        key('z', 0, [0, 0, 0], { easing: 'easeIn' }),
        key('a', 10, [4, 0, 0], { orientation: { kind: 'quaternion', q: yaw(80) } }),
      ]),
      SRC,
    );
    expectVec(pos(cams[5]), [1, 0, 0], 1e-12); // s = 0.25
    expect(quatAngle(quat(cams[5]), yaw(20))).toBeLessThan(1e-9);
  });

  it('between two look-at keys the camera stays aimed at the moving target', () => {
    const keys = [
      key('o', 0, [0, 0, 0], { orientation: { kind: 'lookAt', target: [0, 0, -4] } }),
      key('a', 8, [3, 1, -2], { orientation: { kind: 'lookAt', target: [0, 0, -4] } }),
      key('b', 16, [2, 0, -6], { orientation: { kind: 'lookAt', target: [1, 0, -4] } }),
    ];
    const ev = createTrackEvaluator(track(17, keys), SRC);
    expect(ev.keys[0].lookAt).toBeDefined(); // the source key keeps its straight-ahead target
    for (let f = 1; f <= 16; f++) {
      const c = ev.at(f);
      const s = ev.sample(f);
      const target: Vec3 = f <= 8 ? [0, 0, -4] : [(f - 8) / 8, 0, -4];
      expectVec(s.lookAt!.target, target, 1e-12);
      // The camera's -Z axis points from its position to the target.
      const d = [target[0] - c.c2w[3], target[1] - c.c2w[7], target[2] - c.c2w[11]];
      const n = Math.hypot(...d);
      expectVec(
        [-c.c2w[2], -c.c2w[6], -c.c2w[10]],
        d.map((v) => v / n),
        1e-9,
      );
    }
  });

  it('coincident keys hold still without NaN, and neighbours on the same point do not break the spline', () => {
    const keys = [
      key('a', 3, [1, 0, -1]),
      key('b', 6, [1, 0, -1]),
      key('c', 9, [1, 0, -1]),
      key('d', 12, [2, 0, -1]),
      key('e', 13, [2, 0, -1]),
    ];
    const cams = evaluateTrack(track(15, keys), SRC);
    for (const c of cams) expect(c.c2w.every(Number.isFinite)).toBe(true);
    for (let f = 3; f <= 9; f++) expectVec(pos(cams[f]), [1, 0, -1], 1e-12);
    for (let f = 10; f < 12; f++) expect(pos(cams[f])[0]).toBeGreaterThan(1);
  });

  it('squad passes through the keys and turns without the velocity jump slerp has at a key', () => {
    // Yaw, then pitch, then roll: the turn changes axis at every key.
    const pitch45: Quat = [Math.sin(Math.PI / 8), 0, 0, Math.cos(Math.PI / 8)];
    const roll30: Quat = [0, 0, Math.sin(Math.PI / 12), Math.cos(Math.PI / 12)];
    const q = [yaw(0), yaw(60), qmul(yaw(60), pitch45), qmul(qmul(yaw(60), pitch45), roll30)];
    const keys = [
      key('a', 10, [0, 0, 0], { orientation: { kind: 'quaternion', q: q[1] } }),
      key('b', 20, [0, 0, 0], { orientation: { kind: 'quaternion', q: q[2] } }),
      key('c', 30, [0, 0, 0], { orientation: { kind: 'quaternion', q: q[3] } }),
    ];
    const jump = (mode: 'slerp' | 'squad') => {
      const ev = createTrackEvaluator(track(31, keys, { rotationInterpolation: mode }), SRC);
      expect(quatAngle(ev.sample(20).quaternion, q[2])).toBeLessThan(1e-12);
      const h = 1e-4;
      const vIn = quatAngle(ev.sample(20 - h).quaternion, ev.sample(20).quaternion) / h;
      const vOut = quatAngle(ev.sample(20).quaternion, ev.sample(20 + h).quaternion) / h;
      // Angular velocity vectors differ in direction under slerp: compare the turn across the key.
      const across = quatAngle(ev.sample(20 - h).quaternion, ev.sample(20 + h).quaternion) / (2 * h);
      return { vIn, vOut, across };
    };
    const sl = jump('slerp');
    const sq = jump('squad');
    // With C1 rotation, turning h before and after the key adds up (across ~ in ~ out).
    expect(Math.abs(sq.across - sq.vIn) / sq.vIn).toBeLessThan(1e-3);
    expect(Math.abs(sq.vOut - sq.vIn) / sq.vIn).toBeLessThan(1e-3);
    expect(Math.abs(sl.across - sl.vIn) / sl.vIn).toBeGreaterThan(0.05);
  });

  it('refuses duplicate frames and keys outside the timeline', () => {
    expect(() => normalizeKeyframes([key('a', 3, [0, 0, 0]), key('b', 3, [1, 0, 0])])).toThrow(
      /frame 3 \("a" and "b"\)/,
    );
    expect(() => evaluateTrack(track(5, [key('a', 5, [0, 0, 0])]), SRC)).toThrow(CamtrackError);
    expect(() =>
      evaluateTrack(track(5, [key('a', 2, [0, 0, 0], { orientation: { kind: 'lookAt', target: [0, 0, 0] } })]), SRC),
    ).toThrow(/own position/);
    expect(normalizeKeyframes([key('b', 5, [0, 0, 0]), key('a', 1, [0, 0, 0])]).map((k) => k.id)).toEqual(['a', 'b']);
  });
});

describe('centripetal Catmull-Rom', () => {
  const pts: Vec3[] = [
    [0, 0, 0],
    [1, 2, -1],
    [3, 2.5, -1.5],
    [3.2, 0, -4],
    [6, 1, -4.5],
  ];

  it('is C1 in its knot parameter across every interior point', () => {
    for (let i = 1; i + 1 < pts.length; i++) {
      const left = catmullRomSegment(pts, i - 1);
      const right = catmullRomSegment(pts, i);
      const dtL = left.t[2] - left.t[1];
      const dtR = right.t[2] - right.t[1];
      const h = 1e-6;
      const a = evalCatmullRom(left, 1 - h);
      const b = evalCatmullRom(left, 1);
      const c = evalCatmullRom(right, h);
      expectVec(b, pts[i], 1e-12);
      const dL = [0, 1, 2].map((k) => (b[k] - a[k]) / (h * dtL));
      const dR = [0, 1, 2].map((k) => (c[k] - b[k]) / (h * dtR));
      expectVec(dL, dR, 1e-4);
    }
  });

  it('extrapolates end phantoms with constant turning: on a circle they are the true neighbours', () => {
    const on = (deg: number): Vec3 => [Math.sin((deg * Math.PI) / 180), 0, Math.cos((deg * Math.PI) / 180)];
    expectVec(phantomBefore(on(0), on(20), on(40)), on(-20), 1e-12);
    expectVec(phantomBefore(on(40), on(20), on(0)), on(60), 1e-12);
    // On a line, or turning 90 degrees or more, or without a third point: the reflection.
    expectVec(phantomBefore([0, 0, 0], [1, 0, 0], [2, 0, 0]), [-1, 0, 0]);
    expectVec(phantomBefore([0, 0, 0], [1, 0, 0], [1, -1, 0]), [-1, 0, 0]);
    expectVec(phantomBefore([0, 0, 0], [1, 2, 3], undefined), [-1, -2, -3]);
  });

  it('in frame time the direction is continuous at a key even with uneven timing (G1)', () => {
    const keys = [key('a', 3, [1, 0.5, -1]), key('b', 11, [1.5, 1, -3]), key('c', 13, [3, 0.8, -3.5])];
    const ev = createTrackEvaluator(track(14, keys), SRC);
    for (const f of [3, 11]) {
      const h = 1e-5;
      const p = ev.sample(f).position;
      const l = ev.sample(f - h).position;
      const r = ev.sample(f + h).position;
      const dl = [0, 1, 2].map((i) => p[i] - l[i]);
      const dr = [0, 1, 2].map((i) => r[i] - p[i]);
      const cos = (dl[0] * dr[0] + dl[1] * dr[1] + dl[2] * dr[2]) / (Math.hypot(...dl) * Math.hypot(...dr));
      expect(cos).toBeGreaterThan(1 - 1e-6);
    }
  });

  it('has no cusp within a segment even for a tight turn (the centripetal property)', () => {
    const tight: Vec3[] = [
      [0, 0, 0],
      [1, 0, 0],
      [1.01, 0.01, 0],
      [0, 0.02, 0],
    ];
    const seg = catmullRomSegment(tight, 1);
    let prev = evalCatmullRom(seg, 0);
    for (let j = 1; j <= 200; j++) {
      const p = evalCatmullRom(seg, j / 200);
      expect(Math.hypot(p[0] - prev[0], p[1] - prev[1])).toBeGreaterThan(0);
      prev = p;
    }
    // It stays near its chord instead of looping out (uniform Catmull-Rom overshoots here).
    for (let j = 0; j <= 20; j++) expect(evalCatmullRom(seg, j / 20)[0]).toBeLessThan(1.03);
  });

  it('a look-at rotation and evaluate agree on key orientation', () => {
    const q = lookAtRotation([1, 2, 3], [0, 0, -1]);
    const cams = evaluateTrack(
      track(3, [key('a', 1, [1, 2, 3], { orientation: { kind: 'lookAt', target: [0, 0, -1] } })]),
      SRC,
    );
    expect(quatAngle(quat(cams[1]), q)).toBeLessThan(1e-7);
  });
});
