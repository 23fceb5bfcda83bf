import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { CamtrackError } from '../engine/util/errors';

/** Runs `node scripts/build.mjs --renderer` in the app folder; the exit status. */
function buildRenderer(root: string): number {
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--renderer'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return r.status ?? 1;
}

/**
 * The studio UI (dist/renderer) for `camtrack serve`: a fresh clone has not built it yet, so it is
 * built here, once, rather than failing with "run npm run build first".
 */
export function ensureStudioUi(
  root: string,
  log: (line: string) => void,
  build: (root: string) => number = buildRenderer,
): string {
  const dir = path.join(root, 'dist', 'renderer');
  if (existsSync(path.join(dir, 'index.html'))) return dir;
  if (!existsSync(path.join(root, 'scripts', 'build.mjs'))) {
    throw new CamtrackError('not-found', `The studio UI is missing (${dir}) and this installation cannot build it.`);
  }
  log('The studio UI is not built yet: building it now (first start only, up to a minute)…');
  const status = build(root);
  if (status !== 0 || !existsSync(path.join(dir, 'index.html'))) {
    throw new CamtrackError(
      'internal',
      `Building the studio UI failed (exit ${status}). Run \`npm install\`, then \`npm run build\`, and look at its output.`,
    );
  }
  return dir;
}
