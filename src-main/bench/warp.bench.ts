import { IDENTITY4, intrinsicsFromFovY } from '../engine/geometry/conventions';
import { renderScene, sampleScene } from '../engine/scene/scene';
import { poseAt } from '../engine/scene/poses';
import { prepareSource, warpFrame, type WarpTarget } from '../engine/warp/forward';
import { createWarpPool } from '../engine/warp/pool';
import type { Benchmark, BenchFigure } from './harness';

const WIDTH = 1024;
const HEIGHT = 576;
const FRAMES = 25;

/**
 * 25 frames at 1024x576 of the sample scene along an orbit-and-dolly track: the worker pool
 * (warm: started before timing, as the studio keeps it) against the same warp on one thread.
 */
export const warpBenchmark: Benchmark = {
  name: 'warp',
  description: `forward warp, ${FRAMES} frames at ${WIDTH}x${HEIGHT}: worker pool vs one thread`,
  async run(): Promise<BenchFigure[]> {
    const K = intrinsicsFromFovY(50, WIDTH, HEIGHT);
    const shot = renderScene(sampleScene(), { c2w: IDENTITY4, intrinsics: K }, 1);
    const source = { image: shot.image, depth: shot.depth, intrinsics: K, c2w: IDENTITY4 };
    const targets: WarpTarget[] = Array.from({ length: FRAMES }, (_, i) => ({
      c2w: poseAt([0.02 * i, 0.005 * i, -0.04 * i], 0.4 * i),
      intrinsics: K,
    }));

    // Baseline: one thread, no pool (including the per-track preparation, as the pool does).
    const single: number[] = [];
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const prepared = prepareSource(source);
    for (const t of targets) {
      const s = performance.now();
      warpFrame(prepared, t);
      single.push(performance.now() - s);
    }
    const singleTotal = performance.now() - t0;
    const singleCpu = cpuMs(process.cpuUsage(c0));

    const tStart = performance.now();
    const pool = createWarpPool();
    try {
      await pool.warpFrames(source, targets.slice(0, pool.size)); // start and warm the workers
      const startMs = performance.now() - tStart;
      const runs: number[] = [];
      const cpu: number[] = [];
      let frameMs: number[] = [];
      for (let r = 0; r < 3; r++) {
        const c = process.cpuUsage();
        const s = performance.now();
        frameMs = (await pool.warpFrames(source, targets)).frameMs;
        runs.push(performance.now() - s);
        cpu.push(cpuMs(process.cpuUsage(c)));
      }
      runs.sort((a, b) => a - b);
      cpu.sort((a, b) => a - b);
      const total = runs[1];
      const loadavg = (await import('node:os')).loadavg()[0];
      const figures: BenchFigure[] = [
        {
          label: `total, ${FRAMES} frames, pool of ${pool.size} (median of 3)`,
          value: total,
          unit: 'ms',
          baseline: { label: 'one thread', value: singleTotal },
          target: { max: 1000 },
        },
        // CPU time of all threads: what the machine's load cannot inflate. On an idle machine the
        // wall time is about this divided by the cores.
        {
          label: `CPU time, all threads (median of 3; load average ${loadavg.toFixed(1)} during the run)`,
          value: cpu[1],
          unit: 'ms',
          baseline: { label: 'one thread', value: singleCpu },
        },
        {
          label: 'per frame (mean, inside a worker)',
          value: mean(frameMs),
          unit: 'ms',
          baseline: { label: 'one thread', value: mean(single) },
        },
        {
          label: 'pool start and first warm-up frames',
          value: startMs,
          unit: 'ms',
          baseline: { label: 'one thread, one frame', value: single[0] },
        },
      ];
      frameMs.forEach((ms, i) =>
        figures.push({
          label: `frame ${i}`,
          value: ms,
          unit: 'ms',
          baseline: { label: 'one thread', value: single[i] },
        }),
      );
      return figures;
    } finally {
      await pool.close();
    }
  },
};

function cpuMs(u: NodeJS.CpuUsage): number {
  return (u.user + u.system) / 1000;
}

function mean(v: number[]): number {
  return v.reduce((a, b) => a + b, 0) / v.length;
}
