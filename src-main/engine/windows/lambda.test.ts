import { describe, expect, it } from 'vitest';
import { makeLambdaTable } from '../lambda/table';
import { planWindows, renderWindowPlan } from './plan';
import { mirrorColumns, shareAcrossWindows, windowLambda, windowsAt } from './lambda';

// 60 frames, 25-frame windows, overlap 4: [0,25) [21,46) [35,60).
const W60 = planWindows(60, 25, 4);

describe('windowLambda', () => {
  it('gives each window its own columns as a [steps][window] table (values hand-checked)', () => {
    const t = makeLambdaTable(2, 6, [0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15]);
    const w = windowLambda(t, { start: 2, end: 6 });
    expect([w.steps, w.frames]).toEqual([2, 4]);
    expect(Array.from(w.data)).toEqual([2, 3, 4, 5, 12, 13, 14, 15]);
  });
  it('refuses a window outside the table', () => {
    expect(() => windowLambda(makeLambdaTable(1, 5), { start: 3, end: 7 })).toThrow(
      /Window 3..6 does not fit a lambda table of 5 frames/,
    );
  });
});

describe('windowsAt and mirrorColumns', () => {
  it('an overlap frame is in two windows; a frame of one window in one', () => {
    expect(windowsAt(W60, 10)).toEqual([0]);
    expect(windowsAt(W60, 22)).toEqual([0, 1]);
    expect(windowsAt(W60, 40)).toEqual([1, 2]);
    expect(windowsAt(W60, 59)).toEqual([2]);
  });
  it('mirrors a frame to the same window-relative frame of every window', () => {
    // Frame 10 is window 1's frame 10: windows 2 and 3 have it at 31 and 45.
    expect(mirrorColumns(W60, 10)).toEqual([10, 31, 45]);
    // Frame 22 is window 1's 22 (-> 22, 43, 57) and window 2's 1 (-> 1, 22, 36).
    expect(mirrorColumns(W60, 22)).toEqual([1, 22, 36, 43, 57]);
    // Frame 21 is window 2's frame 0 (its source, not mirrored) and window 1's 21 (-> 21, 42, 56).
    expect(mirrorColumns(W60, 21)).toEqual([21, 42, 56]);
    // Frame 50 is window 3's 15 only (-> 15, 36, 50).
    expect(mirrorColumns(W60, 50)).toEqual([15, 36, 50]);
  });
});

describe('shareAcrossWindows (editing together)', () => {
  it('copies the edited cells to every window at the same relative frame, and leaves other rows and columns alone', () => {
    const t = makeLambdaTable(3, 60);
    // An edit set rows 1..2 of frame 10 to 0.7.
    for (const i of [1, 2]) t.data[i * 60 + 10] = 0.7;
    const rect = shareAcrossWindows(t, W60, { r0: 1, r1: 2, c0: 10, c1: 10 });
    expect(rect).toEqual({ r0: 1, r1: 2, c0: 10, c1: 45 });
    for (const c of [10, 31, 45]) {
      expect(t.data[0 * 60 + c]).toBe(0);
      expect(t.data[1 * 60 + c]).toBe(0.7);
      expect(t.data[2 * 60 + c]).toBe(0.7);
    }
    const changed = Array.from(t.data).filter((v) => v !== 0).length;
    expect(changed).toBe(6);
  });
  it("after a together edit, every window's table shows the same pattern in the columns edited", () => {
    const t = makeLambdaTable(2, 60);
    for (let c = 3; c <= 6; c++) for (let i = 0; i < 2; i++) t.data[i * 60 + c] = 0.1 * c;
    shareAcrossWindows(t, W60, { r0: 0, r1: 1, c0: 3, c1: 6 });
    const tables = W60.map((w) => windowLambda(t, w));
    for (let r = 3; r <= 6; r++) for (const wt of tables) expect(wt.data[wt.frames + r]).toBeCloseTo(0.1 * r, 12);
  });
  it('never writes frame 0 (the photo) and keeps a column the edit changed itself', () => {
    const t = makeLambdaTable(
      1,
      60,
      Array.from({ length: 60 }, () => 1),
    );
    // An edit of frames 21..22 (window 2's frames 0 and 1; window 1's 21 and 22). A window's
    // frame 0 is its source: not mirrored, so frames 0 and 35 (window 3's frame 0) stay 1.
    t.data[21] = 0.2;
    t.data[22] = 0.3;
    shareAcrossWindows(t, W60, { r0: 0, r1: 0, c0: 21, c1: 22 });
    expect(t.data[0]).toBe(1);
    expect([t.data[21], t.data[22]]).toEqual([0.2, 0.3]);
    expect(t.data[1]).toBe(0.3); // window 1's frame 1 <- window 2's frame 1 (frame 22)
    expect(t.data[43]).toBe(0.3); // window 2's frame 22 <- window 1's frame 22
    expect(t.data[42]).toBe(0.2); // window 2's frame 21 <- window 1's frame 21
    expect(t.data[35]).toBe(1);
    expect(t.data[56]).toBe(0.2); // window 3's frame 21 <- window 1's frame 21
  });
  it('refuses windows that do not cover the table', () => {
    expect(() => shareAcrossWindows(makeLambdaTable(1, 50), W60, { r0: 0, r1: 0, c0: 1, c1: 1 })).toThrow(
      /windows end at frame 60; the lambda table has 50 frames/,
    );
  });
});

describe('renderWindowPlan', () => {
  it("windows of the model's longest count when the track is longer; render.windowFrames wins; null when it fits", () => {
    expect(renderWindowPlan(60, {}, [14, 25])).toEqual(W60);
    expect(renderWindowPlan(25, {}, [14, 25])).toBeNull();
    expect(renderWindowPlan(60, {}, 'any')).toBeNull();
    expect(renderWindowPlan(60, { windowFrames: 25 }, 'any')).toEqual(W60);
    expect(renderWindowPlan(20, { windowFrames: 14, windowOverlap: 4 }, [14, 25])).toEqual([
      { start: 0, end: 14 },
      { start: 6, end: 20 },
    ]);
    expect(renderWindowPlan(60, { windowOverlap: 2 }, [14])).toEqual(planWindows(60, 14, 2));
  });
});
