import { describe, expect, it } from 'vitest';
import { createProject, defaultLambdaDoc } from '../project/create';
import type { ProjectDoc } from '../project/schema';
import { CamtrackError } from '../util/errors';
import {
  JobOverrides,
  QueueState,
  cancelJob,
  effectiveProject,
  emptyQueue,
  enqueue,
  markDone,
  markFailed,
  markInterrupted,
  markProgress,
  markRunning,
  moveJob,
  nextQueuedJob,
  removeJob,
  restartJob,
  type NewJob,
} from './model';

const T0 = '2026-11-25T17:00:00.000Z';
const T1 = '2026-11-25T17:05:00.000Z';
const T2 = '2026-11-25T17:10:00.000Z';
const project: ProjectDoc = createProject('queue test', { numFrames: 14, render: { steps: 10 }, now: new Date(T0) });
const job = (id: string, extra: Partial<NewJob> = {}): NewJob => ({
  id,
  createdAt: T0,
  label: `render ${id}`,
  project,
  ...extra,
});
const OUT = { video: '/r/a.mp4', sidecar: '/r/a.mp4.json', thumbnail: '/r/a.mp4.thumb.jpg' };

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

function refusal(fn: () => unknown): CamtrackError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CamtrackError);
    return e as CamtrackError;
  }
  throw new Error('expected a refusal');
}

const three = () => [job('a'), job('b'), job('c')].reduce(enqueue, emptyQueue());
const ids = (q: QueueState) => q.jobs.map((j) => j.id);
const statuses = (q: QueueState) => q.jobs.map((j) => j.status);

