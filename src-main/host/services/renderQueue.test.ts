import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobView } from '../../api/contract';
import { writeTinyProject } from '../../test/tinyProject';
import { tempDir } from '../../test/tmp';
import { createProject } from '../../engine/project/create';
import type { Job } from '../../engine/queue/model';
import { createEngineService } from '../service';
import { jobView } from './renderQueue';

/** An engine host on its own workspace with a tiny draft-model project; its job updates are recorded. */
async function host(name: string) {
  const base = tempDir(`camtrack-runner-${name}-`);
  const project = path.join(base, 'ws', `${name}.camtrack`);
  const doc = await writeTinyProject(project, { render: { steps: 25 } });
  const updates: JobView[] = [];
  let onUpdate: ((j: JobView) => void) | null = null;
  const service = createEngineService(
    { mode: 'browser', appDataDir: path.join(base, 'data'), workspace: path.join(base, 'ws') },
    (event, data) => {
      if (event !== 'job.update') return;
      updates.push(data as JobView);
      onUpdate?.(data as JobView);
    },
  );
  const enqueue = (seed: number) =>
    service.handle('render.enqueue', { project, doc, overrides: { render: { seed } } }) as Promise<JobView>;
  const queue = () => service.handle('render.queue', { project }) as Promise<JobView[]>;
  const statuses = async () => (await queue()).map((j) => j.status);
  return {
    project,
    service,
    updates,
    enqueue,
    queue,
    statuses,
    whenUpdate: (f: ((j: JobView) => void) | null) => (onUpdate = f),
  };
}

describe('the render queue runner (a service of the host, ctx.renders)', () => {
  // Before the runner was an object, its queues and its "pumping" flag were module variables: a
  // second host in the process had its jobs run by the first host's loop, reported to the first UI.
  it('is one per host: two hosts in one process each run their own jobs and tell their own UI', async () => {
    const a = await host('a');
    const b = await host('b');
    let bJob: Promise<JobView> | null = null;
    // While host A renders (its first of three jobs), host B queues one.
    a.whenUpdate((j) => {
      if (!bJob && j.status === 'running') bJob = b.enqueue(7);
    });
    const aJobs = [await a.enqueue(1), await a.enqueue(2), await a.enqueue(3)];
    await expect.poll(() => bJob !== null, { timeout: 30_000 }).toBe(true);
    const bId = (await bJob!).id;
    await expect.poll(b.statuses, { timeout: 60_000, interval: 50 }).toEqual(['done']);
    await expect.poll(a.statuses, { timeout: 120_000, interval: 50 }).toEqual(['done', 'done', 'done']);
    // The store says done before the runner sends its last update: wait for both runners to finish.
    await Promise.all([a.service.context.renders.idle(), b.service.context.renders.idle()]);
    // B's UI heard its job start and finish; A's UI heard nothing of it.
    expect(b.updates.filter((j) => j.id === bId).map((j) => j.status)).toEqual(
      expect.arrayContaining(['queued', 'running', 'done']),
    );
    expect(a.updates.some((j) => j.id === bId)).toBe(false);
    expect(a.updates.filter((j) => j.status === 'done').map((j) => j.id)).toEqual(aJobs.map((j) => j.id));
    await Promise.all([a.service.stop(), b.service.stop()]);
  }, 180_000);

  it('stops: the running render is aborted and left for restart, and no further job starts', async () => {
    const h = await host('stop');
    let stopped: Promise<void> | null = null;
    h.whenUpdate((j) => {
      if (!stopped && j.status === 'running' && j.stage === 'denoise') stopped = h.service.stop();
    });
    await h.enqueue(1);
    await h.enqueue(2);
    await expect.poll(() => stopped !== null, { timeout: 60_000 }).toBe(true);
    await stopped;
    // As a crash leaves it: queue.json has the first job running and the second still queued, and no output.
    const saved = JSON.parse(await fs.readFile(path.join(h.project, 'queue.json'), 'utf8')) as {
      jobs: { status: string }[];
    };
    expect(saved.jobs.map((j) => j.status)).toEqual(['running', 'queued']);
    expect(h.updates.some((j) => j.status === 'failed' || j.status === 'done')).toBe(false);
    const renders = await fs.readdir(path.join(h.project, 'renders')).catch(() => []);
    expect(renders.filter((n) => n.endsWith('.mp4'))).toEqual([]);
    // A stopped runner starts nothing, even when asked.
    await h.queue();
    await h.service.context.renders.idle();
    expect(h.updates.filter((j) => j.status === 'running' && j.seed === 2)).toEqual([]);
    // The next host finds the render interrupted and says so.
    const next = createEngineService(
      { mode: 'browser', appDataDir: path.join(h.project, '..', '..', 'data2'), workspace: path.dirname(h.project) },
      () => {},
    );
    const { notices } = (await next.handle('render.notices', { project: h.project })) as { notices: string[] };
    expect(notices.join(' ')).toMatch(/interrupted when the engine stopped/);
    await next.stop();
  }, 120_000);
});

describe('a job as the queue shows it', () => {
  it('a reference-fidelity model render shows the 100 steps it samples and its fidelity; a preview and a studio render their own', () => {
    const view = (render: Partial<Job['project']['render']>) => {
      const project = createProject('p');
      project.render = { ...project.render, ...render };
      const job = {
        id: 'j',
        label: 'j',
        createdAt: new Date(0).toISOString(),
        status: 'queued',
        project,
        overrides: {},
      };
      return jobView('/nowhere', job as unknown as Job);
    };
    const reference = view({ fidelity: 'reference', steps: 25 });
    expect(reference.steps).toBe(100);
    expect(reference.fingerprint).toMatchObject({ steps: 100, fidelity: 'reference' });
    expect(view({ fidelity: 'studio', steps: 25 })).toMatchObject({ steps: 25, fingerprint: { fidelity: 'studio' } });
    // A preview runs no model: it samples nothing, whatever the fidelity says.
    expect(view({ fidelity: 'reference', steps: 25, model: 'preview' }).steps).toBe(25);
  });
});
