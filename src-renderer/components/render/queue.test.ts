import { describe, expect, it } from 'vitest';
import type { JobStatus, JobView } from '../../../src-main/api/contract';
import {
  addIfNew,
  orderLike,
  canCancel,
  canRemove,
  canRestart,
  dropTarget,
  moveLocal,
  moveTarget,
  progressText,
  splitQueue,
  formatBytes,
  outputSummary,
  toggleCompare,
  upsertJob,
  baseName,
  jobSettings,
} from './queue';
import { frameAt, rgbToRgba } from './preview';

function job(id: string, status: JobStatus = 'queued', progress = 0): JobView {
  return {
    project: '/p',
    id,
    label: id,
    createdAt: '2026-11-25T18:00:00.000Z',
    status,
    progress,
    seed: 1,
    steps: 4,
    frames: 14,
  };
}
const ids = (js: JobView[]) => js.map((j) => j.id);

describe('queue list', () => {
  it('an update replaces its job in place, a new job is appended', () => {
    const jobs = [job('a'), job('b'), job('c')];
    const updated = upsertJob(jobs, job('b', 'running', 0.5));
    expect(ids(updated)).toEqual(['a', 'b', 'c']);
    expect(updated[1].status).toBe('running');
    expect(jobs[1].status).toBe('queued');
    expect(ids(upsertJob(jobs, job('d')))).toEqual(['a', 'b', 'c', 'd']);
  });

  it('answers give the order and new jobs; statuses come from the events', () => {
    // The cancel event of c arrived before the reorder answer that still says 'queued'.
    const current = [job('a', 'running', 0.4), job('b'), job('c', 'cancelled'), job('d')];
    const answer = [job('a', 'running', 0.1), job('c'), job('b')];
    const merged = orderLike(current, answer);
    expect(ids(merged)).toEqual(['a', 'c', 'b', 'd']);
    expect(merged.map((j) => j.status)).toEqual(['running', 'cancelled', 'queued', 'queued']);
    expect(merged[0].progress).toBe(0.4);
    // A job the list does not know yet is taken from the answer.
    expect(ids(orderLike([job('a')], [job('a'), job('x')]))).toEqual(['a', 'x']);
    // An enqueue answer never turns a running job (its event came first) back to queued.
    expect(addIfNew([job('a', 'running')], job('a'))[0].status).toBe('running');
    expect(ids(addIfNew([job('a')], job('b')))).toEqual(['a', 'b']);
  });

  it('done jobs are the history, the newest first; everything else the queue, in queue order', () => {
    const at = (id: string, finishedAt?: string): JobView => ({
      ...job(id, 'done'),
      ...(finishedAt && { finishedAt }),
    });
    const jobs = [
      at('a', '2026-01-01T10:00:00Z'),
      job('b', 'running'),
      job('c', 'failed'),
      at('d', '2026-01-01T12:00:00Z'),
      job('e', 'interrupted'),
      at('f', '2026-01-01T11:00:00Z'),
    ];
    const { active, history } = splitQueue(jobs);
    expect(ids(active)).toEqual(['b', 'c', 'e']);
    expect(ids(history)).toEqual(['d', 'f', 'a']);
    // Without finish times (older engines), the later in the list is the newer.
    expect(ids(splitQueue([job('x', 'done'), job('y', 'done')]).history)).toEqual(['y', 'x']);
  });

  it('a card says the format and the size: MP4 · 3.2 MB, PNG frames · 840 KB', () => {
    expect(outputSummary({ format: 'mp4', bytes: 3_210_000 })).toBe('MP4 · 3.2 MB');
    expect(outputSummary({ format: 'png', bytes: 840_000 })).toBe('PNG frames · 840 KB');
    expect(outputSummary({ format: 'gif' })).toBe('GIF');
    expect(outputSummary({})).toBe('');
    expect([formatBytes(999), formatBytes(1000), formatBytes(123_456_789), formatBytes(2.5e9)]).toEqual([
      '999 B',
      '1 KB',
      '123 MB',
      '2.5 GB',
    ]);
  });

  it('moving up or down among the visible jobs targets the neighbour’s index in the whole list', () => {
    // Engine order: a(done) b c(done) d e; visible queue: b d e.
    const all = [job('a', 'done'), job('b'), job('c', 'done'), job('d'), job('e')];
    const visible = splitQueue(all).active;
    expect(moveTarget(all, visible, 'd', -1)).toBe(1); // swap with b
    expect(moveTarget(all, visible, 'b', 1)).toBe(3); // swap with d
    expect(moveTarget(all, visible, 'b', -1)).toBeNull();
    expect(moveTarget(all, visible, 'e', 1)).toBeNull();
    expect(moveTarget(all, visible, 'zz', 1)).toBeNull();
    // The engine's moveJob removes then inserts at toIndex: the same semantics locally.
    expect(ids(moveLocal(all, 'd', 1))).toEqual(['a', 'd', 'b', 'c', 'e']);
    expect(ids(moveLocal(all, 'b', 3))).toEqual(['a', 'c', 'd', 'b', 'e']);
    expect(ids(moveLocal(all, 'a', 99))).toEqual(['b', 'c', 'd', 'e', 'a']);
  });

  it('a drop lands the dragged job at the target’s place', () => {
    const all = [job('a'), job('b'), job('c')];
    expect(dropTarget(all, 'c', 'a')).toBe(0);
    expect(ids(moveLocal(all, 'c', dropTarget(all, 'c', 'a')!))).toEqual(['c', 'a', 'b']);
    expect(ids(moveLocal(all, 'a', dropTarget(all, 'a', 'c')!))).toEqual(['b', 'c', 'a']);
    expect(dropTarget(all, 'b', 'b')).toBeNull();
  });

  it('actions follow the status', () => {
    const table = (['queued', 'running', 'done', 'failed', 'cancelled', 'interrupted'] as const).map((s) => [
      s,
      canCancel(s),
      canRestart(s),
      canRemove(s),
    ]);
    expect(table).toEqual([
      ['queued', true, false, true],
      ['running', true, false, false],
      ['done', false, false, true],
      ['failed', false, true, true],
      ['cancelled', false, true, true],
      ['interrupted', true, true, true],
    ]);
  });

  it('compare keeps the last two choices and toggles off', () => {
    expect(toggleCompare([], 'a')).toEqual(['a']);
    expect(toggleCompare(['a'], 'b')).toEqual(['a', 'b']);
    expect(toggleCompare(['a', 'b'], 'c')).toEqual(['b', 'c']);
    expect(toggleCompare(['a', 'b'], 'a')).toEqual(['b']);
  });

  it('progress text names the stage, and says an interrupted job stopped', () => {
    expect(progressText({ status: 'running', progress: 0.456, stage: 'denoise 3/4' })).toBe('denoise 3/4 · 46%');
    expect(progressText({ status: 'interrupted', progress: 0.3, stage: 'decode' })).toBe(
      'Stopped at 30% (decode): the engine quit mid-render.',
    );
    expect(progressText({ status: 'queued', progress: 0 })).toBe('');
    // A track in windows: which window, then the stage and its step.
    expect(
      progressText({
        status: 'running',
        progress: 0.5,
        stage: 'denoise',
        detail: 'step 2 of 4',
        window: { index: 2, count: 3 },
      }),
    ).toBe('window 2/3 · denoise step 2 of 4 · 50%');
    expect(progressText({ status: 'running', progress: 0.2, stage: 'warp', window: { index: 1, count: 5 } })).toBe(
      'window 1/5 · warp · 20%',
    );
    expect(
      progressText({ status: 'interrupted', progress: 0.7, stage: 'decode', window: { index: 3, count: 3 } }),
    ).toBe('Stopped at 70% (window 3/3, decode): the engine quit mid-render.');
    expect(baseName('renders/job-1/out.mp4')).toBe('out.mp4');
    expect(baseName('renders\\x.webm')).toBe('x.webm');
  });
});

