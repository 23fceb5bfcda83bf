import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../src-main/test/tmp';

const repo = path.resolve(import.meta.dirname, '..');
const { FLOORS } = createRequire(import.meta.url)('./layers.cjs') as { FLOORS: string[][] };

/**
 * Runs the project's layer rules (.dependency-cruiser.cjs) over a small tree of the given files, as
 * `npm run lint:layers` runs them over the real one; returns each violation as "rule: from -> to".
 */
function violations(files: Record<string, string>): string[] {
  const root = tempDir('camtrack-layers-');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  writeFileSync(
    path.join(root, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { module: 'ESNext', moduleResolution: 'bundler', jsx: 'react-jsx' } }),
  );
  symlinkSync(path.join(repo, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  const r = spawnSync(
    path.join(repo, 'node_modules', '.bin', 'depcruise'),
    ['src-main', 'src-renderer', '--config', path.join(repo, '.dependency-cruiser.cjs'), '--output-type', 'json'],
    { cwd: root, encoding: 'utf8' },
  );
  if (!r.stdout) throw new Error(`depcruise printed nothing: ${r.stderr}`);
  const report = JSON.parse(r.stdout) as {
    summary: { violations: { rule: { name: string }; from: string; to: string; cycle?: { name: string }[] }[] };
  };
  // An npm package is named by its package (the tree's node_modules is a link, so its path varies).
  const name = (to: string) => to.replace(/^.*node_modules\/((?:@[^/]+\/)?[^/]+)\/.*$/, 'npm:$1');
  return report.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${name(v.to)}`).sort();
}

describe('the layer rules (npm run lint:layers)', () => {
  it('put every room of the engine on a floor (a room on none would escape the floor rules)', () => {
    const rooms = readdirSync(path.join(repo, 'src-main', 'engine'), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    expect([...FLOORS.flat()].sort()).toEqual(rooms.sort());
  });

  it('find every kind of planted bad import, and only those', () => {
    const found = violations({
      'src-main/api/contract.ts': `export const api = 1;\n`,
      // Pure: a Node builtin, a module that is not pure, and an npm package other than zod or three.
      'src-main/engine/lambda/table.ts': [
        `import { readFileSync } from 'node:fs';`,
        `import { warp } from '../warp/forward';`,
        `import sharp from 'sharp';`,
        `import { z } from 'zod';`,
        `export const table = [readFileSync, warp, sharp, z];`,
      ].join('\n'),
      // The engine reaching up to the host, and production code importing a test helper.
      'src-main/engine/warp/forward.ts': [
        `import { host } from '../../host/context';`,
        `import { helper } from '../../test/helper';`,
        `export const warp = [host, helper];`,
      ].join('\n'),
      // The host reaching for the CLI, and engine code reaching for the UI.
      'src-main/host/context.ts': `import { cli } from '../cli/main';\nexport const host = cli;\n`,
      'src-main/cli/main.ts': `export const cli = 1;\n`,
      'src-main/engine/warp/pool.ts': `import { app } from '../../../src-renderer/App';\nexport const pool = app;\n`,
      'src-main/test/helper.ts': `export const helper = 1;\n`,
      // The UI: the API and a pure module are fine; a Node-side engine module and a Node builtin are not.
      'src-renderer/App.tsx': [
        `import { api } from '../src-main/api/contract';`,
        `import { table } from '../src-main/engine/lambda/table';`,
        `import { warp } from '../src-main/engine/warp/forward';`,
        `import path from 'node:path';`,
        `export const app = [api, table, warp, path];`,
      ].join('\n'),
      // A UI test may reach anything.
      'src-renderer/App.test.tsx': `import { warp } from '../src-main/engine/warp/forward';\nexport const t = warp;\n`,
      'src-renderer/a.ts': `import { b } from './b';\nexport const a = () => b;\n`,
      'src-renderer/b.ts': `import { a } from './a';\nexport const b = () => a;\n`,
    });
    expect(found).toEqual([
      // lambda (floor 1) reaching warp (floor 2) breaks the floors as well as purity.
      'engine-floor-1: src-main/engine/lambda/table.ts -> src-main/engine/warp/forward.ts',
      'engine-stays-down: src-main/engine/warp/forward.ts -> src-main/host/context.ts',
      'engine-stays-down: src-main/engine/warp/pool.ts -> src-renderer/App.tsx',
      'no-circular: src-renderer/a.ts -> src-renderer/b.ts',
      'no-test-helpers-in-production: src-main/engine/warp/forward.ts -> src-main/test/helper.ts',
      'processes-apart-host: src-main/host/context.ts -> src-main/cli/main.ts',
      'pure-imports-pure: src-main/engine/lambda/table.ts -> src-main/engine/warp/forward.ts',
      'pure-no-node: src-main/engine/lambda/table.ts -> fs',
      'pure-npm: src-main/engine/lambda/table.ts -> npm:sharp',
      'renderer-no-node: src-renderer/App.tsx -> path',
      'renderer-through-api: src-renderer/App.tsx -> src-main/engine/warp/forward.ts',
      'ui-code-in-ui: src-main/engine/warp/pool.ts -> src-renderer/App.tsx',
    ]);
  });

  it('pass a clean tree', () => {
    expect(
      violations({
        'src-main/api/contract.ts': `import { table } from '../engine/lambda/table';\nexport const api = table;\n`,
        'src-main/engine/lambda/table.ts': `import { z } from 'zod';\nexport const table = z;\n`,
        'src-main/engine/warp/forward.ts': `import { readFileSync } from 'node:fs';\nimport { table } from '../lambda/table';\nexport const warp = [readFileSync, table];\n`,
        'src-main/host/context.ts': `import { warp } from '../engine/warp/forward';\nexport const host = warp;\n`,
        'src-renderer/App.tsx': `import { api } from '../src-main/api/contract';\nexport const app = api;\n`,
      }),
    ).toEqual([]);
  });
});
