import { createTrackEvaluator, evaluateTrack } from '../engine/camera/evaluate';
import { fovYFromFocal, sourceIntrinsics } from '../engine/camera/intrinsics';
import { exportCameraPath, importCameraPath, stringifyCameraPath } from '../engine/camera/nerfstudio';
import { presetTrack } from '../engine/camera/presets';
import { timeMs, type Benchmark, type BenchFigure } from './harness';

/**
 * Track evaluation, as the UI uses it while the artist drags a key (every frame, and the curve
 * drawn at several samples per frame). The baseline is the straightforward evaluation: validate
 * the track and rebuild its segments for each frame asked, as a per-frame `cameraAt(track, f)` would.
 */
export const cameraBenchmark: Benchmark = {
  name: 'camera',
  description: 'camera track evaluation (UI redraws) and camera_path.json round trip',
  async run(): Promise<BenchFigure[]> {
    const source = sourceIntrinsics(1024, 576);
    const ctx = { numFrames: 1000, fps: 24, sourceFovY: fovYFromFocal(source.fy, 576), targetDepth: 3 };
    const track = presetTrack({ kind: 'spiral', degreesPerFrame: 0.72, dolly: 1.5, rise: 0.5 }, ctx); // 2 turns, 49 keys
    const perFrameRebuild = () => {
      for (let f = 0; f < track.numFrames; f++) createTrackEvaluator(track, source).at(f);
    };
    const evalMs = await timeMs(() => evaluateTrack(track, source), 7, 2);
    const rebuildMs = await timeMs(perFrameRebuild, 3, 1);

    const curve = () => {
      const ev = createTrackEvaluator(track, source);
      for (let j = 0; j <= (track.numFrames - 1) * 8; j++) ev.sample(j / 8);
    };
    const curveMs = await timeMs(curve, 7, 2);

    const imported = importCameraPath(stringifyCameraPath(exportCameraPath(track, source)));
    const roundTrip = () => importCameraPath(stringifyCameraPath(exportCameraPath(imported.track, imported.source)));
    const rtMs = await timeMs(roundTrip, 5, 1);
    const plainJson = () => JSON.parse(JSON.stringify(exportCameraPath(imported.track, imported.source)));
    const plainMs = await timeMs(plainJson, 5, 1);
    return [
      {
        label: `evaluateTrack, ${track.numFrames} frames, ${track.keyframes.length} keys`,
        value: evalMs,
        unit: 'ms',
        baseline: { label: 'validate and rebuild per frame', value: rebuildMs },
        target: { max: 16 },
      },
      {
        label: `curve drawing, ${(track.numFrames - 1) * 8 + 1} samples`,
        value: curveMs,
        unit: 'ms',
        baseline: { label: 'evaluateTrack once (1 sample per frame)', value: evalMs },
        target: { max: 16 },
      },
      {
        label: `camera_path.json export + import + evaluate, ${track.numFrames} cameras (a key each)`,
        value: rtMs,
        unit: 'ms',
        baseline: { label: 'export with plain JSON stringify/parse, no import', value: plainMs },
      },
    ];
  },
};
