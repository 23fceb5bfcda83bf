import type { Benchmark } from './harness';
import { warpBenchmark } from './warp.bench';
import { lambdaBenchmark } from './lambda.bench';
import { exportBenchmark } from './export.bench';
import { projectBenchmark } from './project.bench';
import { guidanceBenchmark, samplerBenchmark } from './sampler.bench';

/** Every benchmark of the project. Add new ones to this list. */
export const benchmarks: Benchmark[] = [warpBenchmark, lambdaBenchmark, exportBenchmark, projectBenchmark, guidanceBenchmark, samplerBenchmark];
