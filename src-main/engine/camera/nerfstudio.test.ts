import { describe, expect, it } from 'vitest';
import { Track } from '../project/schema';
import { CamtrackError } from '../util/errors';
import { IDENTITY4, mat4Multiply, type FrameCamera } from '../geometry/conventions';
import { evaluateTrack } from './evaluate';
import { fovYFromFocal, sourceIntrinsics } from './intrinsics';
import {
  cameraPathFromFrames,
  exportCameraPath,
  importCameraPath,
  parseCameraPath,
  parseCameraPathFile,
  stringifyCameraPath,
} from './nerfstudio';
import { lookAtPose, rigidPoseProblem } from './pose';
import { presetTrack } from './presets';
import { parseTrack, stringifyTrack } from './track-json';

const SRC = sourceIntrinsics(1024, 576);
const FOVY = fovYFromFocal(SRC.fy, 576);

/** A track using every feature: look-at and quaternion keys, easing, squad, a zoom. */
function richTrack(): Track {
  return {
    numFrames: 25,
    fps: 12,
    rotationInterpolation: 'squad',
    keyframes: [
      {
        id: 'a',
        frame: 0,
        position: [0, 0, 0],
        orientation: { kind: 'lookAt', target: [0, 0, -3] },
        fovY: FOVY,
        easing: 'easeInOut',
      },
      {
        id: 'b',
        frame: 6,
        position: [0.8, 0.2, -0.5],
        orientation: { kind: 'lookAt', target: [0, 0, -3] },
        fovY: 40,
        easing: 'easeOut',
      },
      {
        id: 'c',
        frame: 14,
        position: [1.5, -0.1, -2],
        orientation: { kind: 'quaternion', q: [0.05, 0.4, -0.02, 0.91] },
        fovY: 30,
        easing: 'linear',
      },
      {
        id: 'd',
        frame: 21,
        position: [1.2, 0.4, -3.5],
        orientation: { kind: 'lookAt', target: [-0.5, 0, -4], up: [0.1, 1, 0] },
        fovY: 55,
        easing: 'easeIn',
      },
    ],
  };
}

function maxDiff(a: FrameCamera[], b: FrameCamera[]): { pose: number; k: number } {
  let pose = 0;
  let k = 0;
  a.forEach((c, i) => {
    c.c2w.forEach((v, j) => (pose = Math.max(pose, Math.abs(v - b[i].c2w[j]))));
    for (const f of ['fx', 'fy', 'cx', 'cy', 'width', 'height'] as const)
      k = Math.max(k, Math.abs(c.intrinsics[f] - b[i].intrinsics[f]));
  });
  return { pose, k };
}

