import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Queue, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { sha256File } from '../models/hashing';
import { resolveModelRef } from '../models/modelFolder';
import { copyFileAtomic, storeAsset } from '../project/assets';
import { assetPath } from '../project/layout';
import { depthAsset, type ProjectDoc } from '../project/schema';
import { bakeShapeForPhoto, shapeName } from '../depth/shapes';
import { writeNpy } from '../npy/npy';
import { applyRenderOverrides, type RenderOverrides } from '../render/overrides';
import { sigmasForSteps } from '../schedule/sigmas';
import { CamtrackError } from '../util/errors';
import { checkConnection, connectRedis, farmKeys, FARM_QUEUE, type RedisConnectOptions } from './connection';
import { checkFarmRoot, resolveUnderRoot } from './paths';
import {
  checkFarmJobId,
  failureCode,
  specFromDoc,
  type FarmJobData,
  type FarmJobResult,
  type FarmJobSpec,
} from './spec';
import { farmModelOf } from './verify';

/**
 * The submitting side of the farm (the CLI and the studio's host): copying a project's assets onto
 * the farm root once by hash, adding a render job, and cancelling, retrying and waiting for jobs.
 */
export interface FarmClient {
  redis: Redis;
  queue: Queue<FarmJobData, FarmJobResult>;
  close(): Promise<void>;
}

export async function openFarmClient(redisUrl: string, connect: RedisConnectOptions = {}): Promise<FarmClient> {
  const redis = connectRedis(redisUrl, 'client', connect);
  try {
    await checkConnection(redis, redisUrl);
  } catch (e) {
    redis.disconnect();
    throw e;
  }
  const queue = new Queue<FarmJobData, FarmJobResult>(FARM_QUEUE, { connection: redis });
  return {
    redis,
    queue,
    async close() {
      await queue.close().catch(() => {});
      redis.disconnect();
    },
  };
}

/** Copies an asset to FARM_ROOT/assets/<sha256><ext> unless it is there with the right bytes. */
async function publishAsset(
  projectDir: string,
  file: string,
  sha256: string,
  farmRoot: string,
  rel: string,
): Promise<void> {
  const dst = resolveUnderRoot(farmRoot, rel, 'asset path');
  if ((await fs.stat(dst).catch(() => null)) && (await sha256File(dst)) === sha256) return;
  const src = assetPath(projectDir, file);
  if ((await sha256File(src).catch(() => null)) !== sha256)
    throw new CamtrackError('bad-file', `The project's asset ${src} is missing or does not match its recorded sha256.`);
  await fs.mkdir(path.dirname(dst), { recursive: true });
  await copyFileAtomic(src, dst);
}

const slug = (s: string) =>
  s
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40) || 'render';

export interface SubmitOptions {
  projectDir: string;
  doc: ProjectDoc;
  farmRoot: string;
  overrides?: RenderOverrides;
  /** The output's name in renders/ (default: project-seedN-<id>.<format>). */
  outputName?: string;
}

/** The spec of a project render and its job id (the assets are copied onto the farm root). */
export async function prepareFarmJob(opts: SubmitOptions): Promise<{ jobId: string; spec: FarmJobSpec }> {
  const root = await checkFarmRoot(opts.farmRoot);
  const doc = await withBakedShape(opts.projectDir, applyRenderOverrides(opts.doc, opts.overrides).doc);
  const modelDir = resolveModelRef(doc.render.model, opts.projectDir);
  const model = await farmModelOf(modelDir);
  const jobId = randomUUID();
  const ext = doc.render.format === 'png' ? '' : `.${doc.render.format}`;
  const outputName = opts.outputName ?? `${slug(doc.name)}-seed${doc.render.seed}-${jobId.slice(0, 8)}${ext}`;
  const spec = specFromDoc({
    doc,
    sigmas: sigmasForSteps(doc.render.steps),
    model,
    outputName,
    submittedFrom: os.hostname(),
  });
  await publishAsset(opts.projectDir, doc.image!.asset.file, doc.image!.asset.sha256, root, spec.assets.image.path);
  const depth = depthAsset(doc.depth!)!;
  await publishAsset(opts.projectDir, depth.file, depth.sha256, root, spec.assets.depth.path);
  return { jobId, spec };
}

