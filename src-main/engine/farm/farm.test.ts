import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject } from '../project/store';
import type { ProjectDoc } from '../project/schema';
import { renderProject } from '../render/render';
import { readSidecar } from '../render/sidecar';
import { sampleProjectDir } from '../../test/tinyProject';
import { probeVideo } from '../video';
import { resolveFfmpeg } from '../video/resolve-ffmpeg';
import { builtinDraftModelDir } from '../models/modelFolder';
import { farmStatus } from './status';
import {
  addFarmJob,
  cancelFarmJob,
  openFarmClient,
  prepareFarmJob,
  retryFarmJob,
  submitFarmRender,
  waitForFarmJob,
  type FarmClient,
} from './submit';
import { startTestRedis, type TestRedis } from '../../test/redis';
import { connectRedis, FARM_QUEUE } from './connection';
import { startFarmWorker, type FarmProgress, type RunningFarmWorker } from './worker';
import { startWorkerProcess, stopProcess, until, type WorkerProcess } from '../../test/farmWorkers';

/**
 * The farm end to end: a private redis-server with a password, workers as separate `camtrack
 * worker` processes, the sample project rendered with the built-in draft model. Short BullMQ lock
 * and stalled intervals (10 s and 1 s instead of 30 s each) make a killed worker's job move on within seconds.
 */
// A render holds the event loop for a second or two at a time (decoding, warping in-thread) on a
// loaded test machine: the lock must outlast that, or a live worker's job would be taken over.
const LOCK_MS = 10_000;
const STALLED_MS = 1000;
const timing = { lockMs: LOCK_MS, stalledMs: STALLED_MS };