describe('render queue model', () => {
  it('enqueue keeps order; the next job is the first queued one; ids are unique', () => {
    const q = three();
    expect(ids(q)).toEqual(['a', 'b', 'c']);
    expect(nextQueuedJob(q)?.id).toBe('a');
    expect(refusal(() => enqueue(q, job('b'))).message).toMatch(/already queued/);
    expect(QueueState.safeParse(q).success).toBe(true);
  });

  it('overrides (another seed, another lambda table) apply on top of the snapshot', () => {
    const lambda = { ...defaultLambdaDoc(20, 14), lambdaMin: 0.4 };
    const q = enqueue(emptyQueue(), job('s', { overrides: { render: { seed: 7, steps: 20 }, lambda } }));
    const p = effectiveProject(q.jobs[0]);
    expect(p.render.seed).toBe(7);
    expect(p.render.steps).toBe(20);
    expect(p.lambda.lambdaMin).toBe(0.4);
    expect(p.render.width).toBe(project.render.width);
    expect(q.jobs[0].project.render.seed).toBe(project.render.seed);
  });

  it('an override that names the seed, parsed as the API parses it, changes only the seed', () => {
    const own = {
      ...project,
      render: { ...project.render, conditioningFps: 6, cfgMode: 'two-pass' as const, warp: 'splat' as const },
    };
    const overrides = JobOverrides.parse({ render: { seed: 7 } });
    expect(overrides.render).toEqual({ seed: 7 });
    const p = effectiveProject({ project: own, overrides });
    expect(p.render).toEqual({ ...own.render, seed: 7 });
  });

  it('refuses a job whose lambda table does not fit its steps and frames', () => {
    const e = refusal(() => enqueue(emptyQueue(), job('x', { overrides: { render: { steps: 25 } } })));
    expect(e.code).toBe('shape-mismatch');
    expect(e.message).toMatch(/10 steps x 14 frames, but the render has 25 steps x 14 frames/);
    expect(refusal(() => enqueue(emptyQueue(), job('y', { overrides: { render: { seed: -1 } } }))).message).toMatch(
      /seed/,
    );
  });

  it('a job runs, reports progress and finishes; operations never mutate their input', () => {
    let q = deepFreeze(three());
    q = deepFreeze(markRunning(q, 'a', T1));
    expect(q.jobs[0]).toMatchObject({ status: 'running', startedAt: T1, attempts: 1, progress: { fraction: 0 } });
    q = deepFreeze(
      markProgress(q, 'a', { fraction: 0.5, stage: 'denoise', message: 'step 5 of 10', preview: '/r/a.preview.jpg' }),
    );
    expect(q.jobs[0]).toMatchObject({ progress: { fraction: 0.5, stage: 'denoise', preview: '/r/a.preview.jpg' } });
    expect(refusal(() => markRunning(q, 'b', T1)).message).toMatch(/"render a" is still running/);
    q = deepFreeze(markDone(q, 'a', T2, OUT));
    expect(q.jobs[0]).toEqual({
      id: 'a',
      createdAt: T0,
      label: 'render a',
      project,
      overrides: {},
      attempts: 1,
      status: 'done',
      startedAt: T1,
      finishedAt: T2,
      outputs: OUT,
    });
    expect(nextQueuedJob(q)?.id).toBe('b');
    expect(QueueState.safeParse(q).success).toBe(true);
  });

  it('cancel: queued or running jobs; a late done/failed/progress from the runner is ignored', () => {
    let q = markRunning(three(), 'a', T1);
    q = cancelJob(q, 'a', T2);
    q = cancelJob(q, 'b', T2);
    expect(q.jobs[0]).toMatchObject({ status: 'cancelled', startedAt: T1, finishedAt: T2 });
    expect(q.jobs[1]).toMatchObject({ status: 'cancelled', startedAt: null });
    expect(markDone(q, 'a', T2, OUT)).toBe(q);
    expect(markFailed(q, 'a', T2, { code: 'ffmpeg', message: 'x' })).toBe(q);
    expect(markProgress(q, 'a', { fraction: 1, stage: 'encode' })).toBe(q);
    expect(refusal(() => cancelJob(q, 'a', T2)).message).toMatch(/is cancelled; it cannot be cancelled/);
    expect(refusal(() => cancelJob(q, 'zz', T2)).code).toBe('not-found');
  });

  it('reorder moves a job, clamping the index', () => {
    const q = three();
    expect(ids(moveJob(q, 'c', 0))).toEqual(['c', 'a', 'b']);
    expect(ids(moveJob(q, 'a', 1))).toEqual(['b', 'a', 'c']);
    expect(ids(moveJob(q, 'a', 99))).toEqual(['b', 'c', 'a']);
    expect(ids(moveJob(q, 'b', -5))).toEqual(['b', 'a', 'c']);
    expect(nextQueuedJob(moveJob(q, 'c', 0))?.id).toBe('c');
  });

  it('remove refuses the running job, removes the rest', () => {
    const q = markRunning(three(), 'b', T1);
    expect(refusal(() => removeJob(q, 'b')).message).toMatch(/cancel it first/);
    expect(ids(removeJob(q, 'a'))).toEqual(['b', 'c']);
  });

  it('failed jobs keep the error; restart requeues in place with attempts kept', () => {
    let q = markRunning(three(), 'b', T1);
    q = markFailed(q, 'b', T2, { code: 'ffmpeg', message: 'ffmpeg failed: No such encoder', detail: 'tail' });
    expect(q.jobs[1]).toMatchObject({
      status: 'failed',
      error: { code: 'ffmpeg', message: 'ffmpeg failed: No such encoder', detail: 'tail' },
    });
    q = restartJob(q, 'b');
    expect(q.jobs[1]).toEqual({
      id: 'b',
      createdAt: T0,
      label: 'render b',
      project,
      overrides: {},
      attempts: 1,
      status: 'queued',
    });
    expect(ids(q)).toEqual(['a', 'b', 'c']);
    const done = markDone(markRunning(q, 'a', T1), 'a', T2, OUT);
    expect(refusal(() => restartJob(done, 'a')).message).toMatch(/is done/);
  });

  it('a running job found on load becomes interrupted with its last progress, and can be restarted', () => {
    let q = markProgress(markRunning(three(), 'a', T1), 'a', { fraction: 0.3, stage: 'denoise' });
    q = markInterrupted(q, T2);
    expect(statuses(q)).toEqual(['interrupted', 'queued', 'queued']);
    expect(q.jobs[0]).toMatchObject({
      startedAt: T1,
      interruptedAt: T2,
      progress: { fraction: 0.3, stage: 'denoise' },
    });
    expect(markInterrupted(q, T2)).toBe(q);
    q = restartJob(q, 'a');
    expect(nextQueuedJob(q)?.id).toBe('a');
    q = markRunning(q, 'a', T2);
    expect(q.jobs[0].attempts).toBe(2);
  });

  it('the schema refuses two running jobs and duplicate ids', () => {
    const q = markRunning(three(), 'a', T1);
    const two = { ...q, jobs: q.jobs.map((j) => (j.id === 'b' ? { ...q.jobs[0], id: 'b' } : j)) };
    expect(QueueState.safeParse(two).error?.issues[0].message).toBe('more than one job is running');
    const dup = { ...q, jobs: [...q.jobs, q.jobs[2]] };
    expect(QueueState.safeParse(dup).error?.issues[0].message).toBe('job id c appears twice');
  });
});
