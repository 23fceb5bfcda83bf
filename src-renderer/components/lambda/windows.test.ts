import { afterEach, describe, expect, it } from 'vitest';
import { createProject } from '../../../src-main/engine/project/create';
import { planWindows } from '../../../src-main/engine/windows';
import { useProject, undo, redo } from '../../state/projectStore';
import { Stroke } from './brush';
import { fillRect } from './edit';
import { lambdaWindows, windowPlace, windowsSummary } from './windowsView';
import { working } from './working';

/** The lambda editor on a track rendered in windows: the plan it shows, and editing together or apart, one undo step each. */
function load(numFrames: number, render: Record<string, unknown> = {}) {
  const made = createProject('t', { numFrames, render: { steps: 6, ...render } } as never);
  useProject.getState().load({ doc: made, dir: '/tmp/x', path: null } as never);
  working.sync(useProject.getState().doc!.lambda);
}
const doc = () => useProject.getState().doc!;
const at = (row: number, col: number) => doc().lambda.values[row * doc().lambda.frames + col];
afterEach(() => {
  working.windows = null;
  working.together = false;
});

describe('the windows the lambda editor shows', () => {
  it("are the render's plan: the model's longest count, or render.windowFrames; none for a track that fits", () => {
    load(60);
    expect(lambdaWindows(doc(), [14, 25])).toEqual(planWindows(60, 25, 4));
    expect(lambdaWindows(doc(), 'any')).toBeNull();
    // Until the model is known, nothing is claimed.
    expect(lambdaWindows(doc(), null)).toBeNull();
    load(60, { windowFrames: 25, windowOverlap: 4 });
    expect(lambdaWindows(doc(), null)).toEqual(planWindows(60, 25, 4));
    load(25);
    expect(lambdaWindows(doc(), [14, 25])).toBeNull();
  });
  it('are summarised and placed in words', () => {
    const ws = planWindows(60, 25, 4);
    expect(windowsSummary(ws)).toBe('3 windows of 25 frames, overlap 4 (0–24, 21–45, 35–59)');
    expect(windowPlace(ws, 10)).toBe('window 1 frame 10');
    expect(windowPlace(ws, 22)).toBe('window 1 frame 22, window 2 frame 1');
    expect(windowPlace(ws, 21)).toBe('window 1 frame 21, window 2 frame 0 (its source)');
  });
});

describe('editing windows together or apart', () => {
  it('apart: a fill changes only its own cells', () => {
    load(60);
    working.windows = planWindows(60, 25, 4);
    working.together = false;
    const before = doc().lambda.values.slice();
    working.edit((g) => fillRect(g, { r0: 2, r1: 3, c0: 10, c1: 10 }, 0.05), { now: true });
    const changed = doc().lambda.values.flatMap((v, i) => (v !== before[i] ? [i] : []));
    expect(changed).toEqual([2 * 60 + 10, 3 * 60 + 10]);
  });

  it('together: a brush stroke on one window lands on the same window-relative frames of every window; one undo step restores all', () => {
    load(60);
    working.windows = planWindows(60, 25, 4);
    working.together = true;
    const before = doc();
    // A 1-cell hard brush setting 0.05 at step 1, frame 10 (window 1's frame 10).
    const stroke = new Stroke(working.grid!, { mode: 'set', size: 1, strength: 1, falloff: 0, amount: 0.05 });
    working.begin();
    working.edit(() => stroke.moveTo(1.5, 10.5));
    working.end();
    const changed = doc().lambda.values.flatMap((v, i) =>
      v !== before.lambda.values[i] ? [`${Math.floor(i / 60)},${i % 60}`] : [],
    );
    // Window 1's frame 10 is track frame 10; window 2's is 31, window 3's is 45.
    expect(changed).toEqual(['1,10', '1,31', '1,45']);
    // The copies are the painted cell's value exactly.
    expect(at(1, 31)).toBe(at(1, 10));
    expect(at(1, 45)).toBe(at(1, 10));
    for (const c of [10, 31, 45]) expect(at(1, c)).toBeCloseTo(0.05, 12);
    expect(doc().lambda.preset).toEqual({ kind: 'custom' });
    undo();
    expect(doc()).toBe(before);
    redo();
    for (const c of [10, 31, 45]) expect(at(1, c)).toBeCloseTo(0.05, 12);
  });

  it('together on a track in one piece is an ordinary edit', () => {
    load(25);
    working.windows = null;
    working.together = true;
    const before = doc().lambda.values.slice();
    working.edit((g) => fillRect(g, { r0: 0, r1: 0, c0: 5, c1: 5 }, 0.01), { now: true });
    expect(doc().lambda.values.filter((v, i) => v !== before[i])).toHaveLength(1);
  });
});
