import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { appRoot } from '../engine/util/appRoot';
import { type Benchmark, type BenchFigure } from './harness';

/** Median wall time in ms of `node bin/camtrack.mjs --help` with `env`, over `runs` runs after one warm-up. */
function helpStartMs(env: NodeJS.ProcessEnv, runs = 5): number {
  const bin = path.join(appRoot(), 'bin', 'camtrack.mjs');
  const times: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [bin, '--help'], { env: { ...process.env, ...env }, encoding: 'utf8' });
    if (r.status !== 0 || !r.stdout.includes('Usage: camtrack')) throw new Error(`camtrack --help failed: ${r.stderr}`);
    if (i > 0) times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/**
 * The command line's start: `camtrack --help` from the bundle that `npm install` / `npm run build`
 * make (dist/main/cli.cjs), against the same command run from the TypeScript sources through tsx
 * (how every command started before the bundle). The bundle is rebuilt first if the sources changed.
 */
export const cliBenchmark: Benchmark = {
  name: 'cli',
  description: 'camtrack --help start: bundled CLI vs the TypeScript sources through tsx',
  async run(): Promise<BenchFigure[]> {
    const root = appRoot();
    const { cliBundleState } = (await import(pathToFileURL(path.join(root, 'bin', 'freshness.mjs')).href)) as { cliBundleState(root: string): { fresh: boolean } };
    if (!cliBundleState(root).fresh) {
      const { buildMain } = (await import(pathToFileURL(path.join(root, 'scripts', 'build.mjs')).href)) as { buildMain(): Promise<void> };
      await buildMain();
    }
    const bundled = helpStartMs({ CAMTRACK_FROM_SOURCE: '' });
    const fromSource = helpStartMs({ CAMTRACK_FROM_SOURCE: '1' });
    const bareNode = (() => {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        spawnSync(process.execPath, ['-e', '0']);
        times.push(performance.now() - t0);
      }
      return times.sort((a, b) => a - b)[2];
    })();
    return [
      { label: 'camtrack --help, bundled CLI', value: bundled, unit: 'ms', baseline: { label: 'the same from the TypeScript sources through tsx', value: fromSource }, target: { max: 400 } },
      { label: 'camtrack --help, bundled CLI', value: bundled, unit: 'ms', baseline: { label: 'node -e 0 (Node\'s own start on this machine)', value: bareNode } },
    ];
  },
};
