import { defineConfig } from 'vitest/config';

// End-to-end tests: the built studio in browser mode, driven in Debian's Chromium. One file at a
// time: each starts its own server and browser, and the machine has two cores.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
    // One temporary folder per run, removed at its end (see the file).
    globalSetup: ['src-main/test/tempRoot.ts'],
  },
});
