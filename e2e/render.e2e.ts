import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { JobView } from '../src-main/api/contract';
import { connectBridge } from '../src-main/test/bridgeClient';
import { readSidecar } from '../src-main/engine/render/sidecar';
import { probeVideo } from '../src-main/engine/video';
import { startServer, type RunningServer } from '../src-main/server/serve';
import { writeSlowDraftModel } from '../src-main/test/slowDraftModel';
import { ROOT } from './harness';

/**
 * The render queue end to end, at the API level (no browser): the browser-mode server with a real
 * engine host process, driven over its WebSocket bridge. Two renders of the sample project, then
 * the engine killed mid-render, then an ffmpeg that fails.
 */
const SAMPLE = path.join(ROOT, 'assets', 'samples', 'synthetic-orbit.camtrack');

type Client = ReturnType<typeof connectBridge>;

async function connect(server: RunningServer): Promise<Client> {
  const client = connectBridge(`ws://127.0.0.1:${server.port}/api?token=${server.token}`);
  await client.opened;
  return client;
}

async function sha(file: string): Promise<string> {
  return createHash('sha256')
    .update(await fs.readFile(file))
    .digest('hex');
}

describe('render queue through the engine host', () => {
  let base: string;
  let server: RunningServer;
  let client: Client;
  let project: string;
  let doc: unknown;

  const queue = () => client.call<JobView[]>('render.queue', { project });
  async function waitFor(jobId: string, done: (j: JobView) => boolean, timeout = 90_000): Promise<JobView> {
    let last: JobView | undefined;
    await expect
      .poll(
        async () => {
          last = (await queue()).find((j) => j.id === jobId);
          return !!last && done(last);
        },
        { timeout, interval: 250 },
      )
      .toBe(true);
    return last!;
  }

  beforeAll(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-render-e2e-'));
    const ui = path.join(base, 'ui');
    await fs.mkdir(ui);
    await fs.writeFile(path.join(ui, 'index.html'), '<!doctype html><title>studio</title>');
    const workspace = path.join(base, 'workspace');
    await fs.mkdir(workspace);
    // The sample is committed: work on a copy.
    await fs.cp(SAMPLE, path.join(workspace, 'sample.camtrack'), { recursive: true });
    server = await startServer({ workspace, appDataDir: path.join(base, 'data'), rendererDir: ui });
    client = await connect(server);
    const opened = await client.call<{ dir: string; doc: unknown }>('project.open', {
      path: path.join(workspace, 'sample.camtrack'),
    });
    project = opened.dir;
    doc = opened.doc;
  });
  afterAll(async () => {
    client?.close();
    server?.close();
    delete process.env.FFMPEG_PATH;
    await fs.rm(base, { recursive: true, force: true });
  });

  it('renders two queued jobs, one after the other, to playable videos with sidecars and thumbnails', async () => {
    const a = await client.call<JobView>('render.enqueue', { project, doc, overrides: { render: { seed: 1 } } });
    const b = await client.call<JobView>('render.enqueue', {
      project,
      doc,
      overrides: { render: { seed: 2 } },
      label: 'second',
    });
    expect(a).toMatchObject({ project, status: 'queued', seed: 1, steps: 25, frames: 14 });
    expect(b).toMatchObject({ status: 'queued', seed: 2, label: 'second' });
    const doneA = await waitFor(a.id, (j) => j.status === 'done' || j.status === 'failed');
    const doneB = await waitFor(b.id, (j) => j.status === 'done' || j.status === 'failed');
    expect(doneA.error).toBeUndefined();
    expect(doneB.error).toBeUndefined();
    for (const [job, seed] of [
      [doneA, 1],
      [doneB, 2],
    ] as const) {
      expect(job.output).toMatch(/^renders\/.*\.mp4$/);
      const video = path.join(project, job.output!);
      const probe = await probeVideo(video);
      expect(probe).toMatchObject({ codec: 'h264', pixFmt: 'yuv420p', frames: 14, width: 320, height: 192 });
      expect(probe.fps).toBeCloseTo(7, 6);
      const side = await readSidecar(path.join(project, job.sidecar!));
      expect(side.settings.seed).toBe(seed);
      const thumb = await client.call<{ mime: string; bytes: Uint8Array }>('asset.read', {
        project,
        file: job.thumbnail!,
      });
      expect(thumb.mime).toBe('image/jpeg');
      expect(thumb.bytes.length).toBeGreaterThan(100);
    }
    expect(doneA.output).not.toBe(doneB.output);
    // One job at a time: b started only after a finished, and progress and previews were pushed.
    const updates = client.events.filter((e) => e.event === 'job.update').map((e) => e.data as JobView);
    const firstBRunning = updates.findIndex((u) => u.id === b.id && u.status === 'running');
    const aDone = updates.findIndex((u) => u.id === a.id && u.status === 'done');
    expect(aDone).toBeGreaterThanOrEqual(0);
    expect(firstBRunning).toBeGreaterThan(aDone);
    expect(updates.some((u) => u.id === a.id && u.stage === 'denoise')).toBe(true);
    const preview = client.events.find((e) => e.event === 'job.preview')?.data as {
      jobId: string;
      width: number;
      height: number;
      frames: Uint8Array[];
    };
    expect(preview.frames).toHaveLength(14);
    expect(preview.frames[0].length).toBe(preview.width * preview.height * 3);
  });

  it('keeps the project and earlier renders intact when the engine dies mid-render; the job is interrupted and can be restarted', async () => {
    const before = await queue();
    const done = before.filter((j) => j.status === 'done');
    const hashes = new Map<string, string>();
    for (const f of ['project.json', ...done.flatMap((j) => [j.output!, j.sidecar!, j.thumbnail!])])
      hashes.set(f, await sha(path.join(project, f)));

    // A slow variant of the draft model (the same output, more work a step): its denoising lasts
    // seconds on any machine, so the kill lands in it.
    const slow = path.join(base, 'workspace', 'slow-draft');
    await writeSlowDraftModel(slow, 100);
    const c = await client.call<JobView>('render.enqueue', {
      project,
      doc,
      overrides: { render: { seed: 3, model: slow } },
    });
    await waitFor(c.id, (j) => j.status === 'running' && j.stage === 'denoise', 60_000);
    const restarts = client.events.filter((e) => e.event === 'engine.restarted').length;
    server.relay.crashForTest();
    await expect
      .poll(() => client.events.filter((e) => e.event === 'engine.restarted').length, { timeout: 20_000 })
      .toBe(restarts + 1);

    const after = await queue();
    // Its last progress written before the kill is kept (queue.json is written in the background, so it may lag a stage).
    const interrupted = after.find((j) => j.id === c.id)!;
    expect(interrupted.status).toBe('interrupted');
    expect(['load', 'warp', 'model', 'encode', 'denoise']).toContain(interrupted.stage);
    for (const [f, h] of hashes) expect(await sha(path.join(project, f)), f).toBe(h);
    // No half-written video of the killed render is left in renders/ (stale partials are removed).
    const files = await fs.readdir(path.join(project, 'renders'));
    expect(files.filter((n) => n.includes('partial') || n.endsWith('.tmp'))).toEqual([]);
    expect(files.filter((n) => n.endsWith('.mp4'))).toHaveLength(done.length);

    await client.call<JobView>('render.restart', { project, jobId: c.id });
    const redone = await waitFor(c.id, (j) => j.status === 'done' || j.status === 'failed');
    expect(redone.status).toBe('done');
    expect((await probeVideo(path.join(project, redone.output!))).frames).toBe(14);
  });

  it("shows ffmpeg's own message when ffmpeg fails", async () => {
    const fake = path.join(base, 'broken-ffmpeg.sh');
    await fs.writeFile(fake, '#!/bin/sh\necho "Unknown encoder libx264 (broken test build)" >&2\nexit 1\n', {
      mode: 0o755,
    });
    // The engine host reads FFMPEG_PATH when it starts: restart it with the broken one.
    process.env.FFMPEG_PATH = fake;
    const restarts = client.events.filter((e) => e.event === 'engine.restarted').length;
    server.relay.crashForTest();
    await expect
      .poll(() => client.events.filter((e) => e.event === 'engine.restarted').length, { timeout: 20_000 })
      .toBe(restarts + 1);
    const job = await client
      .call<JobView>('render.enqueue', {
        project,
        doc,
        overrides: { render: { seed: 4, steps: 2 }, lambda: undefined },
      })
      .catch((e: Error) => e);
    // 2 steps do not fit the project's 25-row lambda table: the queue refuses it, naming both shapes.
    expect(job).toBeInstanceOf(Error);
    expect((job as Error).message).toMatch(/25 steps x 14 frames.*2 steps x 14 frames/);
    const d = await client.call<JobView>('render.enqueue', { project, doc, overrides: { render: { seed: 4 } } });
    const failed = await waitFor(d.id, (j) => j.status === 'failed' || j.status === 'done');
    expect(failed.status).toBe('failed');
    expect(failed.error?.code).toBe('ffmpeg');
    expect(`${failed.error?.message}\n${failed.error?.detail ?? ''}`).toMatch(/Unknown encoder libx264/);
  });
});
