import type { Benchmark } from './harness';

/** Every benchmark of the project. Add new ones to this list. */
export const benchmarks: Benchmark[] = [];
