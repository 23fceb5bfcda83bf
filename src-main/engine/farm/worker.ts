import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { nvidiaGpus } from '../models/doctor';
import type { ProviderChoice } from '../models/providers';
import { renderProject, type RenderPreview, type RenderProgress } from '../render/render';
import { CamtrackError, toErrorInfo } from '../util/errors';
import { cleanFarmRoot } from './cleanup';
import { commitStagedRender } from './commit';
import { checkConnection, connectRedis, farmKeys, FARM_QUEUE, redactRedisUrl } from './connection';
import { checkFarmRoot, FARM_ASSETS_DIR, FARM_RENDERS_DIR, FARM_STAGING_DIR, resolveUnderRootReal } from './paths';
import { checkFarmJobId, docFromSpec, parseFarmSpec, type FarmJobData, type FarmJobResult } from './spec';
import { findFarmModel, verifyFarmAsset, verifyFarmModel } from './verify';

/**
 * `camtrack worker`: takes render jobs from the farm queue. For each job it checks the spec, every
 * asset's hash and the model's file hashes, renders with the ordinary render engine into a staging
 * folder on the farm root, reports progress and a small preview through the job, honours cancel,
 * commits the video and its sidecar into renders/ as a pair, then BullMQ marks the job done.
 *
 * A worker that dies mid-job holds a lock that is no longer renewed: after lockDuration, BullMQ's
 * stalled check (run by every worker) puts the job back, and another worker renders it from the
 * start. Before committing, the worker renews its lock; a worker that lost it (it was considered
 * dead while it was not) discards its render instead, so no job completes twice.
 */
export interface FarmWorkerOptions {
  redisUrl: string;
  /** A PEM CA file to trust for a rediss:// server (default $CAMTRACK_REDIS_CA). */
  redisCaFile?: string;
  farmRoot: string;
  /** A folder of model folders (or one model folder) to look models up in by name; the built-in draft model is always there. */
  modelDir?: string;
  executionProvider?: ProviderChoice;
  concurrency?: number;
  /** Shown in status and recorded on every job it processes (default host-pid). */
  name?: string;
  /** BullMQ's lock duration and stalled check interval (ms): how soon a dead worker's job moves on. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** How old a temporary or commit journal in renders/ must be before this worker treats it as abandoned (default 10 min). */
  staleAfterMs?: number;
  /** One event per line (started, cleaned, job started, progress stages, completed, failed). */
  log?: (event: Record<string, unknown>) => void;
}

export interface FarmWorkerInfo {
  id: string;
  name: string;
  host: string;
  pid: number;
  provider: { requested: ProviderChoice; used: string | null };
  gpus: string[];
  concurrency: number;
  startedAt: string;
  lastSeen: string;
  jobs: { id: string; output: string; fraction: number; stage: string }[];
}

/** What a job's progress holds: the render's fraction and stage, the worker, and the latest preview (base64 RGB24 per frame). */
export interface FarmProgress {
  worker: string;
  fraction: number;
  stage: string;
  step?: number;
  steps?: number;
  preview?: { step: number; width: number; height: number; frames: string[] };
}

const HEARTBEAT_MS = 5000;
const CANCEL_POLL_MS = 300;
const PROGRESS_INTERVAL_MS = 400;
const PREVIEW_INTERVAL_MS = 1000;
const PREVIEW_MAX_SIDE = 32;

export interface RunningFarmWorker {
  info: FarmWorkerInfo;
  worker: Worker<FarmJobData, FarmJobResult>;
  /** Stops taking jobs; waits for the jobs in progress unless `force`. */
  close(force?: boolean): Promise<void>;
}

/** A failure as the job records it: the message and its code, "message [code]" (read back by spec.ts failureCode). */
function failure(e: unknown): Error {
  const info = toErrorInfo(e);
  const err = new UnrecoverableError(`${info.message} [${info.code}]`);
  return err;
}

