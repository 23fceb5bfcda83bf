import { beforeEach, describe, expect, it } from 'vitest';
import type { JobStatus, JobView } from '../../../src-main/api/contract';
import { useQueue, type JobPreview } from './queueStore';

function job(id: string, status: JobStatus = 'queued', project = '/a'): JobView {
  return {
    project,
    id,
    label: id,
    createdAt: '2026-11-25T18:00:00.000Z',
    status,
    progress: 0,
    seed: 1,
    steps: 4,
    frames: 14,
  };
}
function preview(jobId: string, step: number, project = '/a'): JobPreview {
  return { project, jobId, step, width: 2, height: 1, frames: [new Uint8Array(6)] };
}
const q = () => useQueue.getState();

describe('render queue store', () => {
  beforeEach(() => {
    useQueue.setState({ project: null, jobs: [], previews: {}, compare: [], loadError: null, notices: [] });
    q().setProject('/a');
  });

  it('holds the queue notices of the open project (issue 12, item 7) and drops them with it', () => {
    const n =
      'The render queue file /a/queue.json could not be read (not valid JSON). It was moved to /a/queue.json.corrupt-x and an empty queue was started.';
    q().setNotices([n]);
    q().setJobs([]);
    expect(q().notices).toEqual([n]);
    q().setProject('/a');
    expect(q().notices).toEqual([n]);
    q().setProject('/b');
    expect(q().notices).toEqual([]);
  });

  it('takes only the open project’s events', () => {
    q().applyUpdate(job('x', 'queued', '/b'));
    q().applyPreview(preview('x', 1, '/b'));
    expect(q().jobs).toEqual([]);
    expect(q().previews).toEqual({});
    q().applyUpdate(job('y'));
    expect(q().jobs.map((j) => j.id)).toEqual(['y']);
  });

  it('keeps the latest preview of a running job and drops it when the job finishes', () => {
    q().setJobs([job('r', 'running')]);
    q().applyPreview(preview('r', 1));
    q().applyPreview(preview('r', 3));
    expect(q().previews.r.step).toBe(3);
    q().applyUpdate(job('r', 'done'));
    expect(q().previews.r).toBeUndefined();
    // A preview sent just before the job finished, arriving after: not shown.
    q().applyPreview(preview('r', 4));
    expect(q().previews.r).toBeUndefined();
  });

  it('an enqueue answer arriving after the job’s events does not undo them', () => {
    q().applyUpdate(job('n', 'running'));
    q().addAnswer(job('n', 'queued'));
    expect(q().jobs.map((j) => j.status)).toEqual(['running']);
  });

  it('opening another project starts from its own queue; compare keeps only done jobs that exist', () => {
    q().setJobs([job('d1', 'done'), job('d2', 'done')]);
    q().toggleCompare('d1');
    q().toggleCompare('d2');
    q().setJobs([job('d1', 'done'), job('d2', 'failed')]);
    expect(q().compare).toEqual(['d1']);
    q().setProject('/b');
    expect(q().jobs).toEqual([]);
    expect(q().compare).toEqual([]);
    // Setting the same project again (the engine restarted) keeps what is shown until the reload.
    q().setJobs([job('z', 'queued', '/b')]);
    q().setProject('/b');
    expect(q().jobs.map((j) => j.id)).toEqual(['z']);
  });

  it('removing a job forgets its preview and compare choice', () => {
    q().setJobs([job('d', 'done'), job('e', 'done')]);
    q().toggleCompare('d');
    q().dropLocal('d');
    expect(q().jobs.map((j) => j.id)).toEqual(['e']);
    expect(q().compare).toEqual([]);
  });
});
