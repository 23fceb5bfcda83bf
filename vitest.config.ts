import { defineConfig } from 'vitest/config';

// Unit tests: engine, CLI, host and renderer logic. End-to-end tests have their own config in e2e/.
export default defineConfig({
  test: {
    include: ['src-main/**/*.test.ts', 'src-renderer/**/*.test.{ts,tsx}', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two test files at a time: on a 2-core CI machine the default is one, and half of a file's time
    // is spent waiting on child processes (ffmpeg, redis, workers), so two overlap well.
    maxWorkers: 2,
    // One temporary folder per run, removed at its end (see the file).
    globalSetup: ['src-main/test/tempRoot.ts'],
  },
});
