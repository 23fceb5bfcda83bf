import { loadavg } from 'node:os';
import type { Benchmark, BenchFigure } from './harness';
import { timeMs } from './harness';
import { makeLambdaTable } from '../engine/lambda/table';
import { karrasSigmas } from '../engine/schedule/karras';
import {
  type CutoffMethod,
  GuidanceScratch,
  type HoleMasks,
  applyPosteriorGuidance,
  makeHoleMasks,
} from '../engine/sampler/guidance';
import { Xoshiro128ss, gaussianNoise } from '../engine/sampler/rng';
import { guidedSample } from '../engine/sampler/sampler';
import { applyReferenceGuidance, referenceEulerStep } from '../engine/sampler/reference';
import type { LatentShape } from '../engine/sampler/shape';

/**
 * Guidance and sampler-loop costs at SVD-XT's real size: 25 frames of 4 x 72 x 128 latents
 * (576 x 1024 pixels), hole masks with about 20% holes, lambda 0.7. The baseline is the same code
 * with the cutoff found by fully sorting each frame's differences.
 */
const SHAPE: LatentShape = { frames: 25, channels: 4, height: 72, width: 128 };
const N = SHAPE.frames * SHAPE.channels * SHAPE.height * SHAPE.width;

/** Disocclusion-like holes: a band on the right edge growing with the frame, plus scattered blocks, ~20% in all. */
export function realisticHoles(shape: LatentShape, seed: number, fraction = 0.2): HoleMasks {
  const { frames: F, height: h, width: w } = shape;
  const m = makeHoleMasks(F, h, w);
  const r = new Xoshiro128ss(seed);
  for (let f = 1; f < F; f++) {
    const mask = m.data.subarray(f * h * w, (f + 1) * h * w);
    const band = Math.round((w * 0.1 * f) / (F - 1));
    for (let y = 0; y < h; y++) for (let x = w - band; x < w; x++) mask[y * w + x] = 1;
    let holes = band * h;
    while (holes < fraction * h * w) {
      const bw = 2 + (r.nextU32() % 6);
      const bh = 2 + (r.nextU32() % 6);
      const x0 = r.nextU32() % (w - bw);
      const y0 = r.nextU32() % (h - bh);
      for (let y = y0; y < y0 + bh; y++) {
        for (let x = x0; x < x0 + bw; x++) {
          if (mask[y * w + x] === 0) holes++;
          mask[y * w + x] = 1;
        }
      }
    }
  }
  return m;
}

