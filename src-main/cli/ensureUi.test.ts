import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test/tmp';
import { ensureStudioUi } from './ensureUi';

function fakeApp(): string {
  const root = tempDir('camtrack-ui-');
  mkdirSync(path.join(root, 'scripts'));
  writeFileSync(path.join(root, 'scripts', 'build.mjs'), '');
  return root;
}

describe('camtrack serve on a fresh clone', () => {
  it('builds the studio UI when it is missing, says so, and serves the result', () => {
    const root = fakeApp();
    const lines: string[] = [];
    const builds: string[] = [];
    const dir = ensureStudioUi(
      root,
      (l) => lines.push(l),
      (r) => {
        builds.push(r);
        mkdirSync(path.join(r, 'dist', 'renderer'), { recursive: true });
        writeFileSync(path.join(r, 'dist', 'renderer', 'index.html'), '<!doctype html>');
        return 0;
      },
    );
    expect(dir).toBe(path.join(root, 'dist', 'renderer'));
    expect(builds).toEqual([root]);
    expect(lines).toEqual([expect.stringMatching(/not built yet: building it now/)]);
    // Built once: the next start serves it without building.
    ensureStudioUi(
      root,
      (l) => lines.push(l),
      () => {
        throw new Error('built twice');
      },
    );
    expect(lines).toHaveLength(1);
  });

  it('a failed build is one readable error naming what to run', () => {
    expect(() =>
      ensureStudioUi(
        fakeApp(),
        () => undefined,
        () => 1,
      ),
    ).toThrow(/Building the studio UI failed \(exit 1\)\. Run `npm install`, then `npm run build`/);
  });
});