let redis: TestRedis;
let tmp: string;
let sample: { dir: string; doc: ProjectDoc };
beforeAll(async () => {
  redis = await startTestRedis();
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-farm-'));
  sample = await openProject(sampleProjectDir());
});
afterAll(async () => {
  await redis?.stop();
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

const withSeed = (doc: ProjectDoc, seed: number): ProjectDoc => ({
  ...doc,
  render: { ...doc.render, seed, executionProvider: 'cpu' },
});

/** Every frame of a video as RGB24, decoded by ffmpeg. */
async function decodeFrames(file: string): Promise<Buffer> {
  const ffmpeg = (await resolveFfmpeg()).path;
  return new Promise((resolve, reject) => {
    const p = spawn(ffmpeg, ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1']);
    const chunks: Buffer[] = [];
    let err = '';
    p.stdout.on('data', (d) => chunks.push(d));
    p.stderr.on('data', (d) => (err += d));
    p.on('error', reject);
    p.on('close', (code) =>
      code === 0 ? resolve(Buffer.concat(chunks)) : reject(new Error(`ffmpeg ${code}: ${err}`)),
    );
  });
}

describe('two worker processes, one killed mid-job', () => {
  const workers: WorkerProcess[] = [];
  let client: FarmClient;
  afterAll(async () => {
    for (const w of workers) await stopProcess(w.child);
    await client?.close();
  });

  it(
    'all three renders arrive ffprobe-valid with sidecars, frames identical to local renders, none completed twice',
    { timeout: 420_000 },
    async () => {
      const t0 = Date.now();
      const root = path.join(tmp, 'farm-root');
      await fs.mkdir(root);
      workers.push(
        startWorkerProcess('worker-a', root, redis.url, timing),
        startWorkerProcess('worker-b', root, redis.url, timing),
      );
      await until('both workers to start', 90_000, () =>
        workers.every((w) => w.events.some((e) => e.event === 'started')),
      );
      client = await openFarmClient(redis.url);
      const seeds = [42, 7, 1234];
      const jobs: { jobId: string; output: string; seed: number }[] = [];
      for (const seed of seeds) {
        const { jobId, spec } = await submitFarmRender(client, {
          projectDir: sample.dir,
          doc: withSeed(sample.doc, seed),
          farmRoot: root,
        });
        jobs.push({ jobId, output: spec.output, seed });
      }
      const tSubmitted = Date.now();

      // Kill the first worker seen denoising: the middle of a render.
      const victim = await until('a worker in the denoise stage', 180_000, () =>
        workers.find((w) => w.events.some((e) => e.event === 'stage' && e.stage === 'denoise')),
      );
      const killedJob = victim.events.find((e) => e.event === 'stage' && e.stage === 'denoise')!.job as string;
      victim.child.kill('SIGKILL');
      const tKilled = Date.now();
      const survivor = workers.find((w) => w !== victim)!;

      const status = await until(
        'all three jobs to complete',
        300_000,
        async () => {
          const s = await farmStatus(client);
          const mine = s.jobs.filter((j) => jobs.some((x) => x.jobId === j.id));
          const failed = mine.find((j) => j.state === 'failed');
          if (failed) throw new Error(`job ${failed.id} failed: ${failed.error?.message}`);
          return mine.length === 3 && mine.every((j) => j.state === 'completed') ? s : null;
        },
        500,
      );
      const tDone = Date.now();
      const killedView = status.jobs.find((j) => j.id === killedJob)!;
      const retakeMs = tDone - tKilled;

      // The killed job was taken over by the survivor and rendered from the start (a second attempt).
      expect(killedView.result!.worker).toBe(survivor.name);
      expect(killedView.attemptsStarted).toBe(2);
      const survivorJobEvents = survivor.events.filter((e) => e.event === 'job' && e.job === killedJob);
      expect(survivorJobEvents).toHaveLength(1);
      expect(survivor.events.some((e) => e.event === 'stage' && e.job === killedJob && e.stage === 'load')).toBe(true);

      // No job ran twice to completion: one 'completed' per job over both workers, and the dead one completed none of the killed job.
      const completed = workers.flatMap((w) =>
        w.events.filter((e) => e.event === 'completed').map((e) => ({ worker: w.name, job: e.job as string })),
      );
      expect(completed.map((c) => c.job).sort()).toEqual(jobs.map((j) => j.jobId).sort());
      expect(completed.filter((c) => c.job === killedJob)).toEqual([{ worker: survivor.name, job: killedJob }]);

      // Nothing of the dead attempt is left: the staging folder is empty, renders/ holds exactly the three pairs (and thumbnails).
      expect(await fs.readdir(path.join(root, '.staging'))).toEqual([]);
      const rendered = (await fs.readdir(path.join(root, 'renders'))).sort();
      expect(rendered).toEqual(
        jobs
          .flatMap((j) => [
            path.basename(j.output),
            `${path.basename(j.output)}.json`,
            `${path.basename(j.output)}.thumb.jpg`,
          ])
          .sort(),
      );

      for (const j of jobs) {
        const out = path.join(root, j.output);
        const probe = await probeVideo(out);
        expect(probe).toMatchObject({ codec: 'h264', frames: 14, width: 320, height: 192 });
        const side = await readSidecar(`${out}.json`);
        expect(side.settings.seed).toBe(j.seed);
        expect(side.output.file).toBe(path.basename(out));
        // The same spec rendered here, without the farm.
        const local = path.join(tmp, `local-${j.seed}.mp4`);
        const r = await renderProject({ projectDir: sample.dir, doc: withSeed(sample.doc, j.seed), out: local });
        expect(side.lambda.sha256).toBe(r.sidecar.lambda.sha256);
        expect(side.model.files).toEqual(r.sidecar.model.files);
        const [farmFrames, localFrames] = await Promise.all([decodeFrames(out), decodeFrames(local)]);
        expect(farmFrames.length).toBe(14 * 320 * 192 * 3);
        expect(farmFrames.equals(localFrames)).toBe(true);
      }
      // Different seeds gave different videos: the comparison above can tell renders apart.
      expect(
        (await decodeFrames(path.join(root, jobs[0].output))).equals(
          await decodeFrames(path.join(root, jobs[1].output)),
        ),
      ).toBe(false);

      const perJob = completed.map((c) =>
        workers.find((w) => w.name === c.worker)!.events.find((e) => e.event === 'completed' && e.job === c.job)!,
      );
      const overhead = perJob.map((e) => (e.ms as number) - (e.renderMs as number));
      console.log(
        `farm kill test: workers started in ${((tSubmitted - t0) / 1000).toFixed(1)} s; submitted to killed ${((tKilled - tSubmitted) / 1000).toFixed(1)} s; ` +
          `killed to all three done ${(retakeMs / 1000).toFixed(1)} s; whole test ${((Date.now() - t0) / 1000).toFixed(1)} s; ` +
          `worker time per job over the render (checks, staging, commit): ${overhead.map((o) => `${o} ms`).join(', ')}`,
      );
    },
  );
});

describe('a worker refuses what it cannot trust', () => {
  let client: FarmClient;
  let worker: RunningFarmWorker | null = null;
  let root: string;
  let url: string;
  beforeAll(async () => {
    // Database 1: a queue of its own, away from the processes above.
    url = `${redis.url}/1`;
    root = path.join(tmp, 'farm-root-2');
    await fs.mkdir(root);
    client = await openFarmClient(url);
  });
  afterAll(async () => {
    await worker?.close(true);
    await client?.close();
  });

  it('refuses a wrong or missing password with a clear message', async () => {
    await expect(openFarmClient(`redis://:wrong@127.0.0.1:${redis.port}`)).rejects.toThrow(/refused the password/);
    await expect(openFarmClient(`redis://127.0.0.1:${redis.port}`)).rejects.toThrow(/refused the password|NOAUTH/);
    await expect(openFarmClient(`http://127.0.0.1:${redis.port}`)).rejects.toThrow(
      /must start with redis:\/\/ or rediss:\/\//,
    );
  });

  it(
    "refuses a model whose file hashes differ from the job's, and assets or outputs that escape the farm root",
    { timeout: 120_000 },
    async () => {
      // A worker whose copy of the draft model (same name) has a different UNet.
      const models = path.join(tmp, 'models');
      await fs.cp(builtinDraftModelDir(), path.join(models, 'draft-copy'), { recursive: true });
      const unet = path.join(models, 'draft-copy', 'unet.onnx');
      const bytes = await fs.readFile(unet);
      bytes[bytes.length - 1] ^= 1;
      await fs.writeFile(unet, bytes);
      worker = await startFarmWorker({
        redisUrl: url,
        farmRoot: root,
        modelDir: models,
        executionProvider: 'cpu',
        lockDurationMs: LOCK_MS,
        stalledIntervalMs: STALLED_MS,
      });

      const { jobId } = await submitFarmRender(client, {
        projectDir: sample.dir,
        doc: withSeed(sample.doc, 1),
        farmRoot: root,
      });
      const e = await waitForFarmJob(client, jobId).then(
        () => null,
        (err: Error & { code?: string }) => err,
      );
      expect(e?.code).toBe('model');
      expect(e?.message).toMatch(
        /differs from the job's: unet\.onnx has sha256 [0-9a-f]{64}, the job was submitted with 5e808980/,
      );

      const prepared = await prepareFarmJob({ projectDir: sample.dir, doc: withSeed(sample.doc, 2), farmRoot: root });
      const outside = path.join(tmp, 'outside.mp4');
      const tampered = [
        {
          ...prepared.spec,
          assets: { ...prepared.spec.assets, image: { ...prepared.spec.assets.image, path: '../../../../etc/passwd' } },
        },
        {
          ...prepared.spec,
          assets: { ...prepared.spec.assets, depth: { ...prepared.spec.assets.depth, path: '/etc/passwd' } },
        },
        { ...prepared.spec, output: `../${path.basename(outside)}` },
        { ...prepared.spec, output: 'assets/overwrite.mp4' },
      ];
      const reasons: string[] = [];
      for (const [i, spec] of tampered.entries()) {
        const id = `${prepared.jobId}-t${i}`;
        await addFarmJob(client, id, spec);
        reasons.push(
          await waitForFarmJob(client, id).then(
            () => 'completed',
            (err: Error & { code?: string }) => `${err.code}: ${err.message}`,
          ),
        );
      }
      expect(reasons[0]).toMatch(/^permission: .*photo path "..\/..\/..\/..\/etc\/passwd" escapes the farm root/);
      expect(reasons[1]).toMatch(/^permission: .*depth file path "\/etc\/passwd" is not a path inside the farm root/);
      // An output outside renders/ is refused with the spec itself, before any path is resolved (issue 24, item 5).
      expect(reasons[2]).toMatch(
        /^bad-input: .*The job's output "..\/outside.mp4" is not in the farm root's renders\/ folder/,
      );
      expect(reasons[3]).toMatch(
        /^bad-input: .*The job's output "assets\/overwrite.mp4" is not in the farm root's renders\//,
      );
      expect(await fs.stat(outside).catch(() => null)).toBeNull();
    },
  );

  it(
    'cancels a running job (no output), retries it to completion, and shows the worker on the job',
    { timeout: 180_000 },
    async () => {
      await worker?.close(true);
      worker = await startFarmWorker({
        redisUrl: url,
        farmRoot: root,
        executionProvider: 'cpu',
        name: 'in-process',
        lockDurationMs: LOCK_MS,
        stalledIntervalMs: STALLED_MS,
      });
      const { jobId, spec } = await submitFarmRender(client, {
        projectDir: sample.dir,
        doc: withSeed(sample.doc, 5),
        farmRoot: root,
      });
      const running = await until('the job to run', 60_000, async () =>
        (await farmStatus(client)).jobs.find((j) => j.id === jobId && j.state === 'active' && j.stage !== 'starting'),
      );
      expect(running.worker).toBe('in-process');
      const s = await farmStatus(client);
      expect(s.workers.find((w) => w.name === 'in-process')).toMatchObject({
        host: os.hostname(),
        provider: { requested: 'cpu' },
        jobs: [{ id: jobId }],
      });
      expect(await cancelFarmJob(client, jobId)).toBe('cancelling');
      await expect(waitForFarmJob(client, jobId)).rejects.toMatchObject({ code: 'cancelled' });
      expect((await farmStatus(client)).jobs.find((j) => j.id === jobId)?.state).toBe('cancelled');
      expect(await fs.stat(path.join(root, spec.output)).catch(() => null)).toBeNull();

      // Every progress report the worker makes, from the queue's event stream: polling the job's
      // latest progress can miss a stage that a fast retry runs through between two polls.
      const progress: FarmProgress[] = [];
      const eventsRedis = connectRedis(url, 'worker');
      const events = new QueueEvents(FARM_QUEUE, { connection: eventsRedis });
      events.on('progress', ({ jobId: id, data }) => {
        if (id === jobId && typeof data === 'object' && data) progress.push(data as FarmProgress);
      });
      await events.waitUntilReady();
      let result: Awaited<ReturnType<typeof waitForFarmJob>>;
      try {
        await retryFarmJob(client, jobId);
        result = await waitForFarmJob(client, jobId, undefined, 200);
        // The completion is read from the job; let the stream deliver what came before it.
        await until('the progress events to arrive', 10_000, async () => progress.some((p) => p.preview));
      } finally {
        await events.close();
        eventsRedis.disconnect();
      }
      expect(result).toMatchObject({ output: spec.output, worker: 'in-process', provider: 'cpu' });
      expect((await probeVideo(path.join(root, spec.output))).frames).toBe(14);
      expect(progress.some((p) => p.stage === 'denoise' && p.worker === 'in-process')).toBe(true);
      // A preview travels with the job: small RGB24 frames, one per video frame.
      const withPreview = progress.find((p) => p.preview);
      expect(withPreview?.preview?.frames).toHaveLength(14);
      expect(Buffer.from(withPreview!.preview!.frames[0], 'base64').length).toBe(
        withPreview!.preview!.width * withPreview!.preview!.height * 3,
      );
    },
  );
});