export async function startFarmWorker(opts: FarmWorkerOptions): Promise<RunningFarmWorker> {
  const root = await checkFarmRoot(opts.farmRoot);
  const log = opts.log ?? (() => {});
  const redis = connectRedis(opts.redisUrl, 'worker', { caFile: opts.redisCaFile });
  await checkConnection(redis, opts.redisUrl).catch((e) => {
    redis.disconnect();
    throw e;
  });
  // What crashed workers left on the farm root: half-done commits finished, stray temporaries and staging folders removed.
  const tidy = new Queue(FARM_QUEUE, { connection: redis });
  try {
    const cleaned = await cleanFarmRoot(root, tidy, opts.staleAfterMs);
    if (cleaned.recovered.length || cleaned.removed.length || cleaned.staging.length)
      log({ event: 'cleaned', ...cleaned });
  } finally {
    await tidy.close();
  }
  const host = os.hostname();
  const id = `${host}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const name = opts.name ?? `${host}-${process.pid}`;
  const lockDuration = opts.lockDurationMs ?? 30_000;
  const info: FarmWorkerInfo = {
    id,
    name,
    host,
    pid: process.pid,
    provider: { requested: opts.executionProvider ?? 'auto', used: null },
    gpus: (await nvidiaGpus(3000)) ?? [],
    concurrency: opts.concurrency ?? 1,
    startedAt: new Date().toISOString(),
    lastSeen: new Date().toISOString(),
    jobs: [],
  };
  const heartbeat = async () => {
    info.lastSeen = new Date().toISOString();
    await redis.set(farmKeys.worker(id), JSON.stringify(info), 'PX', HEARTBEAT_MS * 3).catch(() => {});
  };

  const process_ = async (job: Job<FarmJobData, FarmJobResult>, token?: string): Promise<FarmJobResult> => {
    const t0 = performance.now();
    const jobId = job.id!;
    const controller = new AbortController();
    const current = { id: jobId, output: '', fraction: 0, stage: 'check' };
    info.jobs.push(current);
    void heartbeat();
    const poll = setInterval(() => {
      void redis.exists(farmKeys.cancel(jobId)).then(
        (n) => {
          if (n && !controller.signal.aborted) controller.abort();
        },
        () => {},
      );
    }, CANCEL_POLL_MS);
    let staging: string | null = null;
    try {
      // Nothing in a job is trusted: its id names a folder on the farm root, so it is checked before anything else.
      checkFarmJobId(jobId);
      if (job.data?.cancelled || (await redis.exists(farmKeys.cancel(jobId))))
        throw new CamtrackError('cancelled', 'The render was cancelled before it started.');
      const spec = parseFarmSpec(job.data?.spec);
      current.output = spec.output;
      log({ event: 'job', job: jobId, output: spec.output, attempt: job.attemptsStarted });
      // Every path from the queue is resolved under the farm root; the output must go to renders/.
      const out = await resolveUnderRootReal(root, spec.output, 'output path');
      if (path.dirname(out) !== path.join(root, FARM_RENDERS_DIR))
        throw new CamtrackError(
          'permission',
          `The job's output "${spec.output}" is not in the farm root's ${FARM_RENDERS_DIR}/ folder: refused.`,
        );
      await verifyFarmAsset(root, spec.assets.image, 'photo');
      await verifyFarmAsset(root, spec.assets.depth, 'depth file');
      const model = await findFarmModel(spec.model, opts.modelDir);
      await verifyFarmModel(model.dir, spec.model);

      // A previous attempt of this job (a worker that died) may have left its staging folder.
      const stagingRoot = path.join(root, FARM_STAGING_DIR);
      await fs.mkdir(stagingRoot, { recursive: true });
      for (const n of await fs.readdir(stagingRoot))
        if (n.startsWith(`${jobId}.`)) await fs.rm(path.join(stagingRoot, n), { recursive: true, force: true });
      staging = path.join(stagingRoot, `${jobId}.${id}`);
      await fs.mkdir(staging);

      let lastSent = 0;
      let lastStage = '';
      let preview: FarmProgress['preview'];
      const send = (p: RenderProgress, force = false) => {
        current.fraction = p.fraction;
        current.stage = p.stage;
        const now = Date.now();
        if (!force && p.stage === lastStage && now - lastSent < PROGRESS_INTERVAL_MS) return;
        lastSent = now;
        if (p.stage !== lastStage)
          log({ event: 'stage', job: jobId, stage: p.stage, fraction: Number(p.fraction.toFixed(3)) });
        lastStage = p.stage;
        const progress: FarmProgress = {
          worker: name,
          fraction: p.fraction,
          stage: p.stage,
          ...(p.step !== undefined && { step: p.step, steps: p.steps }),
          ...(preview && { preview }),
        };
        void job.updateProgress(progress as unknown as object).catch(() => {});
      };
      const onPreview = (p: RenderPreview) => {
        preview = {
          step: p.step,
          width: p.width,
          height: p.height,
          frames: p.frames.map((f) => Buffer.from(f).toString('base64')),
        };
      };
      const result = await renderProject({
        projectDir: root,
        assetsDir: path.join(root, FARM_ASSETS_DIR),
        doc: docFromSpec(spec, model.ref),
        overrides: opts.executionProvider ? { executionProvider: opts.executionProvider } : undefined,
        sigmas: Float32Array.from(spec.sigmas),
        out: path.join(staging, path.basename(out)),
        thumbnail: spec.settings.format !== 'png',
        signal: controller.signal,
        onProgress: (p) => send(p),
        onPreview,
        previewIntervalMs: PREVIEW_INTERVAL_MS,
        previewMaxSide: PREVIEW_MAX_SIDE,
      });
      if (controller.signal.aborted) throw new CamtrackError('cancelled', 'The render was cancelled.');
      info.provider.used = result.sidecar.executionProvider.used;
      // Still ours? A worker whose lock lapsed has had its job handed to another: it must not commit too.
      if (token && !(await job.extendLock(token, lockDuration).catch(() => 0)))
        throw new CamtrackError(
          'internal',
          `Worker ${name} lost job ${jobId} to another worker before it finished: its render is discarded.`,
        );
      await commitStagedRender(result.out, out);
      const sidecar = `${spec.output}.json`;
      const thumb = result.thumbnail ? `${spec.output}.thumb.jpg` : null;
      const ms = Math.round(performance.now() - t0);
      log({
        event: 'completed',
        job: jobId,
        output: spec.output,
        worker: name,
        ms,
        renderMs: Math.round(result.timings.reduce((s, t) => s + t.ms, 0)),
      });
      return {
        output: spec.output,
        sidecar,
        thumbnail: thumb,
        worker: name,
        host,
        provider: result.sidecar.executionProvider.used,
        ms,
      };
    } catch (e) {
      const info_ = toErrorInfo(e);
      log({ event: 'failed', job: jobId, code: info_.code, message: info_.message });
      throw failure(e);
    } finally {
      clearInterval(poll);
      info.jobs.splice(info.jobs.indexOf(current), 1);
      if (staging) await fs.rm(staging, { recursive: true, force: true }).catch(() => {});
      void heartbeat();
    }
  };

  const worker = new Worker<FarmJobData, FarmJobResult>(FARM_QUEUE, process_, {
    connection: redis,
    concurrency: info.concurrency,
    name,
    lockDuration,
    stalledInterval: opts.stalledIntervalMs ?? 30_000,
    // A job whose worker died twice in a row is failed rather than handed on forever.
    maxStalledCount: 2,
  });
  worker.on('error', (e) => log({ event: 'error', message: (e as Error).message }));
  await worker.waitUntilReady();
  await heartbeat();
  const beat = setInterval(() => void heartbeat(), HEARTBEAT_MS);
  log({
    event: 'started',
    worker: name,
    id,
    redis: redactRedisUrl(opts.redisUrl),
    farmRoot: root,
    provider: info.provider.requested,
    gpus: info.gpus,
    concurrency: info.concurrency,
  });
  return {
    info,
    worker,
    async close(force = false) {
      clearInterval(beat);
      await worker.close(force);
      await redis.del(farmKeys.worker(id)).catch(() => {});
      redis.disconnect();
    },
  };
}