describe('nerfstudio camera_path.json', () => {
  it('writes one camera per frame: camera_to_world is our pose, fov vertical, aspect w/h', () => {
    const t = richTrack();
    const path = exportCameraPath(t, SRC);
    expect(path.camera_path).toHaveLength(25);
    expect(path).toMatchObject({
      camera_type: 'perspective',
      render_width: 1024,
      render_height: 576,
      fps: 12,
      seconds: 25 / 12,
    });
    const cams = evaluateTrack(t, SRC);
    expect(path.camera_path[7].camera_to_world).toEqual(cams[7].c2w);
    expect(path.camera_path[0].camera_to_world).toEqual([...IDENTITY4]);
    expect(path.camera_path[0].fov).toBeCloseTo(FOVY, 12);
    expect(path.camera_path[6].fov).toBeCloseTo(40, 12);
    expect(path.camera_path[3].aspect).toBeCloseTo(1024 / 576, 12);
  });

  it('export -> import -> evaluate reproduces every pose and intrinsics to 1e-6', () => {
    for (const t of [
      richTrack(),
      presetTrack(
        { kind: 'spiral', degreesPerFrame: 4, dolly: 1, rise: 0.3 },
        { numFrames: 14, fps: 7, sourceFovY: FOVY, targetDepth: 3 },
      ),
    ]) {
      const before = evaluateTrack(t, SRC);
      const text = stringifyCameraPath(exportCameraPath(t, SRC));
      const { track, source } = importCameraPath(text);
      expect(track.numFrames).toBe(t.numFrames);
      expect(track.fps).toBe(t.fps);
      expect(track.keyframes.every((k) => k.orientation.kind === 'quaternion')).toBe(true);
      const after = evaluateTrack(track, source);
      const d = maxDiff(before, after);
      expect(d.pose).toBeLessThan(1e-6);
      expect(d.k).toBeLessThan(1e-6);
      expect(d.pose).toBeLessThan(1e-12); // in fact exact to rounding
      // And the track itself survives the project's own JSON.
      expect(parseTrack(stringifyTrack(track))).toEqual(track);
    }
  });

  it("re-expresses every pose relative to the path's first camera", () => {
    const world = lookAtPose([5, 1, 2], [0, 0, 0]); // where the photo was taken, in some other world
    const rel = lookAtPose([0.5, 0.1, -0.3], [0, 0, -4]);
    const path = cameraPathFromFrames(
      [
        { c2w: world, intrinsics: SRC },
        { c2w: mat4Multiply(world, rel), intrinsics: SRC },
      ],
      24,
    );
    const frames = parseCameraPathFile(JSON.stringify(path));
    frames[0].c2w.forEach((v, i) => expect(Math.abs(v - IDENTITY4[i])).toBeLessThan(1e-12));
    frames[1].c2w.forEach((v, i) => expect(Math.abs(v - rel[i])).toBeLessThan(1e-12));
    const { track } = importCameraPath(JSON.stringify(path));
    const cams = evaluateTrack(track, frames[0].intrinsics);
    cams[1].c2w.forEach((v, i) => expect(Math.abs(v - rel[i])).toBeLessThan(1e-12));
  });

  it('accepts the minimal form (no keyframes, no aspect, fps from seconds or default, size from options)', () => {
    const minimal = {
      camera_path: [
        { camera_to_world: [...IDENTITY4], fov: 50 },
        { camera_to_world: [1, 0, 0, 0.1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], fov: 50 },
      ],
      seconds: 0.5,
    };
    const p = parseCameraPath(JSON.stringify(minimal), { width: 640, height: 480 });
    expect(p.fps).toBe(4);
    expect(p.frames[1].intrinsics.fx).toBeCloseTo(p.frames[1].intrinsics.fy, 12);
    expect(p.frames[1].c2w[3]).toBeCloseTo(0.1, 15);
    // Rows nested as 4 x 4, and rotations rounded to 4 decimals, are accepted (and made rigid).
    const c = Math.cos(0.3);
    const sn = Math.sin(0.3);
    const rounded = [
      [+c.toFixed(4), 0, +sn.toFixed(4), 1],
      [0, 1, 0, 0],
      [-+sn.toFixed(4), 0, +c.toFixed(4), 2],
      [0, 0, 0, 1],
    ];
    const nested = parseCameraPath(
      JSON.stringify({ ...minimal, camera_path: [minimal.camera_path[0], { camera_to_world: rounded, fov: 50 }] }),
      { width: 64, height: 64 },
    );
    expect(rigidPoseProblem(nested.frames[1].c2w, 1e-12)).toBeNull();
    expect(nested.frames[1].c2w[2]).toBeCloseTo(sn, 4);
    const noTime = { ...minimal, seconds: undefined, render_width: 64, render_height: 64 };
    expect(parseCameraPath(JSON.stringify(noTime)).fps).toBe(24);
  });

  it('refuses bad files with a CamtrackError naming the problem', () => {
    const cam = { camera_to_world: [...IDENTITY4], fov: 50, aspect: 1 };
    const doc = (over: object) =>
      JSON.stringify({ render_width: 64, render_height: 64, fps: 8, camera_path: [cam, cam], ...over });
    const cases: [string, RegExp][] = [
      ['{"camera_path": [', /not JSON/],
      ['[1, 2]', /not a JSON object/],
      [JSON.stringify({ render_width: 4, render_height: 4 }), /no "camera_path"/],
      [doc({ camera_path: [] }), /non-empty list/],
      [
        doc({ camera_path: [cam, { ...cam, camera_to_world: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0] }] }),
        /camera 1 .* 12 numbers/,
      ],
      [
        doc({ camera_path: [{ ...cam, camera_to_world: [2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1] }] }),
        /camera 0 .* not a rigid camera pose: .*orthonormal/,
      ],
      [
        doc({ camera_path: [{ ...cam, camera_to_world: [1.01, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1] }] }),
        /orthonormal/,
      ],
      [
        doc({ camera_path: [{ ...cam, camera_to_world: [1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1] }] }),
        /reflection/,
      ],
      [
        doc({ camera_path: [{ ...cam, camera_to_world: [1, 0, 0, null, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1] }] }),
        /finite/,
      ],
      [doc({ camera_path: [{ ...cam, fov: 0 }] }), /"fov"/],
      [doc({ camera_path: [{ ...cam, aspect: -1 }] }), /"aspect"/],
      [doc({ render_width: 12.5 }), /"render_width" must be a positive whole number/],
      [JSON.stringify({ camera_path: [cam] }), /no "render_width"/],
      [doc({ fps: 'fast' }), /"fps"/],
    ];
    for (const [text, re] of cases) {
      let err: unknown;
      try {
        parseCameraPath(text);
      } catch (e) {
        err = e;
      }
      expect(err, text).toBeInstanceOf(CamtrackError);
      expect((err as CamtrackError).code).toBe('bad-file');
      expect((err as CamtrackError).message).toMatch(re);
    }
    expect(() => importCameraPath(doc({ camera_path: [cam] }))).toThrow(/1 camera; a track has 2 to 1000 frames/);
  });

  // Issue 12, item 8: every imported track passes the project schema, or the file is refused naming the camera.
  it("refuses a fov outside the schema's (1, 179), naming the camera", () => {
    const cam = { camera_to_world: [...IDENTITY4], fov: 50, aspect: 1 };
    const doc = (fov: number) =>
      JSON.stringify({ render_width: 64, render_height: 64, fps: 8, camera_path: [cam, { ...cam, fov }, cam] });
    for (const fov of [0.5, 1, 179, 179.5]) {
      expect(() => importCameraPath(doc(fov)), String(fov)).toThrow(
        /camera 1 of "camera_path" needs a vertical "fov" in degrees between 1 and 179/,
      );
    }
    const ok = importCameraPath(doc(1.5)).track;
    expect(ok.keyframes[1].fovY).toBeCloseTo(1.5, 9);
    expect(Track.safeParse(ok).success).toBe(true);
  });

  it('refuses absurd or overflowing translations instead of returning Infinity', () => {
    const at = (x: number) => ({
      camera_to_world: [1, 0, 0, x, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1],
      fov: 50,
      aspect: 1,
    });
    const doc = (a: number, b: number) =>
      JSON.stringify({ render_width: 64, render_height: 64, fps: 8, camera_path: [at(a), at(b)] });
    // The old reader re-expressed 1e308 relative to -1e308 and returned a position of Infinity.
    expect(() => importCameraPath(doc(-1e308, 1e308))).toThrow(
      /camera 0 of "camera_path" is 1\.00e\+308 units from the origin/,
    );
    expect(() => importCameraPath(doc(0, 2e6))).toThrow(/camera 1 of "camera_path" is 2\.00e\+6 units/);
    const far = importCameraPath(doc(-1e6, 1e6)).track;
    expect(far.keyframes[1].position[0]).toBe(2e6);
    expect(Track.safeParse(far).success).toBe(true);
    expect(() =>
      parseCameraPath(
        JSON.stringify({ render_width: 4, render_height: 4, seconds: 5e-324, camera_path: [at(0), at(1)] }),
      ),
    ).toThrow(/"seconds" is too small/);
  });

  it('refuses a path with too many cameras before reading them (300k cameras: fast, no per-camera work)', () => {
    const cam = JSON.stringify({ camera_to_world: [...IDENTITY4], fov: 50, aspect: 1 });
    const head = '{"render_width": 64, "render_height": 64, "fps": 8, "camera_path": [';
    const huge = `${head}${Array(300_000).fill(cam).join(',')}]}`;
    const t0 = performance.now();
    expect(() => importCameraPath(huge)).toThrow(/more than 1000 cameras can take/);
    const importMs = performance.now() - t0;
    // Refused from the text's size, before JSON.parse: microseconds (the old reader took about 4 s and 390 MB).
    expect(importMs).toBeLessThan(1000);
    // Read for a warp (up to 10000 cameras) the list's length is checked before any camera is converted.
    expect(() => parseCameraPath(huge)).toThrow(/it has 300000 cameras; at most 10000 can be used/);
    // 1001 compact cameras fit in the size bound and are refused by count.
    expect(() => importCameraPath(`${head}${Array(1001).fill(cam).join(',')}]}`)).toThrow(
      /it has 1001 cameras; at most 1000 can be used/,
    );
    expect(importCameraPath(`${head}${Array(1000).fill(cam).join(',')}]}`).track.numFrames).toBe(1000);
  });
});