/** Median CPU time (user + system) of `fn` in ms: on a shared, oversubscribed machine wall time mostly measures the queue. */
async function cpuMs(fn: () => unknown | Promise<unknown>, runs: number, warmup: number): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.cpuUsage();
    await fn();
    const u = process.cpuUsage(t0);
    times.push((u.user + u.system) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function load(): string {
  return `load average ${loadavg()[0].toFixed(1)}`;
}

function fixtures() {
  const d = gaussianNoise(N, 1);
  const noise = gaussianNoise(N, 2);
  const w = new Float32Array(N);
  for (let i = 0; i < N; i++) w[i] = d[i] + 0.3 * noise[i];
  const source = gaussianNoise(N / SHAPE.frames, 3);
  const holes = realisticHoles(SHAPE, 4);
  return { d, w, source, holes };
}

export const guidanceBenchmark: Benchmark = {
  name: 'guidance',
  description: 'NVS-Solver guidance per denoising step, 25 frames of 4x72x128, ~20% holes, lambda 0.7',
  async run(): Promise<BenchFigure[]> {
    const { d, w, source, holes } = fixtures();
    const out = new Float32Array(N);
    const lambdas = new Float64Array(SHAPE.frames).fill(0.7);
    const scratch = new GuidanceScratch();
    const step = (cutoff: CutoffMethod) => () =>
      applyPosteriorGuidance({
        shape: SHAPE,
        denoised: d,
        warped: w,
        source,
        holes,
        lambdas,
        lambdaMin: 0.2,
        out,
        scratch,
        cutoff,
      });
    const sorted = await timeMs(step('sort'), 7, 2);
    const selected = await timeMs(step('select'), 15, 3);
    const sortedCpu = await cpuMs(step('sort'), 7, 1);
    const selectedCpu = await cpuMs(step('select'), 15, 2);
    // Machine-speed reference: one plain pass |D - W| over the whole latent.
    const onePass = await cpuMs(
      () => {
        for (let i = 0; i < N; i++) out[i] = Math.abs(d[i] - w[i]);
      },
      15,
      2,
    );
    return [
      {
        label: `guidance step (radix k-th selection), 25 x 4 x 72 x 128, wall time, ${load()}`,
        value: selected,
        unit: 'ms',
        baseline: { label: 'full sort per frame', value: sorted },
        target: { max: 15 },
      },
      {
        label: `guidance step (radix k-th selection), CPU time, ${load()}`,
        value: selectedCpu,
        unit: 'ms',
        baseline: { label: 'full sort per frame', value: sortedCpu },
        target: { max: 15 },
      },
      {
        label: `one plain pass |D - W| over the same latents, CPU time (machine-speed reference), ${load()}`,
        value: onePass,
        unit: 'ms',
        baseline: { label: 'guidance step', value: selectedCpu },
      },
    ];
  },
};

export const referenceGuidanceBenchmark: Benchmark = {
  name: 'reference-guidance',
  description:
    "the reference fidelity's guidance step (the reference's DGS count and ties, then its float32 Euler step) beside the studio's, 25 x 4 x 72 x 128, ~20% holes, lambda 0.7",
  async run(): Promise<BenchFigure[]> {
    const { d, w, source, holes } = fixtures();
    const out = new Float32Array(N);
    const x = Float32Array.from(d);
    const lambdas = new Float64Array(SHAPE.frames).fill(0.7);
    const scratch = new GuidanceScratch();
    const targets = Float32Array.from(w);
    targets.set(source, 0);
    const studio = () => {
      applyPosteriorGuidance({
        shape: SHAPE,
        denoised: d,
        warped: w,
        source,
        holes,
        lambdas,
        lambdaMin: 0,
        out,
        scratch,
      });
      // The studio's Euler step (float64 coefficient, as sampler.ts).
      const r = (545.7 - 700) / 700;
      for (let j = 0; j < N; j++) x[j] += r * (x[j] - out[j]);
    };
    const reference = () => {
      applyReferenceGuidance({ shape: SHAPE, denoised: d, targets, holes, lambdas, rule: 'single', out, scratch });
      referenceEulerStep(x, out, 700, 545.7);
    };
    const studioCpu = await cpuMs(studio, 15, 3);
    const referenceCpu = await cpuMs(reference, 15, 3);
    const studioWall = await timeMs(studio, 15, 3);
    const referenceWall = await timeMs(reference, 15, 3);
    return [
      {
        label: `reference guidance + Euler step, 25 x 4 x 72 x 128, CPU time, ${load()}`,
        value: referenceCpu,
        unit: 'ms',
        baseline: { label: 'studio guidance + Euler step', value: studioCpu },
      },
      {
        label: `reference guidance + Euler step, wall time, ${load()}`,
        value: referenceWall,
        unit: 'ms',
        baseline: { label: 'studio guidance + Euler step', value: studioWall },
      },
    ];
  },
};

export const samplerBenchmark: Benchmark = {
  name: 'sampler',
  description:
    'the whole guided Euler loop, 25 steps at 25 x 4 x 72 x 128, model time excluded (the denoiser returns a precomputed buffer)',
  async run(): Promise<BenchFigure[]> {
    const { d, w, source, holes } = fixtures();
    const sigmas = karrasSigmas(25);
    const lambda = makeLambdaTable(25, SHAPE.frames, new Float64Array(25 * SHAPE.frames).fill(0.7));
    const run = (cutoff: CutoffMethod) => () =>
      guidedSample({
        sigmas,
        lambda,
        lambdaMin: 0.2,
        shape: SHAPE,
        sourceLatent: source,
        warpedLatents: w,
        holes,
        start: { seed: 5 },
        denoise: () => Promise.resolve(d),
        cutoff,
      });
    const sorted = await timeMs(run('sort'), 3, 1);
    const selected = await timeMs(run('select'), 5, 1);
    const selectedCpu = await cpuMs(run('select'), 5, 0);
    const sortedCpu = await cpuMs(run('sort'), 3, 0);
    const noiseCpu = await cpuMs(() => gaussianNoise(N, 5), 5, 1);
    return [
      {
        label: `sampler loop, 25 steps (seeded noise, guidance, Euler), wall time, ${load()}`,
        value: selected,
        unit: 'ms',
        baseline: { label: 'same loop with full-sort guidance', value: sorted },
      },
      {
        label: `sampler loop per step, CPU time, ${load()}`,
        value: selectedCpu / 25,
        unit: 'ms',
        baseline: { label: 'same loop with full-sort guidance', value: sortedCpu / 25 },
      },
      {
        label: `of which, once per render: seeded noise for the whole latent (921,600 normals), CPU time`,
        value: noiseCpu,
        unit: 'ms',
        baseline: { label: 'whole loop', value: selectedCpu },
      },
    ];
  },
};
