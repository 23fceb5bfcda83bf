import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { appRoot } from '../engine/util/appRoot';
import { type Benchmark, type BenchFigure } from './harness';

/** Median wall time in ms of `node bin/camtrack.mjs ARGS` with `env`, over `runs` runs after one warm-up; `expect` must be in its stdout. */
function startMs(args: string[], expect: string, env: NodeJS.ProcessEnv = {}, runs = 5): number {
  const bin = path.join(appRoot(), 'bin', 'camtrack.mjs');
  const times: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
    if (r.status !== 0 || !r.stdout.includes(expect)) throw new Error(`camtrack ${args.join(' ')} failed: ${r.stderr}`);
    if (i > 0) times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}
const helpStartMs = (env: NodeJS.ProcessEnv) => startMs(['--help'], 'Usage: camtrack', env);

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
    const { cliBundleState } = (await import(pathToFileURL(path.join(root, 'bin', 'freshness.mjs')).href)) as {
      cliBundleState(root: string): { fresh: boolean };
    };
    if (!cliBundleState(root).fresh) {
      const { buildMain } = (await import(pathToFileURL(path.join(root, 'scripts', 'build.mjs')).href)) as {
        buildMain(): Promise<void>;
      };
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
    // A light command: only its own module loads (commands/index.ts), none of sharp, onnxruntime-node or BullMQ.
    const light = startMs(['sigmas', '--steps', '4'], '[', { CAMTRACK_FROM_SOURCE: '' });
    return [
      {
        label: 'camtrack --help, bundled CLI',
        value: bundled,
        unit: 'ms',
        baseline: { label: 'the same from the TypeScript sources through tsx', value: fromSource },
        target: { max: 400 },
      },
      {
        label: 'camtrack --help, bundled CLI',
        value: bundled,
        unit: 'ms',
        baseline: { label: "node -e 0 (Node's own start on this machine)", value: bareNode },
      },
      {
        label: 'camtrack sigmas --steps 4 (a light command), bundled CLI',
        value: light,
        unit: 'ms',
        baseline: { label: 'node -e 0', value: bareNode },
      },
    ];
  },
};