describe('track JSON', () => {
  it('round trips and accepts a bare Track', () => {
    const t = richTrack();
    expect(parseTrack(stringifyTrack(t))).toEqual(t);
    expect(parseTrack(JSON.stringify(t))).toEqual(t);
  });

  it('refuses invalid tracks naming the field, and newer versions', () => {
    const t = richTrack();
    expect(() => parseTrack('nope')).toThrow(/not JSON/);
    expect(() => parseTrack(JSON.stringify({ ...t, numFrames: 1 }))).toThrow(/numFrames/);
    expect(() => parseTrack(JSON.stringify({ ...t, keyframes: [{ ...t.keyframes[0], fovY: 500 }] }))).toThrow(
      /keyframes\.0\.fovY/,
    );
    const dup = { ...t, keyframes: [t.keyframes[1], { ...t.keyframes[2], frame: 6 }] };
    expect(() => parseTrack(JSON.stringify(dup))).toThrow(/Two keyframes are on frame 6/);
    expect(() => parseTrack(JSON.stringify({ format: 'camtrack-track', version: 9, track: t }))).toThrow(
      expect.objectContaining({ code: 'newer-version' }),
    );
    expect(() => parseTrack(JSON.stringify({ format: 'other', track: t }))).toThrow(/not a Camtrack track file/);
    // Found by camera.prop.test.ts: a format that is not a string was shown as "[object Object]".
    expect(() => parseTrack(JSON.stringify({ format: {}, track: t }))).toThrow(
      'This is not a Camtrack track file (format {}).',
    );
    expect(() => parseTrack(JSON.stringify({ format: 'other', track: t }))).toThrow(
      'This is not a Camtrack track file (format "other").',
    );
  });
});
