import type { Benchmark } from './harness';
import { warpBenchmark } from './warp.bench';
import { lambdaBenchmark } from './lambda.bench';
import { exportBenchmark } from './export.bench';
import { projectBenchmark } from './project.bench';
import { guidanceBenchmark, referenceGuidanceBenchmark, samplerBenchmark } from './sampler.bench';
import { modelsBenchmark } from './models.bench';
import { cameraBenchmark } from './camera.bench';
import { heatmapBenchmark } from './heatmap.bench';
import { previewBenchmark } from './preview.bench';
import { cliBenchmark } from './cli.bench';
import { importBenchmark } from './import.bench';

/** Every benchmark of the project. Add new ones to this list. */
export const benchmarks: Benchmark[] = [
  warpBenchmark,
  lambdaBenchmark,
  exportBenchmark,
  projectBenchmark,
  modelsBenchmark,
  guidanceBenchmark,
  referenceGuidanceBenchmark,
  samplerBenchmark,
  cameraBenchmark,
  heatmapBenchmark,
  previewBenchmark,
  cliBenchmark,
  importBenchmark,
];