describe('preview frames', () => {
  it('RGB24 becomes opaque RGBA, pixel for pixel', () => {
    const rgb = Uint8Array.from([1, 2, 3, 250, 251, 252]);
    expect(Array.from(rgbToRgba(rgb, 2, 1))).toEqual([1, 2, 3, 255, 250, 251, 252, 255]);
    expect(() => rgbToRgba(rgb, 2, 2)).toThrow(/needs 12 RGB bytes, got 6/);
  });
  it('frames loop at the track rate', () => {
    expect(frameAt(0, 7, 14)).toBe(0);
    expect(frameAt(1000 / 7 - 1, 7, 14)).toBe(0);
    expect(frameAt(1000 / 7 + 1, 7, 14)).toBe(1);
    expect(frameAt(2000 + 1, 7, 14)).toBe(0); // 14 frames at 7 fps: two seconds per loop
    expect(frameAt(500, 7, 0)).toBe(0);
  });
});

describe('job settings line', () => {
  it('shows seed and steps for a model render, frames and size for a preview', () => {
    const base = { seed: 42, steps: 25, frames: 14 };
    expect(jobSettings(base)).toBe('seed 42 · 25 steps · 14 frames');
    const fp = {
      seed: 42,
      steps: 25,
      frames: 14,
      model: 'preview',
      size: '1024x576',
      fps: 7,
      guidance: '1-3',
      fidelity: 'studio' as const,
      lambda: 'default #0',
      track: '2 keys #0',
      depth: 'none',
      photo: 'none',
    };
    expect(jobSettings({ ...base, preview: true, fingerprint: fp })).toBe('preview · 14 frames · 1024x576');
    expect(jobSettings({ ...base, preview: true })).toBe('preview · 14 frames');
    // A reference-fidelity render says so; a studio one says nothing more.
    expect(jobSettings({ ...base, fingerprint: fp })).toBe('seed 42 · 25 steps · 14 frames');
    expect(jobSettings({ ...base, steps: 100, fingerprint: { ...fp, fidelity: 'reference' } })).toBe(
      'seed 42 · 100 steps · reference fidelity · 14 frames',
    );
  });
});
