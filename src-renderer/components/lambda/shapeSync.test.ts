import { beforeEach, describe, expect, it } from 'vitest';
import { createProject } from '../../../src-main/engine/project/create';
import { useProject, undo, redo, beginGesture, endGesture } from '../../state/projectStore';
import { useUi } from '../../state/uiStore';
import { reshapeIfNeeded } from './useLambdaShapeSync';
import { working } from './working';
import { fillRect } from './edit';
import { exportLambda, importLambdaBytes } from './io';

/** The store-level behaviour the editor relies on: one undo step per edit, resamples merged into the edit that caused them. */
function load() {
  const doc = createProject('t', { numFrames: 14 } as never);
  useProject.getState().load({ doc, dir: '/tmp/x', path: null } as never);
  useUi.setState({ toasts: [] });
  working.sync(useProject.getState().doc!.lambda);
}
const doc = () => useProject.getState().doc!;
const past = () => useProject.temporal.getState().pastStates.length;

describe('lambda table and the project history', () => {
  beforeEach(load);

  it('a new frame count resamples the painted table in the same undo step', () => {
    working.edit((g) => fillRect(g, { r0: 5, r1: 8, c0: 5, c1: 8 }, 0.42));
    expect(doc().lambda.preset).toEqual({ kind: 'custom' });
    expect(past()).toBe(1);
    const painted = doc();
    useProject.getState().update((d) => ({ ...d, track: { ...d.track, numFrames: 27 } }));
    reshapeIfNeeded(doc());
    expect(doc().lambda.frames).toBe(27);
    // Old frame f (of 13 intervals) sits at new frame 2f: the block 5..8 becomes 10..16.
    for (let f = 10; f <= 16; f++) expect(doc().lambda.values[6 * 27 + f]).toBeCloseTo(0.42, 12);
    expect(past()).toBe(2);
    expect(useUi.getState().toasts.at(-1)?.text).toMatch(/resampled from 25 × 14 to 25 steps × 27 frames/);
    undo();
    expect(doc()).toBe(painted);
    redo();
    expect(doc().lambda.frames).toBe(27);
  });

  it('inside a gesture the resample waits for the gesture to end and lands in its one step', () => {
    const start = doc();
    beginGesture();
    useProject.getState().update((d) => ({ ...d, render: { ...d.render, steps: 30 } }));
    reshapeIfNeeded(doc());
    expect(doc().lambda.steps).toBe(30);
    expect(doc().lambda.preset.kind).toBe('default'); // the default preset is searched again
    endGesture();
    expect(past()).toBe(1);
    undo();
    expect(doc()).toBe(start);
  });

  it('a stroke is committed when it ends, as one undo step', () => {
    const start = doc();
    working.begin();
    working.edit((g) => fillRect(g, { r0: 1, r1: 1, c0: 1, c1: 1 }, 0.1));
    expect(doc()).toBe(start); // not yet: the stroke goes on
    working.edit((g) => fillRect(g, { r0: 2, r1: 2, c0: 1, c1: 1 }, 0.2));
    working.end();
    expect(past()).toBe(1);
    expect([doc().lambda.values[14 + 1], doc().lambda.values[28 + 1]]).toEqual([0.1, 0.2]);
    undo();
    expect(doc()).toBe(start);
  });
});

describe('import and export', () => {
  beforeEach(load);

  it('exports what the engine parser reads back, exactly', async () => {
    const lambda = doc().lambda;
    for (const format of ['json', 'csv', 'npy'] as const) {
      const { name, blob } = exportLambda(lambda, format);
      expect(name).toBe(`lambda_25x14.${format}`);
      const back = importLambdaBytes(name, new Uint8Array(await blob.arrayBuffer()), lambda);
      expect(back.lambda.values).toEqual(lambda.values);
      expect(back.message).toBe(`Imported ${name} (25 steps × 14 frames).`);
    }
  });

  it("refuses a malformed file with the parser's message", () => {
    expect(() => importLambdaBytes('t.csv', new TextEncoder().encode('0.5,2\n'), doc().lambda)).toThrow(
      't.csv: the value at step 0, frame 1 is 2; lambda values must lie in [0, 1]',
    );
    expect(() => importLambdaBytes('t.txt', new Uint8Array(), doc().lambda)).toThrow(/must end in .npy, .csv or .json/);
  });
});
