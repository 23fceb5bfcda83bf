import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobView } from '../../api/contract';
import type { ProjectDoc } from '../../engine/project/schema';
import { writeTinyProject } from '../../test/tinyProject';
import { createEngineService, type EngineService } from '../service';

/** The render queue handlers in-process, on a tiny project with the draft model. */
let base: string;
let project: string;
let doc: ProjectDoc;
let service: EngineService;
const events: { event: string; data: unknown }[] = [];
let onUpdate: ((j: JobView) => void) | null = null;

const call = <T>(method: string, input: unknown) => service.handle(method, input) as Promise<T>;
const queue = () => call<JobView[]>('render.queue', { project });
async function settled(jobId: string): Promise<JobView> {
  let job: JobView | undefined;
  await expect
    .poll(
      async () => {
        job = (await queue()).find((j) => j.id === jobId);
        return job && ['done', 'failed', 'cancelled'].includes(job.status);
      },
      { timeout: 30_000, interval: 50 },
    )
    .toBe(true);
  return job!;
}

beforeAll(async () => {
  base = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-host-render-'));
  const workspace = path.join(base, 'ws');
  project = path.join(workspace, 'tiny.camtrack');
  doc = await writeTinyProject(project, { render: { steps: 25 } });
  service = createEngineService({ mode: 'browser', appDataDir: path.join(base, 'data'), workspace }, (event, data) => {
    events.push({ event, data });
    if (event === 'job.update') onUpdate?.(data as JobView);
  });
});
afterAll(() => fs.rm(base, { recursive: true, force: true }));

