import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject } from '../project/store';
import { sampleProjectDir } from '../../test/tinyProject';
import { cleanFarmRoot } from './cleanup';
import { connectRedis, FARM_QUEUE } from './connection';
import { openFarmClient, prepareFarmJob, type FarmClient } from './submit';
import { startTestRedis, type TestRedis } from '../../test/redis';
import { until } from '../../test/farmWorkers';
import { startFarmWorker, type RunningFarmWorker } from './worker';

/**
 * Jobs added straight into Redis, bypassing addFarmJob and specFromDoc (issue 24, items 1 and 5):
 * a worker trusts nothing in them. An id that leads out of the farm root, or an output named like
 * a sidecar or a project file, fails the job before anything is written; start-up cleanup never
 * removes the staging folder of an active job, whatever its id holds.
 */
let redis: TestRedis;
let tmp: string;
let root: string;
let client: FarmClient;
beforeAll(async () => {
  redis = await startTestRedis();
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-farm-hostile-'));
  root = path.join(tmp, 'farm-root');
  await fs.mkdir(path.join(root, 'renders'), { recursive: true });
  client = await openFarmClient(redis.url);
});
afterAll(async () => {
  await client?.close();
  await redis?.stop();
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

/** Waits until a job is finished; its state and recorded reason. */
async function outcome(jobId: string): Promise<{ state: string; reason: string | undefined }> {
  const state = await until(`job ${jobId} to finish`, 120_000, async () => {
    const s = await client.queue.getJobState(jobId);
    return s === 'completed' || s === 'failed' ? s : null;
  });
  return { state, reason: (await client.queue.getJob(jobId))?.failedReason };
}

describe('a worker given hostile jobs', () => {
  let worker: RunningFarmWorker;
  const events: Record<string, unknown>[] = [];
  beforeAll(async () => {
    worker = await startFarmWorker({
      redisUrl: redis.url,
      farmRoot: root,
      executionProvider: 'cpu',
      lockDurationMs: 10_000,
      stalledIntervalMs: 1000,
      log: (e) => events.push(e),
    });
  });
  afterAll(async () => {
    await worker?.close(true);
  });

  it('an id that leads out of the farm root fails the job: no folder is made, nothing is rendered', async () => {
    const sample = await openProject(sampleProjectDir());
    const { spec } = await prepareFarmJob({ projectDir: sample.dir, doc: sample.doc, farmRoot: root });
    const before = (await fs.readdir(tmp)).sort();
    for (const id of ['../../escaped', 'a.b', '']) {
      const jobId = id || ' ';
      await client.queue.add('render', { spec }, { jobId, attempts: 1 });
      const r = await outcome(jobId);
      expect(r.state).toBe('failed');
      expect(r.reason).toMatch(
        /^A farm job id is 1 to 128 letters, digits, - and _ \(got ".*"\): refused\. \[bad-input\]$/,
      );
    }
    expect((await fs.readdir(tmp)).sort()).toEqual(before);
    expect(await fs.readdir(path.join(root, 'renders'))).toEqual([]);
    expect(await fs.readdir(path.join(root, '.staging')).catch(() => [])).toEqual([]);
  });

  it("an output named like another render's sidecar, a thumbnail or a project file fails the job; the files stay", async () => {
    const sample = await openProject(sampleProjectDir());
    const { spec } = await prepareFarmJob({ projectDir: sample.dir, doc: sample.doc, farmRoot: root });
    const renders = path.join(root, 'renders');
    await fs.writeFile(path.join(renders, 'x.mp4.json'), 'the sidecar of x.mp4');
    const outputs = ['renders/x.mp4.json', 'renders/x.mp4.thumb.jpg', 'renders/project.json', 'renders/clip'];
    for (const [k, output] of outputs.entries()) {
      const jobId = `hostile-output-${k}`;
      await client.queue.add('render', { spec: { ...spec, output } }, { jobId, attempts: 1 });
      const r = await outcome(jobId);
      expect(r.state, output).toBe('failed');
      expect(r.reason).toContain(
        `The output name "${path.posix.basename(output)}" must end in .mp4 (the render format)`,
      );
    }
    expect(await fs.readdir(renders)).toEqual(['x.mp4.json']);
    expect(await fs.readFile(path.join(renders, 'x.mp4.json'), 'utf8')).toBe('the sidecar of x.mp4');
  });
});

describe('start-up cleanup and job ids', () => {
  it('keeps the staging folder of any active job, even one whose id holds a dot; removes the rest', async () => {
    const staging = path.join(root, '.staging');
    await fs.mkdir(staging, { recursive: true });
    // A job added straight into Redis with a dotted id, held by a (raw BullMQ) worker right now.
    await client.queue.add('render', { spec: {} as never }, { jobId: 'live.job' });
    const holderRedis = connectRedis(redis.url, 'worker');
    const holder = new Worker(FARM_QUEUE, null, { connection: holderRedis, autorun: false, lockDuration: 60_000 });
    try {
      expect((await holder.getNextJob('holder-token'))?.id).toBe('live.job');
      await fs.mkdir(path.join(staging, 'live.job.otherhost-1-abcdef'));
      await fs.mkdir(path.join(staging, 'live.otherhost.example-2-abcdef'));
      const r = await cleanFarmRoot(root, client.queue);
      expect(r.staging).toEqual(['live.otherhost.example-2-abcdef']);
      expect(await fs.readdir(staging)).toEqual(['live.job.otherhost-1-abcdef']);
    } finally {
      await holder.close(true);
      holderRedis.disconnect();
    }
  });
});
