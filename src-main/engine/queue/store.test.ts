import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProject } from '../project/create';
import { REPO_ROOT } from '../../test/fixtures';
import { exportFrames } from '../video/export';
import { removeStalePartials } from '../video/partials';
import { gradientFrames } from '../../test/syntheticFrames';
import { RenderQueueStore } from './store';

const here = path.dirname(fileURLToPath(import.meta.url));
let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-queue-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const project = createProject('store test', { numFrames: 14, render: { steps: 10 } });
let n = 0;
const opts = () => ({ newId: () => `job${++n}`, now: () => new Date('2026-11-25T18:00:00.000Z') });
const onDisk = async (file: string) => JSON.parse(await fs.readFile(file, 'utf8'));
const sha = async (file: string) =>
  createHash('sha256')
    .update(await fs.readFile(file))
    .digest('hex');

describe('RenderQueueStore', () => {
  it('starts empty without a file, writes every change, and reopens to the same queue', async () => {
    const file = path.join(dir, 'a', 'queue.json');
    const store = await RenderQueueStore.open(file, opts());
    expect(store.state.jobs).toEqual([]);
    expect(store.notices).toEqual([]);
    const seen: number[] = [];
    store.subscribe((q) => seen.push(q.jobs.length));
    const a = await store.enqueue({ label: 'seed 1', project, overrides: { render: { seed: 1 } } });
    const b = await store.enqueue({ label: 'seed 2', project, overrides: { render: { seed: 2 } } });
    await store.move(b.id, 0);
    expect(await onDisk(file)).toEqual(store.state);
    expect(seen).toEqual([1, 2, 2]);
    const again = await RenderQueueStore.open(file, opts());
    expect(again.state).toEqual(store.state);
    expect(again.state.jobs.map((j) => j.label)).toEqual(['seed 2', 'seed 1']);
    expect(a.status).toBe('queued');
  });

  it('an invalid change throws and changes nothing', async () => {
    const file = path.join(dir, 'b.json');
    const store = await RenderQueueStore.open(file, opts());
    const j = await store.enqueue({ label: 'x', project });
    await expect(store.restart(j.id)).rejects.toThrow(/is queued; it cannot be restarted/);
    await expect(store.enqueue({ label: 'bad', project, overrides: { render: { steps: 30 } } })).rejects.toMatchObject({
      code: 'shape-mismatch',
    });
    expect(store.state.jobs.map((x) => x.status)).toEqual(['queued']);
    expect(await onDisk(file)).toEqual(store.state);
  });

  it('coalesces a burst of progress reports; the file ends with the last one', async () => {
    const file = path.join(dir, 'c.json');
    const store = await RenderQueueStore.open(file, opts());
    const j = await store.enqueue({ label: 'burst', project });
    await store.markRunning(j.id);
    const writes = Array.from({ length: 200 }, (_, i) =>
      store.markProgress(j.id, { fraction: (i + 1) / 200, stage: 'denoise' }),
    );
    await Promise.all(writes);
    expect((await onDisk(file)).jobs[0].progress).toEqual({ fraction: 1, stage: 'denoise' });
    await store.markFailed(j.id, new Error('boom'));
    expect(store.job(j.id)).toMatchObject({
      status: 'failed',
      error: { code: 'internal', message: 'Internal error: boom' },
    });
  });

  it('a change resolves once it is written, even while progress reports keep coming', async () => {
    const file = path.join(dir, 'stream.json');
    const store = await RenderQueueStore.open(file, opts());
    const a = await store.enqueue({ label: 'running', project });
    const b = await store.enqueue({ label: 'waiting', project });
    await store.markRunning(a.id);
    let streaming = true;
    const stop = setTimeout(() => (streaming = false), 3000);
    const stream = (async () => {
      for (let i = 0; streaming; i++) {
        void store.markProgress(a.id, { fraction: (i % 100) / 100, stage: 'denoise' });
        await new Promise((r) => setImmediate(r));
      }
    })();
    // The writer never goes idle while reports stream in; the cancel must not wait for that.
    const resolvedWhileStreaming = await store.cancel(b.id).then(() => streaming);
    streaming = false;
    clearTimeout(stop);
    await stream;
    await store.flush();
    expect(resolvedWhileStreaming).toBe(true);
    expect((await onDisk(file)).jobs.map((j: { status: string }) => j.status)).toEqual(['running', 'cancelled']);
  });

  it('a job left running becomes interrupted on load, with a notice, and can be restarted', async () => {
    const file = path.join(dir, 'd.json');
    const engine = await RenderQueueStore.open(file, opts());
    const j = await engine.enqueue({ label: 'long render', project });
    await engine.enqueue({ label: 'next one', project });
    await engine.markRunning(j.id);
    await engine.markProgress(j.id, { fraction: 0.4, stage: 'denoise' });
    // The engine dies here: nothing more is written. A new engine opens the same file.
    const after = await RenderQueueStore.open(file, opts());
    expect(after.job(j.id)).toMatchObject({ status: 'interrupted', progress: { fraction: 0.4, stage: 'denoise' } });
    expect(after.notices[0]).toMatch(/A render was interrupted when the engine stopped: "long render"/);
    expect((await onDisk(file)).jobs[0].status).toBe('interrupted');
    await after.restart(j.id);
    await after.markRunning(j.id);
    expect(after.job(j.id)).toMatchObject({ status: 'running', attempts: 2 });
  });

  it('a corrupt queue file is moved aside with a notice, never silently dropped', async () => {
    const file = path.join(dir, 'e', 'queue.json');
    await fs.mkdir(path.dirname(file));
    await fs.writeFile(file, '{"version": 1, "jobs": [ {"id": "half-writ');
    const store = await RenderQueueStore.open(file, opts());
    const aside = path.join(path.dirname(file), 'queue.json.corrupt-2026-11-25T18-00-00-000Z');
    expect(store.notices[0]).toContain(`It was moved to ${aside}`);
    expect(store.notices[0]).toMatch(/not valid JSON/);
    expect(await fs.readFile(aside, 'utf8')).toBe('{"version": 1, "jobs": [ {"id": "half-writ');
    expect(await onDisk(file)).toEqual({ version: 1, jobs: [] });
    // Valid JSON that is not a queue at all is moved aside too, and the reason says why.
    await fs.writeFile(file, JSON.stringify({ jobs: 'none' }));
    const s2 = await RenderQueueStore.open(file, { now: () => new Date('2026-11-25T18:00:01.000Z') });
    expect(s2.notices[0]).toMatch(/is not a render queue .* moved to .*corrupt-2026-11-25T18-00-01-000Z/);
  });

  it('one unreadable job is left out with a notice; the others and the original file are kept', async () => {
    const file = path.join(dir, 'g', 'queue.json');
    const store = await RenderQueueStore.open(file, opts());
    await store.enqueue({ label: 'good one', project });
    await store.enqueue({ label: 'good two', project });
    const raw = await onDisk(file);
    raw.jobs.splice(1, 0, { ...raw.jobs[0], id: 'mangled', label: 'mangled', status: 'exploded' });
    await fs.writeFile(file, JSON.stringify(raw));
    const again = await RenderQueueStore.open(file, opts());
    expect(again.state.jobs.map((j) => j.label)).toEqual(['good one', 'good two']);
    expect(again.notices[0]).toMatch(/One render job in .* could not be read and was left out \("mangled": status: /);
    const kept = path.join(path.dirname(file), 'queue.json.corrupt-2026-11-25T18-00-00-000Z');
    expect(again.notices[0]).toContain(kept);
    expect((await onDisk(kept)).jobs).toHaveLength(3);
    expect((await onDisk(file)).jobs).toHaveLength(2);
  });

  it('a job queued by an older app (project schema 0) is migrated, not lost', async () => {
    const file = path.join(dir, 'h.json');
    const { decodeChunk: _dropped, ...renderV0 } = project.render;
    const rows = Array.from({ length: project.lambda.steps }, (_, i) =>
      project.lambda.values.slice(i * project.lambda.frames, (i + 1) * project.lambda.frames),
    );
    const v0 = {
      ...project,
      schemaVersion: 0,
      lambda: { rows, lambdaMin: project.lambda.lambdaMin, preset: project.lambda.preset },
      render: renderV0,
    };
    const job = {
      id: 'old',
      createdAt: '2026-01-01T00:00:00.000Z',
      label: 'from last year',
      project: v0,
      overrides: {},
      attempts: 0,
      status: 'queued',
    };
    await fs.writeFile(file, JSON.stringify({ version: 1, jobs: [job] }));
    const store = await RenderQueueStore.open(file, opts());
    expect(store.notices).toEqual([]);
    expect(store.job('old').project).toEqual({ ...project, render: { ...project.render, decodeChunk: 8 } });
  });

  it('a queue from a newer app is refused and left untouched', async () => {
    const file = path.join(dir, 'f.json');
    await fs.writeFile(file, JSON.stringify({ version: 99, jobs: [] }));
    await expect(RenderQueueStore.open(file, opts())).rejects.toMatchObject({ code: 'newer-version' });
    expect(await onDisk(file)).toEqual({ version: 99, jobs: [] });
  });
});

describe('killing the engine process mid-render', () => {
  it('leaves the previous render and project intact, and the job shows as interrupted', async () => {
    const folder = path.join(dir, 'crash');
    await fs.mkdir(folder);
    const queueFile = path.join(folder, 'queue.json');
    const projectFile = path.join(folder, 'project.json');
    const video = path.join(folder, 'render.mp4');
    await fs.writeFile(projectFile, JSON.stringify(project));
    await exportFrames({
      frames: gradientFrames(64, 48, 5),
      width: 64,
      height: 48,
      fps: 7,
      count: 5,
      format: 'mp4',
      preset: 'ultrafast',
      out: video,
    });
    const before = { video: await sha(video), project: await sha(projectFile) };

    // The "engine": queues a render, starts it, and exports frames slowly over the same video.
    const script = path.join(folder, 'engine.mts');
    await fs.writeFile(
      script,
      `
      import { RenderQueueStore } from ${JSON.stringify(path.join(here, 'store'))};
      import { exportFrames } from ${JSON.stringify(path.join(here, '../video/export'))};
      import { gradientFrame } from ${JSON.stringify(path.join(here, '../../test/syntheticFrames'))};
      import { readFileSync, readdirSync } from 'node:fs';
      const project = JSON.parse(readFileSync(${JSON.stringify(projectFile)}, 'utf8'));
      const store = await RenderQueueStore.open(${JSON.stringify(queueFile)});
      const job = await store.enqueue({ label: 'doomed', project });
      await store.markRunning(job.id);
      async function* frames() {
        for (let i = 0; ; i++) {
          // Mid-render: progress reported and ffmpeg has its temporary output open.
          if (i >= 3 && readdirSync(${JSON.stringify(folder)}).some((f) => f.includes('.partial'))) {
            await store.markProgress(job.id, { fraction: 0.5, stage: 'encode' });
            process.stdout.write('MID-RENDER\\n');
          }
          await new Promise((r) => setTimeout(r, 20));
          yield gradientFrame(64, 48, i);
        }
      }
      await exportFrames({ frames: frames(), width: 64, height: 48, fps: 7, count: 100000, format: 'mp4', out: ${JSON.stringify(video)} });
    `,
    );
    // One node process (tsx as a loader, not its CLI wrapper), so the kill hits the engine itself.
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let errText = '';
    child.stderr.on('data', (d: Buffer) => (errText += d.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        if (d.toString().includes('MID-RENDER')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`engine exited early (${code}): ${errText}`)));
    });
    const exited = new Promise((r) => child.on('exit', r));
    process.kill(child.pid!, 'SIGKILL');
    await exited;

    const store = await RenderQueueStore.open(queueFile);
    expect(store.state.jobs.map((j) => [j.label, j.status])).toEqual([['doomed', 'interrupted']]);
    expect(store.notices[0]).toMatch(/interrupted.*"doomed"/);
    expect(await sha(video)).toBe(before.video);
    expect(await sha(projectFile)).toBe(before.project);
    // The killed engine's temporary video is debris: removed once its writer is gone.
    const partials = (await fs.readdir(folder)).filter((f) => f.includes('.partial'));
    expect(partials).toHaveLength(1);
    expect(partials[0]).toContain(`.render.${child.pid}.`);
    expect(await removeStalePartials(folder)).toEqual(partials);
    expect((await fs.readdir(folder)).sort()).toEqual(['engine.mts', 'project.json', 'queue.json', 'render.mp4']);
  });
});
