import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkAll, checkTextScaling, judge, mutatedJsonText, show } from '../../test/fuzz';
import { expectPositionWithinLimits, expectTrackWithinLimits } from '../../test/statedLimits';
import { Track } from '../project/schema';
import { evaluateTrack } from './evaluate';
import { sourceIntrinsics } from './intrinsics';
import { exportCameraPath, importCameraPath, stringifyCameraPath } from './nerfstudio';
import { presetTrack } from './presets';
import { parseTrack, stringifyTrack } from './track-json';

/** Property-based tests of the track importers (issue 12): nerfstudio camera_path.json and the track JSON. */
const SRC = sourceIntrinsics(64, 48);
const orbit = presetTrack(
  { kind: 'orbit', degreesPerFrame: 5 },
  { numFrames: 4, fps: 8, sourceFovY: 40, targetDepth: 3 },
);
const dolly = presetTrack({ kind: 'dolly', distance: 1 }, { numFrames: 3, fps: 24, sourceFovY: 55, targetDepth: 2 });

function acceptTrack(track: Track): void {
  const r = Track.safeParse(track);
  expect(r.success, JSON.stringify(r.error?.issues?.slice(0, 2))).toBe(true);
  // The track evaluates to finite cameras (what the warp and the render then use).
  for (const cam of evaluateTrack(track, SRC)) for (const v of cam.c2w) expect(Number.isFinite(v)).toBe(true);
  // And is within the limits as stated on their own (issue 24), not only as the schema has them.
  expectTrackWithinLimits(track);
}

/** An imported camera path also keeps its cameras within the stated distance. */
function acceptImported(track: Track): void {
  acceptTrack(track);
  for (const k of track.keyframes) expectPositionWithinLimits(k.position, `key ${k.id}`);
}

describe('track importers, property-based', () => {
  it('camera_path.json: every mutated or random file imports as a schema-valid track or is refused clearly', async () => {
    const seeds = [orbit, dolly].map((t) => JSON.parse(stringifyCameraPath(exportCameraPath(t, SRC))) as unknown);
    await checkAll(mutatedJsonText(seeds), (text) =>
      judge(
        () => importCameraPath(text, { width: 64, height: 48 }).track,
        { accept: acceptImported },
        () => show(text),
      ),
    );
  });

  it('camera_path.json and track JSON: texts up to 2 MiB import or are refused clearly, in time linear in their size', async () => {
    const paths = [orbit, dolly].map((t) => stringifyCameraPath(exportCameraPath(t, SRC)));
    const tracks = [orbit, dolly].map((t) => stringifyTrack(t));
    await checkTextScaling(paths, (text) => importCameraPath(text, { width: 64, height: 48 }).track, {
      accept: acceptImported,
    });
    await checkTextScaling(tracks, (text) => parseTrack(text), { accept: acceptTrack });
  });

  it('camera_path.json: cameras with any fov, position and count import as a schema-valid track or are refused clearly', async () => {
    const edge = fc.constantFrom(
      0,
      0.5,
      1,
      1.0000001,
      178.9999,
      179,
      179.5,
      180,
      -1,
      1e6,
      1e6 + 1,
      1e308,
      -1e308,
      5e-324,
    );
    // Mostly plausible values (so some files import), one in five at or past a limit.
    const near = (min: number, max: number) =>
      fc.oneof({ weight: 4, arbitrary: fc.double({ noNaN: true, min, max }) }, { weight: 1, arbitrary: edge });
    const camera = fc.record({
      x: near(-100, 100),
      y: near(-100, 100),
      z: near(-100, 100),
      fov: near(2, 170),
      aspect: fc.option(near(0.2, 5), { nil: undefined, freq: 4 }),
    });
    const num = near(1, 60);
    const arb = fc
      .tuple(fc.array(camera, { minLength: 1, maxLength: 6 }), fc.option(num, { nil: undefined, freq: 3 }))
      .map(([cams, fps]) =>
        JSON.stringify({
          render_width: 64,
          render_height: 48,
          fps,
          camera_path: cams.map((c) => ({
            camera_to_world: [1, 0, 0, c.x, 0, 1, 0, c.y, 0, 0, 1, c.z, 0, 0, 0, 1],
            fov: c.fov,
            aspect: c.aspect,
          })),
        }),
      );
    await checkAll(
      arb,
      (text) =>
        judge(
          () => importCameraPath(text).track,
          { accept: acceptTrack },
          () => show(text),
        ),
      { numRuns: 300 },
    );
  });

  it('track JSON: a key 1e308 away (found by the property below) is refused, naming the limit', () => {
    const far = JSON.parse(stringifyTrack(dolly));
    far.track.keyframes[1].position = [1e308, 0, -1];
    expect(() => parseTrack(JSON.stringify(far))).toThrow(/1\.00e\+308 units from the origin; positions beyond ±2e\+6/);
    far.track.keyframes[1].position = [0, 0, -1];
    far.track.keyframes[1].orientation = { kind: 'lookAt', target: [0, -1e300, 0] };
    expect(() => parseTrack(JSON.stringify(far))).toThrow(/positions beyond ±2e\+6/);
  });

  it('track JSON: every mutated or random file parses as a schema-valid track or is refused clearly', async () => {
    const seeds = [orbit, dolly].flatMap((t) => [JSON.parse(stringifyTrack(t)) as unknown, t]);
    await checkAll(mutatedJsonText(seeds), (text) =>
      judge(
        () => parseTrack(text),
        { accept: acceptTrack },
        () => show(text),
      ),
    );
  });
});
