import { IDENTITY4, intrinsicsFromFovY } from '../engine/geometry/conventions';
import { renderScene, sampleScene } from '../engine/scene/scene';
import { poseAt } from '../engine/scene/poses';
import type { WarpTarget } from '../engine/warp/forward';
import { fillWarpedFrame, hiddenLayerFor } from '../engine/preview';
import { prepareWarp, previewWarpOptions, warpPrepared } from '../engine/warp/method';
import { createWarpPool } from '../engine/warp/pool';
import type { Benchmark, BenchFigure } from './harness';

const WIDTH = 1024;
const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
const HEIGHT = 576;
const FRAMES = 25;

/**
 * The preview render's frames: 25 frames at 1024x576 of the sample scene along the warp
 * benchmark's orbit-and-dolly track, warped and hole-filled in the worker pool. The mesh warp with
 * its hidden layer (the default; the layer built once on this thread, counted) against the
 * splatting warp and its fill in the same pool and run; then their parts on one thread.
 */
export const previewBenchmark: Benchmark = {
  name: 'preview',
  description: `preview render frames, ${FRAMES} frames at ${WIDTH}x${HEIGHT}: mesh warp + hidden layer + fill vs splatting + fill`,
  async run(): Promise<BenchFigure[]> {
    const K = intrinsicsFromFovY(50, WIDTH, HEIGHT);
    const shot = renderScene(sampleScene(), { c2w: IDENTITY4, intrinsics: K }, 1);
    const source = { image: shot.image, depth: shot.depth, intrinsics: K, c2w: IDENTITY4 };
    const targets: WarpTarget[] = Array.from({ length: FRAMES }, (_, i) => ({
      c2w: poseAt([0.02 * i, 0.005 * i, -0.04 * i], 0.4 * i),
      intrinsics: K,
    }));

    // One thread: the parts of a frame, and the layer.
    let s = performance.now();
    const behind = hiddenLayerFor(source, targets);
    const layerMs = performance.now() - s;
    const mesh = prepareWarp(source, 'mesh', { behind });
    const splat = prepareWarp(source, 'splat');
    const perFrame = (f: () => unknown) => {
      const t = performance.now();
      for (const _ of targets.slice(0, 5)) f();
      return (performance.now() - t) / 5;
    };
    let i = 0;
    const meshWarpMs = perFrame(() => warpPrepared(mesh, targets[i++ % FRAMES], previewWarpOptions('mesh')));
    const splatWarpMs = perFrame(() => warpPrepared(splat, targets[i++ % FRAMES], previewWarpOptions('splat')));
    const warped = warpPrepared(mesh, targets[12], previewWarpOptions('mesh'));
    const fillMs = perFrame(() => fillWarpedFrame(warped));

    const pool = createWarpPool();
    const meshOptions = { ...previewWarpOptions('mesh'), fill: true, method: 'mesh' as const };
    const splatOptions = { ...previewWarpOptions('splat'), fill: true, method: 'splat' as const };
    try {
      await pool.warpFrames(source, targets.slice(0, pool.size), meshOptions); // start and warm the workers
      const meshRuns: number[] = [];
      const splatRuns: number[] = [];
      const meshCpu: number[] = [];
      const splatCpu: number[] = [];
      for (let r = 0; r < 3; r++) {
        let c = process.cpuUsage();
        s = performance.now();
        await pool.warpFrames(source, targets, { ...meshOptions, behind: hiddenLayerFor(source, targets) });
        meshRuns.push(performance.now() - s);
        meshCpu.push(cpuMs(process.cpuUsage(c)));
        c = process.cpuUsage();
        s = performance.now();
        await pool.warpFrames(source, targets, splatOptions);
        splatRuns.push(performance.now() - s);
        splatCpu.push(cpuMs(process.cpuUsage(c)));
      }
      for (const list of [meshRuns, splatRuns, meshCpu, splatCpu]) list.sort((a, b) => a - b);
      const loadavg = (await import('node:os')).loadavg()[0];
      return [
        {
          label: `preview frames, mesh + hidden layer + fill, ${FRAMES} frames, pool of ${pool.size} (median of 3; load average ${loadavg.toFixed(1)})`,
          value: meshRuns[1],
          unit: 'ms',
          baseline: { label: 'splatting + fill, same pool', value: splatRuns[1] },
          target: { max: 1500 },
        },
        // CPU time of all threads: what the machine's load cannot inflate. On an idle machine the
        // wall time is about this divided by the cores (the layer's build runs on one).
        {
          label: `CPU time, all threads, mesh + hidden layer + fill (median of 3; over ${pool.size} cores: ${(meshCpu[1] / pool.size).toFixed(0)} ms)`,
          value: meshCpu[1],
          unit: 'ms',
          baseline: { label: 'splatting + fill', value: splatCpu[1] },
        },
        {
          label: 'mesh warp per frame, one thread (mean of 5)',
          value: meshWarpMs,
          unit: 'ms',
          baseline: { label: 'splatting warp per frame', value: splatWarpMs },
        },
        {
          label: 'hidden layer, built once per render, one thread',
          value: layerMs,
          unit: 'ms',
          baseline: { label: 'mesh warp of one frame', value: meshWarpMs },
        },
        {
          label: 'fill per frame, one thread (mean of 5)',
          value: fillMs,
          unit: 'ms',
          baseline: { label: 'mesh warp per frame', value: meshWarpMs },
        },
      ];
    } finally {
      await pool.close();
    }
  },
};
