import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFarmClient, waitForFarmJob, type FarmClient } from '../../engine/farm/submit';
import { startTestRedis, type TestRedis } from '../../test/redis';
import { startWorkerProcess, stopProcess, until, workerStarted, type WorkerProcess } from '../../test/farmWorkers';
import { builtinDraftModelDir } from '../../engine/models/modelFolder';
import { writeTinyProject } from '../../test/tinyProject';
import { probeVideo } from '../../engine/video';
import { runCli } from '../../test/cli';

/**
 * `camtrack farm submit|status|cancel|retry` against a private redis-server and one `camtrack
 * worker` process, with tiny renders of the draft model (128x64). The worker has an empty model
 * folder, so a job for a model it lacks fails until the model is copied there and the job retried.
 */
let redis: TestRedis;
let tmp: string;
let root: string;
let worker: WorkerProcess;
let client: FarmClient;
const workerModels = () => path.join(tmp, 'worker-models');
const farm = (...args: string[]) => runCli('farm', ...args, '--redis', redis.url);
const lastJson = (out: string) => JSON.parse(out.trim().split('\n').pop()!) as Record<string, unknown>;

beforeAll(async () => {
  redis = await startTestRedis();
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-cli-farm-'));
  root = path.join(tmp, 'farm-root');
  await fs.mkdir(root);
  await fs.mkdir(workerModels());
  worker = startWorkerProcess('cli-worker', root, redis.url, { args: ['--model-dir', workerModels()] });
  client = await openFarmClient(redis.url);
  await workerStarted(worker);
}, 120_000);
afterAll(async () => {
  if (worker) await stopProcess(worker.child);
  await client?.close();
  await redis?.stop();
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

describe('camtrack farm', () => {
  it(
    'status shows the worker with its host, provider and current job; submit --wait prints the output once the worker is done',
    { timeout: 180_000 },
    async () => {
      const project = path.join(tmp, 'long.camtrack');
      await writeTinyProject(project, { frames: 8, render: { steps: 8 } });
      const a = await runCli('farm', 'submit', project, '--redis', redis.url, '--farm-root', root, '--out', 'a.mp4');
      expect(a.code).toBe(0);
      const jobA = lastJson(a.out).job as string;
      expect(lastJson(a.out)).toEqual({ job: jobA, output: 'renders/a.mp4' });

      // While it renders: the worker's line names its host, provider and this job; the job is active on it.
      const seen = await until(
        'farm status to show the job running',
        60_000,
        async () => {
          const s = await farm('status');
          expect(s.code).toBe(0);
          return new RegExp(`cli-worker  host ${os.hostname()}  provider cpu  GPU .*  ${jobA} \\d+% \\w+`).test(s.out)
            ? s.out
            : null;
        },
        100,
      );
      expect(seen).toMatch(new RegExp(`^  ${jobA}  active +cli-worker  renders/a\\.mp4  \\d+% \\w+$`, 'm'));

      const b = await runCli(
        'farm',
        'submit',
        project,
        '--redis',
        redis.url,
        '--farm-root',
        root,
        '--out',
        'b.mp4',
        '--wait',
      );
      expect(b.code).toBe(0);
      expect(b.err).toMatch(/done by cli-worker \(cpu\) in [\d.]+ s: .*b\.mp4/);
      const done = lastJson(b.out);
      expect(done).toMatchObject({
        output: path.join(root, 'renders', 'b.mp4'),
        sidecar: path.join(root, 'renders', 'b.mp4.json'),
        worker: 'cli-worker',
        provider: 'cpu',
      });
      expect(await probeVideo(done.output as string)).toMatchObject({
        codec: 'h264',
        frames: 8,
        width: 128,
        height: 64,
      });

      const after = await farm('status', '--json');
      const s = lastJson(after.out) as {
        workers: { name: string; jobs: unknown[] }[];
        jobs: { id: string; state: string; worker: string }[];
      };
      expect(s.workers).toMatchObject([{ name: 'cli-worker', jobs: [] }]);
      expect(s.jobs.find((j) => j.id === jobA)).toMatchObject({ state: 'completed', worker: 'cli-worker' });
      expect(s.jobs.find((j) => j.id === done.job)).toMatchObject({ state: 'completed', worker: 'cli-worker' });
    },
  );

  it(
    'cancel marks a waiting job cancelled (it never renders); retry runs a failed job again once its cause is fixed',
    { timeout: 180_000 },
    async () => {
      const project = path.join(tmp, 'tiny.camtrack');
      await writeTinyProject(project);
      // The queue paused: the job waits, whatever the worker is doing.
      await client.queue.pause();
      const c = await runCli('farm', 'submit', project, '--redis', redis.url, '--farm-root', root, '--out', 'c.mp4');
      const jobC = lastJson(c.out).job as string;
      const cancel = await farm('cancel', jobC);
      expect(cancel.code).toBe(0);
      expect(lastJson(cancel.out)).toEqual({ job: jobC, result: 'cancelled' });
      expect((await farm('status')).out).toMatch(
        new RegExp(`^  ${jobC}  cancelled  -  renders/c\\.mp4  Cancelled before it started\\.$`, 'm'),
      );

      // A job for a model this worker does not have: it fails, naming the model.
      const studioModel = path.join(tmp, 'studio-models', 'farm-draft');
      await fs.cp(builtinDraftModelDir(), studioModel, { recursive: true });
      const manifest = JSON.parse(await fs.readFile(path.join(studioModel, 'model.json'), 'utf8')) as { name: string };
      await fs.writeFile(
        path.join(studioModel, 'model.json'),
        JSON.stringify({ ...manifest, name: 'farm-test-draft' }),
      );
      const other = path.join(tmp, 'other-model.camtrack');
      await writeTinyProject(other, { render: { model: studioModel } });
      const d = await runCli('farm', 'submit', other, '--redis', redis.url, '--farm-root', root, '--out', 'd.mp4');
      const jobD = lastJson(d.out).job as string;
      await client.queue.resume();
      await expect(waitForFarmJob(client, jobD, undefined, 200)).rejects.toMatchObject({
        code: 'model',
        message: expect.stringMatching(/no model named "farm-test-draft"/),
      });
      expect((await farm('status')).out).toMatch(
        new RegExp(
          `^  ${jobD}  failed +cli-worker  renders/d\\.mp4  This worker has no model named "farm-test-draft"`,
          'm',
        ),
      );

      // The worker took the cancelled job before that one (FIFO) and failed it without rendering.
      expect(worker.events.filter((e) => e.job === jobC).map((e) => e.event)).toEqual(['failed']);
      expect((await farm('status')).out).toMatch(new RegExp(`^  ${jobC}  cancelled `, 'm'));
      expect(await fs.stat(path.join(root, 'renders', 'c.mp4')).catch(() => null)).toBeNull();

      // Retrying what cannot be retried says so; with the model in the worker's folder the failed job completes.
      const early = await farm(
        'retry',
        jobD.replace(/.$/, (ch) => (ch === '0' ? '1' : '0')),
      );
      expect(early.code).toBe(1);
      expect(early.err).toMatch(/camtrack: The farm has no job .* \[not-found\]/);
      await fs.cp(studioModel, path.join(workerModels(), 'farm-draft'), { recursive: true });
      const retry = await farm('retry', jobD);
      expect(retry.code).toBe(0);
      expect(lastJson(retry.out)).toEqual({ job: jobD, result: 'queued' });
      expect(await waitForFarmJob(client, jobD, undefined, 200)).toMatchObject({
        output: 'renders/d.mp4',
        worker: 'cli-worker',
      });
      expect(await probeVideo(path.join(root, 'renders', 'd.mp4'))).toMatchObject({
        frames: 4,
        width: 128,
        height: 64,
      });
      const again = await farm('retry', jobD);
      expect(again.code).toBe(1);
      expect(again.err).toMatch(/is completed: only a failed or cancelled job can be retried/);
    },
  );
});
