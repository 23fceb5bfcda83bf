import type { Benchmark } from './harness';
import { warpBenchmark } from './warp.bench';
import { lambdaBenchmark } from './lambda.bench';

/** Every benchmark of the project. Add new ones to this list. */
export const benchmarks: Benchmark[] = [warpBenchmark, lambdaBenchmark];