describe('render queue handlers', () => {
  it('cancels a running render at its next step and a queued one before it starts; no output is left', async () => {
    const updatesAfterCancel: JobView[] = [];
    let cancelled = false;
    onUpdate = (j) => {
      if (cancelled) updatesAfterCancel.push(j);
      else if (j.status === 'running' && j.stage === 'denoise') {
        cancelled = true;
        void call('render.cancel', { project, jobId: j.id });
      }
    };
    const a = await call<JobView>('render.enqueue', { project, doc, overrides: { render: { seed: 1 } } });
    const b = await call<JobView>('render.enqueue', { project, doc, overrides: { render: { seed: 2 } } });
    expect(await call<JobView>('render.cancel', { project, jobId: b.id })).toMatchObject({ status: 'cancelled' });
    const endA = await settled(a.id);
    onUpdate = null;
    expect(endA.status).toBe('cancelled');
    expect(updatesAfterCancel.filter((u) => u.status === 'running' && u.stage !== 'denoise')).toEqual([]);
    expect((await queue()).find((j) => j.id === b.id)?.status).toBe('cancelled');
    expect(
      events.some(
        (e) => e.event === 'job.update' && (e.data as JobView).id === b.id && (e.data as JobView).status === 'running',
      ),
    ).toBe(false);
    const renders = await fs.readdir(path.join(project, 'renders')).catch(() => []);
    expect(renders.filter((n) => n.endsWith('.mp4'))).toEqual([]);
    // Persisted: a fresh read of queue.json has both cancelled.
    const saved = async () =>
      (
        JSON.parse(await fs.readFile(path.join(project, 'queue.json'), 'utf8')) as { jobs: { status: string }[] }
      ).jobs.map((j) => j.status);
    await expect.poll(saved, { timeout: 5_000, interval: 50 }).toEqual(['cancelled', 'cancelled']);
  });

  it('restarts a cancelled job to completion, reorders and removes jobs', async () => {
    const [a, b] = await queue();
    const moved = await call<JobView[]>('render.reorder', { project, jobId: b.id, toIndex: 0 });
    expect(moved.map((j) => j.id)).toEqual([b.id, a.id]);
    await call('render.restart', { project, jobId: a.id });
    const done = await settled(a.id);
    expect(done).toMatchObject({ status: 'done', progress: 1, seed: 1, frames: 4, steps: 25 });
    // Named by project, seed and time (the tiny project is called "tiny", seed 1).
    expect(done.output).toMatch(/^renders\/tiny-seed1-\d{8}-\d{6}-\w{4}\.mp4$/);
    // The fingerprint says what defines the picture.
    expect(done.fingerprint).toMatchObject({ seed: 1, steps: 25, frames: 4, model: 'draft' });
    expect(done.fingerprint!.lambda).toMatch(/ #[0-9a-f]{8}/);
    expect(done.thumbnail).toBe(`${done.output}.thumb.jpg`);
    await expect(fs.stat(path.join(project, done.sidecar!))).resolves.toBeTruthy();
    const previews = events
      .filter((e) => e.event === 'job.preview')
      .map((e) => e.data as { jobId: string; frames: Uint8Array[]; width: number });
    expect(previews.some((p) => p.jobId === a.id && p.frames.length === 4 && p.width === 16)).toBe(true);
    expect(await call('render.remove', { project, jobId: b.id })).toEqual({ removed: true });
    expect((await queue()).map((j) => j.id)).toEqual([a.id]);
    await expect(call('render.cancel', { project, jobId: a.id })).rejects.toMatchObject({
      code: 'bad-input',
      message: expect.stringMatching(/is done; it cannot be cancelled/),
    });
  });

  it('refuses a lambda table that does not fit, naming both shapes', async () => {
    await expect(call('render.enqueue', { project, doc, overrides: { render: { steps: 5 } } })).rejects.toMatchObject({
      code: 'shape-mismatch',
      message: expect.stringMatching(/25 steps x 4 frames.*5 steps x 4 frames/),
    });
  });
});

// Issue 12, item 7: the store built this notice, but no call gave it to the UI.
describe('render.notices', () => {
  it('tells what opening an unreadable queue.json did, until dismissed', async () => {
    const other = path.join(base, 'ws', 'corrupt.camtrack');
    await writeTinyProject(other);
    await fs.writeFile(path.join(other, 'queue.json'), '{"version": 1, "jobs": [');
    expect(await call<JobView[]>('render.queue', { project: other })).toEqual([]);
    const { notices } = await call<{ notices: string[] }>('render.notices', { project: other });
    expect(notices).toHaveLength(1);
    const aside = (await fs.readdir(other)).find((n) => n.startsWith('queue.json.corrupt-'));
    expect(aside).toBeDefined();
    expect(notices[0]).toContain(`could not be read (`);
    expect(notices[0]).toContain(`It was moved to ${path.join(other, aside!)} and an empty queue was started.`);
    // The bytes are kept aside untouched.
    expect(await fs.readFile(path.join(other, aside!), 'utf8')).toBe('{"version": 1, "jobs": [');
    expect(await call('render.notices', { project: other, dismiss: true })).toEqual({ notices });
    expect(await call('render.notices', { project: other })).toEqual({ notices: [] });
    // A readable queue has nothing to tell.
    expect(await call('render.notices', { project })).toEqual({ notices: [] });
  });
});

describe('progress of a track in windows', () => {
  it('job updates carry the window being made, in order, and the queue line names it', async () => {
    const { progressText } = await import('../../../src-renderer/components/render/queue');
    const seen: JobView[] = [];
    const long = await writeTinyProject(path.join(base, 'ws', 'long.camtrack'), {
      frames: 30,
      degreesPerFrame: 0.5,
      render: { model: 'preview', width: 64, height: 32, windowFrames: 14, windowOverlap: 4 },
    });
    const longProject = path.join(base, 'ws', 'long.camtrack');
    onUpdate = (j) => {
      if (j.project === longProject && j.status === 'running') seen.push(j);
    };
    const job = await call<JobView>('render.enqueue', { project: longProject, doc: long });
    await expect
      .poll(
        async () =>
          (await call<JobView[]>('render.queue', { project: longProject })).find((j) => j.id === job.id)?.status,
        { timeout: 60_000, interval: 50 },
      )
      .toBe('done');
    onUpdate = null;
    // 30 frames in windows of 14, overlap 4: [0,14) [10,24) [16,30).
    const windows = [...new Set(seen.filter((j) => j.window).map((j) => `${j.window!.index}/${j.window!.count}`))];
    expect(windows).toEqual(['1/3', '2/3', '3/3']);
    const line = progressText(seen.find((j) => j.window?.index === 2)!);
    expect(line).toMatch(/^window 2\/3 · warp · \d+%$/);
  }, 90_000);
});

describe('exports from the history', () => {
  it('keeps a master with each render and exports it to gif at 24 fps with progress, listed on the job', async () => {
    const shot = path.join(base, 'ws', 'export.camtrack');
    const d = await writeTinyProject(shot, { frames: 7, render: { model: 'preview', width: 64, height: 32 } });
    const job = await call<JobView>('render.enqueue', { project: shot, doc: d });
    let done: JobView | undefined;
    await expect
      .poll(
        async () => {
          done = (await call<JobView[]>('render.queue', { project: shot })).find((j) => j.id === job.id);
          return done?.status;
        },
        { timeout: 60_000, interval: 50 },
      )
      .toBe('done');
    // The card's facts: format, size on disk, finish time, and the master exports read.
    expect(done).toMatchObject({ format: 'mp4', master: true });
    expect(done!.bytes).toBe((await fs.stat(path.join(shot, done!.output!))).size);
    expect(Date.parse(done!.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(done!.createdAt));
    await expect(fs.stat(path.join(shot, `${done!.output}.master.mkv`))).resolves.toBeTruthy();

    const from = events.length;
    const exported = await call<JobView>('render.export', { project: shot, jobId: job.id, format: 'gif', fps: 24 });
    const gif = exported.exports![0];
    // 7 frames at 7 fps are 1 s: 24 frames at 24 fps.
    expect(gif).toMatchObject({ format: 'gif', fps: 24, frames: 24, interpolated: true });
    expect(gif.file).toBe(done!.output!.replace(/\.mp4$/, '-24fps.gif'));
    expect(gif.bytes).toBe((await fs.stat(path.join(shot, gif.file))).size);
    const sidecar = JSON.parse(await fs.readFile(path.join(shot, gif.sidecar), 'utf8'));
    expect(sidecar.source).toMatchObject({ render: path.basename(done!.output!), readFrom: 'master', lossless: true });
    const progress = events
      .slice(from)
      .filter((e) => e.event === 'export.progress')
      .map((e) => e.data as { phase: string; fraction: number; jobId: string });
    expect(progress[0]).toMatchObject({ jobId: job.id, phase: 'encoding', fraction: 0 });
    expect(progress.at(-1)).toMatchObject({ phase: 'done', fraction: 1 });
    // Persisted with the job: a second export of another format adds to the list; the same one replaces.
    await call('render.export', { project: shot, jobId: job.id, format: 'webm', fps: null });
    const again = await call<JobView>('render.export', { project: shot, jobId: job.id, format: 'gif', fps: 24 });
    expect(again.exports!.map((e) => `${e.format}@${e.fps}`)).toEqual(['webm@7', 'gif@24']);
    const saved = JSON.parse(await fs.readFile(path.join(shot, 'queue.json'), 'utf8'));
    expect(saved.jobs[0].outputs.exports).toHaveLength(2);
    // Only a finished render can be exported; nothing is running to cancel now.
    expect(await call('render.exportCancel', { project: shot, jobId: job.id })).toEqual({ cancelled: false });
  }, 120_000);
});
