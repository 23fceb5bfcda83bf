import { tempDir } from '../../test/tmp';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lambdaFromCsv, lambdaFromJson, lambdaFromNpy } from '../../engine/lambda/formats';
import { defaultLambda } from '../../engine/lambda/search';
import { readNpy, writeNpy } from '../../engine/npy/npy';
import { sigmasForSteps } from '../../engine/schedule/sigmas';
import { REPO_ROOT } from '../../test/fixtures';
import { runCli } from '../../test/cli';

const run = runCli;

const dir = tempDir('camtrack-cli-');
afterEach(() => vi.restoreAllMocks());

describe('camtrack sigmas', () => {
  it('prints the schedule as a JSON array (float32 values, last 0)', async () => {
    const r = await run('sigmas', '--steps', '25');
    expect(r.code).toBe(0);
    const values = JSON.parse(r.out) as number[];
    expect(values.length).toBe(26);
    expect(values).toEqual(Array.from(sigmasForSteps(25)));
    expect(values[1]).toBeCloseTo(545.72925, 4);
    expect(values[25]).toBe(0);
  });

  it('writes the same bytes as the committed sigmas_50.npy with --out', async () => {
    const out = path.join(dir, 's50.npy');
    const r = await run('sigmas', '--steps', '50', '--out', out);
    expect(r.code).toBe(0);
    expect(readFileSync(out)).toEqual(readFileSync(path.join(REPO_ROOT, 'sigmas', 'sigmas_50.npy')));
  });

  it('refuses a bad step count and a non-.npy --out with a readable line', async () => {
    const bad = await run('sigmas', '--steps', '0');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/steps must be a whole number >= 1.*\[bad-input\]/);
    const ext = await run('sigmas', '--steps', '5', '--out', path.join(dir, 's.csv'));
    expect(ext.code).toBe(1);
    expect(ext.err).toMatch(/--out must name a \.npy file/);
  });
});

describe('camtrack lambda', () => {
  it('prints {v1, v2, v3, steps, frames, lambda} for --steps', async () => {
    const r = await run('lambda', '--steps', '25', '--frames', '25');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    const d = defaultLambda(sigmasForSteps(25), 25);
    expect(Object.keys(doc)).toEqual(['v1', 'v2', 'v3', 'steps', 'frames', 'lambda']);
    expect([doc.v1, doc.v2, doc.v3, doc.steps, doc.frames]).toEqual([0.001, 1000, 10, 25, 25]);
    expect(doc.lambda.length).toBe(25);
    expect(doc.lambda[3].length).toBe(25);
    expect(doc.lambda.flat()).toEqual(Array.from(d.table.data));
  });

  it('reads --sigmas from a .npy file', async () => {
    const file = path.join(dir, 'sig.npy');
    writeFileSync(file, writeNpy(Float64Array.from([80, 20, 5, 1, 0]), [5]));
    const r = await run('lambda', '--sigmas', file, '--frames', '6');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    const d = defaultLambda([80, 20, 5, 1, 0], 6);
    expect([doc.steps, doc.frames, doc.v1, doc.v2, doc.v3]).toEqual([4, 6, d.v1, d.v2, d.v3]);
    expect(doc.lambda.flat()).toEqual(Array.from(d.table.data));
  });

  it('writes .npy, .csv and .json by extension', async () => {
    const d = defaultLambda(sigmasForSteps(10), 7);
    for (const ext of ['npy', 'csv', 'json']) {
      const out = path.join(dir, `l.${ext}`);
      const r = await run('lambda', '--steps', '10', '--frames', '7', '--out', out);
      expect(r.code).toBe(0);
      const bytes = new Uint8Array(readFileSync(out));
      const t =
        ext === 'npy'
          ? lambdaFromNpy(bytes)
          : ext === 'csv'
            ? lambdaFromCsv(readFileSync(out, 'utf8'))
            : lambdaFromJson(readFileSync(out, 'utf8'));
      expect([t.steps, t.frames]).toEqual([10, 7]);
      expect(Array.from(t.data)).toEqual(Array.from(d.table.data));
    }
    expect(readNpy(new Uint8Array(readFileSync(path.join(dir, 'l.npy')))).shape).toEqual([10, 7]);
  });

  it('refuses both or neither of --sigmas/--steps, a bad sigma file, too few frames, a bad extension', async () => {
    expect((await run('lambda', '--frames', '5')).err).toMatch(/exactly one of --sigmas FILE.npy or --steps N/);
    expect((await run('lambda', '--steps', '5', '--sigmas', 'x.npy', '--frames', '5')).err).toMatch(/exactly one/);
    const rising = path.join(dir, 'rising.npy');
    writeFileSync(rising, writeNpy(Float32Array.from([1, 2, 0]), [3]));
    const r = await run('lambda', '--sigmas', rising, '--frames', '5');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/rising\.npy must decrease strictly/);
    expect((await run('lambda', '--steps', '5', '--frames', '1')).err).toMatch(
      /--frames must be a whole number from 2 to 1000 \(got "1"\)/,
    );
    expect((await run('lambda', '--steps', '5', '--frames', '5', '--out', path.join(dir, 'l.txt'))).err).toMatch(
      /\.npy, \.csv or \.json/,
    );
  });
});

describe('bin/camtrack.mjs as a subprocess', () => {
  it('prints the lambda JSON', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [path.join(REPO_ROOT, 'bin', 'camtrack.mjs'), 'lambda', '--steps', '4', '--frames', '3'],
      {
        cwd: REPO_ROOT,
      },
    );
    const doc = JSON.parse(stdout);
    expect([doc.steps, doc.frames]).toEqual([4, 3]);
    expect(doc.lambda.flat()).toEqual(Array.from(defaultLambda(sigmasForSteps(4), 3).table.data));
  });
});
