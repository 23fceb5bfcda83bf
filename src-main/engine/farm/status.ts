import type { Job } from 'bullmq';
import { farmKeys } from './connection';
import { failureCode, type FarmJobData, type FarmJobResult } from './spec';
import type { FarmClient } from './submit';
import type { FarmProgress, FarmWorkerInfo } from './worker';

/** What `camtrack farm status` and the studio's queue show: the live workers and the recent jobs. */
export type FarmJobState = 'waiting' | 'active' | 'completed' | 'failed' | 'cancelled' | 'unknown';

export interface FarmJobView {
  id: string;
  origin: FarmJobData['origin'] | null;
  state: FarmJobState;
  name: string;
  output: string;
  seed: number;
  steps: number;
  frames: number;
  createdAt: string;
  /** The worker running it, or the one that finished it. */
  worker: string | null;
  fraction: number;
  stage: string | null;
  /** Times a worker started it (more than 1: a worker died and another took it over). */
  attemptsStarted: number;
  result: FarmJobResult | null;
  error: { code: string; message: string } | null;
  preview: FarmProgress['preview'] | null;
}

export interface FarmStatus {
  workers: FarmWorkerInfo[];
  jobs: FarmJobView[];
}

export function farmJobView(job: Job<FarmJobData, FarmJobResult>, state: string): FarmJobView {
  const spec = job.data?.spec;
  const progress = (typeof job.progress === 'object' && job.progress ? job.progress : null) as FarmProgress | null;
  const waiting = state === 'waiting' || state === 'delayed' || state === 'prioritized';
  // Cancelled while waiting: still in BullMQ's waiting list (it cannot fail a job no worker holds), marked in its data.
  const cancelledWaiting = waiting && job.data?.cancelled === true;
  const code = state === 'failed' ? failureCode(job.failedReason) : cancelledWaiting ? 'cancelled' : null;
  const view: FarmJobView = {
    id: job.id!,
    origin: job.data?.origin ?? null,
    state:
      code === 'cancelled'
        ? 'cancelled'
        : waiting
          ? 'waiting'
          : state === 'active' || state === 'completed' || state === 'failed'
            ? state
            : 'unknown',
    name: spec?.name ?? '',
    output: spec?.output ?? '',
    seed: spec?.settings.seed ?? 0,
    steps: spec?.settings.steps ?? 0,
    frames: spec?.track.numFrames ?? 0,
    createdAt: new Date(job.timestamp).toISOString(),
    worker: job.returnvalue?.worker ?? progress?.worker ?? job.processedBy ?? null,
    fraction: state === 'completed' ? 1 : (progress?.fraction ?? 0),
    stage: state === 'active' ? (progress?.stage ?? 'starting') : null,
    attemptsStarted: job.attemptsStarted ?? 0,
    result: state === 'completed' ? job.returnvalue : null,
    error:
      state === 'failed'
        ? { code: code!, message: (job.failedReason ?? 'no reason recorded').replace(/\s*\[[a-z-]+\]$/, '') }
        : cancelledWaiting
          ? { code: 'cancelled', message: 'Cancelled before it started.' }
          : null,
    preview: state === 'active' ? (progress?.preview ?? null) : null,
  };
  return view;
}

export async function farmWorkers(client: FarmClient): Promise<FarmWorkerInfo[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await client.redis.scan(cursor, 'MATCH', farmKeys.workersPattern, 'COUNT', 100);
    cursor = next;
    keys.push(...found);
  } while (cursor !== '0');
  if (!keys.length) return [];
  const values = await client.redis.mget(...keys);
  return values
    .filter((v): v is string => !!v)
    .map((v) => JSON.parse(v) as FarmWorkerInfo)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The workers and the newest `limit` jobs of each state, newest first. */
export async function farmStatus(client: FarmClient, limit = 50): Promise<FarmStatus> {
  const states = ['active', 'waiting', 'delayed', 'prioritized', 'completed', 'failed'] as const;
  const jobs: FarmJobView[] = [];
  for (const s of states) {
    const list = await client.queue.getJobs([s], 0, limit - 1, false);
    for (const j of list) if (j) jobs.push(farmJobView(j, s));
  }
  jobs.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
  return { workers: await farmWorkers(client), jobs };
}

/** One job's view, or null when the farm no longer has it. */
export async function farmJob(client: FarmClient, jobId: string): Promise<FarmJobView | null> {
  // The state before the job (see waitForFarmJob): the job read afterwards carries what that state says.
  const state = await client.queue.getJobState(jobId);
  const job = await client.queue.getJob(jobId);
  return job ? farmJobView(job, state) : null;
}
