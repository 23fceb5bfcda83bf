import { tempDir } from '../../test/tmp';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../test/fixtures';
import { writeNpy } from '../npy/npy';
import { CamtrackError } from '../util/errors';
import { loadSigmasFile } from './file';
import { sigmasForSteps, validateSigmas } from './sigmas';

describe('Karras sigma schedule', () => {
  it('matches the check values of docs/design.md, Sigma schedule (25 steps)', () => {
    const s = sigmasForSteps(25);
    expect(s.length).toBe(26);
    const f = (x: number) => Math.fround(x);
    expect(s[0]).toBe(700);
    // docs/design.md prints 8 significant digits of the float32 values.
    expect(s[1]).toBeCloseTo(545.72925, 4);
    expect(s[2]).toBeCloseTo(421.56912, 4);
    expect(s[3]).toBeCloseTo(322.45367, 4);
    expect(s[22]).toBeCloseTo(0.0248026, 7);
    expect(s[23]).toBeCloseTo(0.0078825, 7);
    expect(s[24]).toBe(f(0.002));
    expect(s[25]).toBe(0);
  });

  it('is computed from the formula: sigma_i = (700^(1/7) + i/(N-1) (0.002^(1/7) - 700^(1/7)))^7, rounded to float32', () => {
    const n = 10;
    const s = sigmasForSteps(n);
    const hi = 700 ** (1 / 7);
    const lo = 0.002 ** (1 / 7);
    for (let i = 0; i < n; i++) expect(s[i]).toBe(Math.fround((hi + (i / (n - 1)) * (lo - hi)) ** 7));
    expect(() => validateSigmas(s)).not.toThrow();
    expect(Array.from(sigmasForSteps(1))).toEqual([700, 0]);
  });

  it('equals the committed sigmas/*.npy byte for byte', () => {
    for (const n of [25, 50, 100]) {
      const committed = new Uint8Array(readFileSync(path.join(REPO_ROOT, 'sigmas', `sigmas_${n}.npy`)));
      const s = sigmasForSteps(n);
      expect(writeNpy(s, [n + 1])).toEqual(committed);
    }
  });

  it('refuses a step count that is not a whole number >= 1', () => {
    for (const bad of [0, -3, 2.5, NaN]) expect(() => sigmasForSteps(bad)).toThrow(CamtrackError);
  });
});

describe('validateSigmas', () => {
  const cases: [string, number[], RegExp][] = [
    ['too short', [0], /1 value; it needs/],
    ['not finite', [700, NaN, 0], /value 1 is NaN/],
    ['not decreasing', [700, 800, 0], /value 1 \(800\) is not below value 0/],
    ['repeated value', [700, 700, 0], /decrease strictly/],
    ['last not 0', [700, 1, 0.5], /must decrease strictly|end with 0/],
    ['ends above 0', [700, 1], /end with 0 \(its last value is 1\)/],
  ];
  for (const [what, values, message] of cases) {
    it(`refuses a schedule: ${what}`, () => {
      expect(() => validateSigmas(values)).toThrow(message);
    });
  }
});

describe('loadSigmasFile', () => {
  const dir = tempDir('camtrack-sigmas-');
  it('loads a committed file', async () => {
    const s = await loadSigmasFile(path.join(REPO_ROOT, 'sigmas', 'sigmas_50.npy'));
    expect(Array.from(s)).toEqual(Array.from(sigmasForSteps(50)));
  });
  it('refuses a 2-D array, a rising one, and a missing file', async () => {
    const twoD = path.join(dir, 'two.npy');
    writeFileSync(twoD, writeNpy(Float64Array.from([3, 2, 1, 0]), [2, 2]));
    await expect(loadSigmasFile(twoD)).rejects.toThrow(/1-D array of sigmas; its shape is \(2, 2\)/);
    const rising = path.join(dir, 'rising.npy');
    writeFileSync(rising, writeNpy(Float32Array.from([1, 2, 0]), [3]));
    await expect(loadSigmasFile(rising)).rejects.toThrow(/rising\.npy must decrease strictly/);
    await expect(loadSigmasFile(path.join(dir, 'nope.npy'))).rejects.toMatchObject({ code: 'not-found' });
  });
});
