import { describe, expect, it } from 'vitest';
import { applyPreset, defaultPresetDoc, fitImported, reshapeLambda } from './presets';
import { defaultLambda, lambdaForTriple } from '../../../src-main/engine/lambda/search';
import { sigmasForSteps } from '../../../src-main/engine/schedule/sigmas';
import { makeLambdaTable } from '../../../src-main/engine/lambda/table';
import type { LambdaDoc } from '../../../src-main/engine/project/schema';

describe('presets', () => {
  it('the default preset is the reference search for the shape', () => {
    const d = defaultPresetDoc(25, 14, 0.3);
    const ref = defaultLambda(sigmasForSteps(25), 14);
    expect(d.preset).toEqual({ kind: 'default', v1: ref.v1, v2: ref.v2, v3: ref.v3 });
    expect(d.values).toEqual(Array.from(ref.table.data));
  });

  it('an edited triple recomputes the table; an invalid one leaves it with a message', () => {
    const d = defaultPresetDoc(25, 14, 0.3);
    const r = applyPreset(d, { kind: 'default', v1: 0.005, v2: 300, v3: 50 });
    const want = lambdaForTriple(sigmasForSteps(25), 14, 0.005, 300, 50);
    if (want) {
      expect('lambda' in r && r.lambda.values).toEqual(Array.from(want.data));
    } else {
      expect(r).toHaveProperty('error');
    }
    // (0.009, 50, 100) has no accepted root at some entry of a 25 x 14 table (checked with lambdaForTriple).
    expect(lambdaForTriple(sigmasForSteps(25), 14, 0.009, 50, 100)).toBeNull();
    const bad = applyPreset(d, { kind: 'default', v1: 0.009, v2: 50, v3: 100 });
    expect(bad).toHaveProperty('error');
    expect('error' in bad && bad.error).toMatch(/table is unchanged/);
  });

  it('constant and ramps', () => {
    const d = defaultPresetDoc(4, 5, 0.3);
    const c = applyPreset(d, { kind: 'constant', value: 0.6 });
    expect('lambda' in c && c.lambda.values.slice(0, 5)).toEqual([1, 0.6, 0.6, 0.6, 0.6]);
    const r = applyPreset(d, { kind: 'ramp', axis: 'frames', from: 0.2, to: 0.8 });
    expect('lambda' in r && r.lambda.values.slice(5, 10).map((v) => +v.toFixed(12))).toEqual([1, 0.2, 0.4, 0.6, 0.8]);
  });
});

describe('reshapeLambda', () => {
  const painted = (): LambdaDoc => {
    const values: number[] = Array.from({ length: 25 * 25 }, (_, k) => (k % 25 === 0 ? 1 : 0.4));
    for (let i = 10; i <= 14; i++) for (let f = 10; f <= 14; f++) values[i * 25 + f] = 0.9;
    return { steps: 25, frames: 25, values, lambdaMin: 0.3, preset: { kind: 'custom' } };
  };

  it('is null when the shape already fits', () => {
    expect(reshapeLambda(painted(), 25, 25)).toBeNull();
  });

  it('resamples a painted table and keeps the painted region at its place in the track', () => {
    const r = reshapeLambda(painted(), 25, 49)!;
    expect(r.lambda.frames).toBe(49);
    expect(r.lambda.values.length).toBe(25 * 49);
    expect(r.message).toMatch(/resampled from 25 × 25 to 25 steps × 49 frames/);
    // Old frame 12 (mid-region) is at position 12/24 = new frame 24.
    expect(r.lambda.values[12 * 49 + 24]).toBeCloseTo(0.9, 12);
    expect(r.lambda.values[12 * 49 + 4]).toBeCloseTo(0.4, 12);
    expect(r.lambda.preset).toEqual({ kind: 'custom' });
  });

  it('recomputes presets for the new shape', () => {
    const d = defaultPresetDoc(25, 25, 0.25);
    const r = reshapeLambda(d, 50, 25)!;
    const ref = defaultLambda(sigmasForSteps(50), 25);
    expect(r.lambda.values).toEqual(Array.from(ref.table.data));
    expect(r.lambda.lambdaMin).toBe(0.25);
    const ramp: LambdaDoc = { ...d, preset: { kind: 'ramp', axis: 'steps', from: 1, to: 0 } };
    const rr = reshapeLambda(ramp, 3, 4)!;
    expect(rr.lambda.values).toEqual([1, 1, 1, 1, 1, 0.5, 0.5, 0.5, 1, 0, 0, 0]);
  });

  it('fits an imported table of another shape', () => {
    const t = makeLambdaTable(2, 1, [0.5, 0.5]);
    const f = fitImported(t, 3, 4);
    expect(f.resampled).toBe(true);
    expect(Array.from(f.table.data.subarray(0, 4))).toEqual([1, 0.5, 0.5, 0.5]);
  });
});
