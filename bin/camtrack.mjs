#!/usr/bin/env node
// The `camtrack` command line. Runs the bundle that `npm install` and `npm run build` make
// (dist/main/cli.cjs, which starts in a fraction of a second). When a source it was built from has
// changed since (a git checkout being worked on), or with CAMTRACK_FROM_SOURCE=1, it runs the
// TypeScript sources through tsx instead: what runs is always the code in the tree.
import module, { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliBundleState } from './freshness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Node 22.1+ keeps the compiled bundle between runs (a no-op on older Node or a read-only install).
try {
  module.enableCompileCache?.(path.join(root, 'node_modules', '.cache', 'camtrack-compile'));
} catch {
  // the cache is an optimisation only
}
const state = process.env.CAMTRACK_FROM_SOURCE
  ? { fresh: false, reason: 'CAMTRACK_FROM_SOURCE is set' }
  : cliBundleState(root);
let main;
if (state.fresh) {
  ({ main } = createRequire(import.meta.url)(path.join(root, 'dist', 'main', 'cli.cjs')));
} else {
  if (process.env.CAMTRACK_DEBUG || (process.stderr.isTTY && !process.env.CAMTRACK_FROM_SOURCE)) {
    process.stderr.write(
      `camtrack: running from the TypeScript sources (${state.reason}; \`npm run build\` makes the fast start)\n`,
    );
  }
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src-main/cli/main.ts'));
}
process.exitCode = await main(process.argv);