/** A farm job carries its depth as a file: a depth shape is baked into one (z-depth .npy) among the project's assets. */
async function withBakedShape(projectDir: string, doc: ProjectDoc): Promise<ProjectDoc> {
  const d = doc.depth;
  if (!d || d.source.type !== 'shape' || !doc.image) return doc;
  const raw = bakeShapeForPhoto(d.source.shape, doc.image.width, doc.image.height);
  const asset = await storeAsset(projectDir, 'depth', writeNpy(raw.values, [raw.height, raw.width]), 'npy');
  const originalName = `${shapeName(d.source.shape)} (baked)`;
  return { ...doc, depth: { source: { type: 'file', asset, originalName }, mapping: d.mapping } };
}

/** Adds a job: one attempt (a render that fails fails the same way again); a worker that dies hands it on through stalled detection, not a retry. */
export async function addFarmJob(
  client: FarmClient,
  jobId: string,
  spec: FarmJobSpec,
  origin?: FarmJobData['origin'],
): Promise<Job<FarmJobData, FarmJobResult>> {
  // A staging folder is <job id>.<worker id>: the worker applies the same rule to what it takes.
  checkFarmJobId(jobId);
  return client.queue.add('render', origin ? { spec, origin } : { spec }, {
    jobId,
    attempts: 1,
    removeOnComplete: { count: 1000 },
    removeOnFail: { count: 1000 },
  });
}

export async function submitFarmRender(
  client: FarmClient,
  opts: SubmitOptions,
): Promise<{ jobId: string; spec: FarmJobSpec }> {
  const prepared = await prepareFarmJob(opts);
  await addFarmJob(client, prepared.jobId, prepared.spec);
  return prepared;
}

async function getJob(client: FarmClient, jobId: string): Promise<Job<FarmJobData, FarmJobResult>> {
  const job = await client.queue.getJob(jobId);
  if (!job) throw new CamtrackError('not-found', `The farm has no job ${jobId}.`);
  return job;
}

/**
 * Cancels a job. BullMQ can fail only an active job, so a waiting one is marked cancelled in its
 * data: status shows it cancelled, it can be retried, and a worker that takes it fails it at once
 * without rendering. A running one is flagged, and its worker aborts the render.
 */
export async function cancelFarmJob(
  client: FarmClient,
  jobId: string,
): Promise<'cancelled' | 'cancelling' | 'finished'> {
  const job = await getJob(client, jobId);
  const state = await job.getState();
  if (state === 'completed' || state === 'failed') return 'finished';
  // The flag first: a worker that takes the job between these calls still sees it and stops.
  await client.redis.set(farmKeys.cancel(jobId), '1', 'EX', 24 * 3600);
  if (state === 'waiting' || state === 'delayed' || state === 'prioritized') {
    await job.updateData({ ...job.data, cancelled: true });
    return 'cancelled';
  }
  return 'cancelling';
}

/** Runs a failed or cancelled job again, from the start. */
export async function retryFarmJob(client: FarmClient, jobId: string): Promise<void> {
  const job = await getJob(client, jobId);
  const state = await job.getState();
  const waitingCancelled =
    job.data?.cancelled && (state === 'waiting' || state === 'delayed' || state === 'prioritized');
  if (state !== 'failed' && !waitingCancelled)
    throw new CamtrackError(
      'bad-input',
      `The farm job ${jobId} is ${state}: only a failed or cancelled job can be retried.`,
    );
  await client.redis.del(farmKeys.cancel(jobId));
  if (job.data?.cancelled) {
    const { cancelled: _c, ...data } = job.data;
    await job.updateData(data);
  }
  if (state === 'failed') await job.retry('failed');
}

/** Waits until the job completes (its result) or fails (an error with its reason). */
export async function waitForFarmJob(
  client: FarmClient,
  jobId: string,
  onProgress?: (p: unknown) => void,
  pollMs = 500,
): Promise<FarmJobResult> {
  for (;;) {
    // The state first, then the job: a job read before its state could predate the failure or result that state reports.
    const state = await client.queue.getJobState(jobId);
    const job = await getJob(client, jobId);
    if (state === 'completed') return job.returnvalue;
    if (job.data?.cancelled)
      throw new CamtrackError('cancelled', `The farm job ${jobId} was cancelled before it started.`);
    if (state === 'failed') {
      const code = failureCode(job.failedReason);
      throw new CamtrackError(
        code,
        `The farm job ${jobId} ${code === 'cancelled' ? 'was cancelled' : 'failed'}: ${(job.failedReason ?? 'no reason recorded').replace(/\s*\[[a-z-]+\]$/, '')}`,
      );
    }
    onProgress?.(job.progress);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
