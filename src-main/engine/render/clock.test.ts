import { describe, expect, it } from 'vitest';
import { CamtrackError } from '../util/errors';
import { StageClock } from './clock';
import type { RenderProgress } from './types';

describe('StageClock', () => {
  it('lists each stage once, in the order stages first ran, adding up a stage run window by window', async () => {
    const clock = new StageClock('model', undefined, undefined);
    const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
    await clock.time('load', () => wait(5));
    for (let k = 0; k < 3; k++) {
      await clock.time('encode', () => wait(5));
      await clock.time('denoise', () => wait(5));
    }
    expect(clock.timings.map((t) => t.stage)).toEqual(['load', 'encode', 'denoise']);
    // Three runs of at least 5 ms each (timers never fire early by more than a millisecond).
    expect(clock.timings[2].ms).toBeGreaterThanOrEqual(12);
  });

  it('refuses to start a stage after a cancel, naming it, but lets a stage that already ran finish', async () => {
    const ac = new AbortController();
    const clock = new StageClock('model', undefined, ac.signal);
    // A cancel during the sidecar stage, after its files were committed: the render is done.
    await expect(clock.time('sidecar', () => (ac.abort(), 'committed'))).resolves.toBe('committed');
    const e = await clock.time('export', () => 'never').catch((x) => x);
    expect(e).toBeInstanceOf(CamtrackError);
    expect((e as CamtrackError).message).toBe('The render was cancelled (export).');
  });

  it('maps a preview onto its own spans, and windows onto shares of the encode..decode span that only rise', () => {
    const seen: RenderProgress[] = [];
    new StageClock('preview', (p) => seen.push(p), undefined).progress('warp', 0.5);
    expect(seen.pop()!.fraction).toBeCloseTo(0.05 + 0.55 * 0.5, 12);
    const clock = new StageClock('model', (p) => seen.push(p), undefined);
    for (let k = 0; k < 3; k++) {
      const progress = clock.forWindow(k, 3);
      progress('encode', 0);
      progress('denoise', 0.5, { step: 2, steps: 4 });
      progress('decode', 1);
    }
    expect(seen.map((p) => p.window)).toEqual([1, 1, 1, 2, 2, 2, 3, 3, 3]);
    for (let i = 1; i < seen.length; i++) expect(seen[i].fraction).toBeGreaterThanOrEqual(seen[i - 1].fraction);
    expect(seen[4].fraction).toBeGreaterThan(seen[3].fraction);
    expect(seen[0].fraction).toBeCloseTo(0.13, 12);
    expect(seen.at(-1)!.fraction).toBeCloseTo(0.94, 12);
    expect(seen[1]).toMatchObject({ stage: 'denoise', step: 2, steps: 4, windows: 3 });
  });
});
