import { IDENTITY4, intrinsicsFromFovY } from '../engine/geometry/conventions';
import { renderScene, sampleScene } from '../engine/scene/scene';
import { poseAt } from '../engine/scene/poses';
import { prepareSource, warpFrame, type WarpTarget } from '../engine/warp/forward';
import { fillWarpedFrame } from '../engine/preview';
import { createWarpPool } from '../engine/warp/pool';
import type { Benchmark, BenchFigure } from './harness';

const WIDTH = 1024;
const HEIGHT = 576;
const FRAMES = 25;

/**
 * The preview render's frames: 25 frames at 1024x576 of the sample scene along the warp
 * benchmark's orbit-and-dolly track, warped and hole-filled in the worker pool, beside the warp
 * alone in the same pool (the fill's cost is the difference), and the fill alone on one thread.
 */
export const previewBenchmark: Benchmark = {
  name: 'preview',
  description: `preview render frames (warp + push-pull fill), ${FRAMES} frames at ${WIDTH}x${HEIGHT}, beside the warp alone`,
  async run(): Promise<BenchFigure[]> {
    const K = intrinsicsFromFovY(50, WIDTH, HEIGHT);
    const shot = renderScene(sampleScene(), { c2w: IDENTITY4, intrinsics: K }, 1);
    const source = { image: shot.image, depth: shot.depth, intrinsics: K, c2w: IDENTITY4 };
    const targets: WarpTarget[] = Array.from({ length: FRAMES }, (_, i) => ({
      c2w: poseAt([0.02 * i, 0.005 * i, -0.04 * i], 0.4 * i),
      intrinsics: K,
    }));

    // The fill alone, one thread, on warps made beforehand.
    const prepared = prepareSource(source);
    const warped = targets.slice(0, 5).map((t) => warpFrame(prepared, t, { withDepth: true }));
    const fillMs: number[] = [];
    for (const w of warped) {
      const s = performance.now();
      fillWarpedFrame(w);
      fillMs.push(performance.now() - s);
    }

    const pool = createWarpPool();
    try {
      await pool.warpFrames(source, targets.slice(0, pool.size), { fill: true }); // start and warm the workers
      const warpRuns: number[] = [];
      const previewRuns: number[] = [];
      for (let r = 0; r < 3; r++) {
        let s = performance.now();
        await pool.warpFrames(source, targets);
        warpRuns.push(performance.now() - s);
        s = performance.now();
        await pool.warpFrames(source, targets, { fill: true });
        previewRuns.push(performance.now() - s);
      }
      warpRuns.sort((a, b) => a - b);
      previewRuns.sort((a, b) => a - b);
      const loadavg = (await import('node:os')).loadavg()[0];
      return [
        {
          label: `preview frames (warp + fill), ${FRAMES} frames, pool of ${pool.size} (median of 3; load average ${loadavg.toFixed(1)})`,
          value: previewRuns[1],
          unit: 'ms',
          baseline: { label: 'warp alone, same pool', value: warpRuns[1] },
          target: { max: 2000 },
        },
        {
          label: 'fill per frame, one thread (mean of 5)',
          value: fillMs.reduce((a, b) => a + b, 0) / fillMs.length,
          unit: 'ms',
          baseline: { label: 'warp per frame, same pool run / frames', value: warpRuns[1] / FRAMES },
        },
      ];
    } finally {
      await pool.close();
    }
  },
};
