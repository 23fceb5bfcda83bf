import { z } from '../util/zod';
import { LambdaDoc, OutputFormat, ProjectDoc, RenderSettingsPatch } from '../project/schema';
import { CamtrackError, type ErrorInfo } from '../util/errors';

/**
 * The render queue as data: jobs in run order (finished ones stay as history), and pure
 * operations that return a new queue. No I/O here (store.ts persists it; the UI imports this
 * file too). Each status carries exactly the fields that make sense for it: a done job has
 * outputs, a failed one an error, a running or interrupted one its progress.
 *
 * Reports from a render runner about a job that is no longer running (it was cancelled while
 * the runner finished a step) are ignored, so a cancel can never be undone by a late "done".
 */
export const QUEUE_VERSION = 1;

const IsoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO date-time');

/** Per-job changes to the project snapshot: e.g. another seed, or another lambda table. */
export const JobOverrides = z.object({
  render: RenderSettingsPatch.optional(),
  lambda: LambdaDoc.optional(),
});
export type JobOverrides = z.infer<typeof JobOverrides>;

export const JobProgress = z.object({
  /** 0..1 over the whole job. */
  fraction: z.number().min(0).max(1),
  /** What is running, e.g. 'warp', 'denoise', 'decode', 'encode'. */
  stage: z.string(),
  message: z.string().optional(),
  /** Latest preview image of this job (a file path), for the queue's per-job preview. */
  preview: z.string().optional(),
  /** A track rendered in windows (engine/windows): the window being made (1-based) and their count. */
  window: z.number().int().min(1).optional(),
  windows: z.number().int().min(1).optional(),
});
export type JobProgress = z.infer<typeof JobProgress>;

/** An export of a done render to another format or frame rate (engine/transcode), beside it in renders/. */
export const JobExport = z.object({
  file: z.string().min(1),
  sidecar: z.string().min(1),
  format: OutputFormat,
  fps: z.number().positive(),
  frames: z.number().int().min(1),
  bytes: z.number().int().nonnegative(),
  /** Made by frame interpolation (another rate than the render's). */
  interpolated: z.boolean(),
  createdAt: IsoTime,
});
export type JobExport = z.infer<typeof JobExport>;

export const JobOutputs = z.object({
  video: z.string().min(1),
  sidecar: z.string().min(1),
  thumbnail: z.string().min(1).nullable(),
  /** Size on disk of the video (the PNG frames together); absent in queues written before it was kept. */
  bytes: z.number().int().nonnegative().optional(),
  /** The lossless master exports read (engine/transcode/master); absent for PNG renders and older ones. */
  master: z.string().min(1).optional(),
  /** Exports made from the history, newest last. */
  exports: z.array(JobExport).optional(),
});
export type JobOutputs = z.infer<typeof JobOutputs>;

/** ErrorInfo as stored; codes stay strings so a code added later does not make old files unreadable. */
const StoredError = z.object({
  code: z.string(),
  message: z.string(),
  detail: z.string().optional(),
}) as unknown as z.ZodType<ErrorInfo>;

const JobBase = z.object({
  id: z.string().min(1),
  createdAt: IsoTime,
  label: z.string(),
  /** The project as it was when the job was queued: later edits do not change a queued render. */
  project: ProjectDoc,
  overrides: JobOverrides,
  /** How many times the job has started running. */
  attempts: z.number().int().min(0),
});

export const Job = z.discriminatedUnion('status', [
  JobBase.extend({ status: z.literal('queued') }),
  JobBase.extend({ status: z.literal('running'), startedAt: IsoTime, progress: JobProgress }),
  JobBase.extend({ status: z.literal('done'), startedAt: IsoTime, finishedAt: IsoTime, outputs: JobOutputs }),
  JobBase.extend({
    status: z.literal('failed'),
    startedAt: IsoTime.nullable(),
    finishedAt: IsoTime,
    error: StoredError,
  }),
  JobBase.extend({ status: z.literal('cancelled'), startedAt: IsoTime.nullable(), finishedAt: IsoTime }),
  /** Found running when the queue was loaded: the engine stopped mid-render. */
  JobBase.extend({
    status: z.literal('interrupted'),
    startedAt: IsoTime,
    interruptedAt: IsoTime,
    progress: JobProgress,
  }),
]);
export type Job = z.infer<typeof Job>;
export type JobStatus = Job['status'];
type JobOf<S extends JobStatus> = Extract<Job, { status: S }>;

export const QueueState = z.object({ version: z.literal(QUEUE_VERSION), jobs: z.array(Job) }).superRefine((q, ctx) => {
  const ids = new Set<string>();
  q.jobs.forEach((j, i) => {
    if (ids.has(j.id))
      ctx.addIssue({ code: 'custom', path: ['jobs', i, 'id'], message: `job id ${j.id} appears twice` });
    ids.add(j.id);
  });
  if (q.jobs.filter((j) => j.status === 'running').length > 1)
    ctx.addIssue({ code: 'custom', path: ['jobs'], message: 'more than one job is running' });
});
export type QueueState = z.infer<typeof QueueState>;

export function emptyQueue(): QueueState {
  return { version: QUEUE_VERSION, jobs: [] };
}

export interface NewJob {
  id: string;
  createdAt: string;
  label: string;
  project: ProjectDoc;
  overrides?: JobOverrides;
}

/** The project a job renders: its snapshot with the job's overrides applied. */
export function effectiveProject(job: Pick<Job, 'project' | 'overrides'>): ProjectDoc {
  const { project, overrides } = job;
  return {
    ...project,
    render: { ...project.render, ...overrides.render },
    lambda: overrides.lambda ?? project.lambda,
  };
}

export function findJob(q: QueueState, id: string): Job {
  const job = q.jobs.find((j) => j.id === id);
  if (!job) throw new CamtrackError('not-found', `There is no render job ${id} in the queue.`);
  return job;
}

/** The job a runner should start next: the first queued one in queue order. */
export function nextQueuedJob(q: QueueState): JobOf<'queued'> | undefined {
  return q.jobs.find((j): j is JobOf<'queued'> => j.status === 'queued');
}

export function runningJob(q: QueueState): JobOf<'running'> | undefined {
  return q.jobs.find((j): j is JobOf<'running'> => j.status === 'running');
}

function replace(q: QueueState, job: Job): QueueState {
  return { ...q, jobs: q.jobs.map((j) => (j.id === job.id ? job : j)) };
}

function base(j: Job): z.infer<typeof JobBase> {
  return {
    id: j.id,
    createdAt: j.createdAt,
    label: j.label,
    project: j.project,
    overrides: j.overrides,
    attempts: j.attempts,
  };
}

function refuse(job: Job, action: string): never {
  throw new CamtrackError('bad-input', `Render "${job.label}" is ${job.status}; it cannot be ${action}.`);
}

/** Adds a job at the end. Its project with overrides must be a valid render: lambda shape included. */
export function enqueue(q: QueueState, job: NewJob): QueueState {
  if (q.jobs.some((j) => j.id === job.id))
    throw new CamtrackError('bad-input', `A render job with id ${job.id} is already queued.`);
  const overrides = JobOverrides.safeParse(job.overrides ?? {});
  if (!overrides.success)
    throw new CamtrackError(
      'bad-input',
      `The overrides of render "${job.label}" are invalid: ${overrides.error.issues[0].path.join('.')}: ${overrides.error.issues[0].message}.`,
    );
  const candidate: JobOf<'queued'> = {
    id: job.id,
    createdAt: job.createdAt,
    label: job.label,
    project: job.project,
    overrides: overrides.data,
    attempts: 0,
    status: 'queued',
  };
  const doc = ProjectDoc.safeParse(effectiveProject(candidate));
  if (!doc.success) {
    const issue = doc.error.issues[0];
    throw new CamtrackError(
      'bad-input',
      `Render "${job.label}" has invalid settings: ${issue.path.join('.')}: ${issue.message}.`,
    );
  }
  const { render, lambda, track } = doc.data;
  if (lambda.steps !== render.steps || lambda.frames !== track.numFrames)
    throw new CamtrackError(
      'shape-mismatch',
      `Render "${job.label}": the lambda table is ${lambda.steps} steps x ${lambda.frames} frames, but the render has ${render.steps} steps x ${track.numFrames} frames. Resample the table or give a matching one.`,
    );
  return { ...q, jobs: [...q.jobs, candidate] };
}

/** Cancels a queued, running or interrupted job (the runner must also stop a running one). */
export function cancelJob(q: QueueState, id: string, now: string): QueueState {
  const job = findJob(q, id);
  if (job.status !== 'queued' && job.status !== 'running' && job.status !== 'interrupted') refuse(job, 'cancelled');
  return replace(q, {
    ...base(job),
    status: 'cancelled',
    startedAt: job.status === 'queued' ? null : job.startedAt,
    finishedAt: now,
  });
}

/** Moves a job to `toIndex` in queue order (clamped to the list), e.g. from a drag in the queue. */
export function moveJob(q: QueueState, id: string, toIndex: number): QueueState {
  const from = q.jobs.findIndex((j) => j.id === id);
  if (from < 0) findJob(q, id);
  const jobs = q.jobs.slice();
  const [job] = jobs.splice(from, 1);
  const to = Math.max(0, Math.min(jobs.length, Math.trunc(toIndex)));
  jobs.splice(to, 0, job);
  return { ...q, jobs };
}

/** Removes a job from the queue and history (not its files). A running job must be cancelled first. */
export function removeJob(q: QueueState, id: string): QueueState {
  const job = findJob(q, id);
  if (job.status === 'running') refuse(job, 'removed while it runs; cancel it first');
  return { ...q, jobs: q.jobs.filter((j) => j.id !== id) };
}

/** Queues a failed, cancelled or interrupted job again, in its place, with the same settings. */
export function restartJob(q: QueueState, id: string): QueueState {
  const job = findJob(q, id);
  if (job.status !== 'failed' && job.status !== 'cancelled' && job.status !== 'interrupted') refuse(job, 'restarted');
  return replace(q, { ...base(job), status: 'queued' });
}

export function markRunning(q: QueueState, id: string, now: string): QueueState {
  const job = findJob(q, id);
  if (job.status !== 'queued') refuse(job, 'started');
  const other = runningJob(q);
  if (other)
    throw new CamtrackError('bad-input', `Render "${other.label}" is still running; one render runs at a time.`);
  return replace(q, {
    ...base(job),
    attempts: job.attempts + 1,
    status: 'running',
    startedAt: now,
    progress: { fraction: 0, stage: 'starting' },
  });
}

/** Progress of the running job; ignored when the job is no longer running. */
export function markProgress(q: QueueState, id: string, progress: JobProgress): QueueState {
  const job = findJob(q, id);
  if (job.status !== 'running') return q;
  const p = JobProgress.parse({ ...progress, fraction: Math.min(1, Math.max(0, progress.fraction)) });
  return replace(q, { ...job, progress: p });
}

/** The running job finished; ignored when it was cancelled meanwhile. */
export function markDone(q: QueueState, id: string, now: string, outputs: JobOutputs): QueueState {
  const job = findJob(q, id);
  if (job.status !== 'running') return q;
  return replace(q, {
    ...base(job),
    status: 'done',
    startedAt: job.startedAt,
    finishedAt: now,
    outputs: JobOutputs.parse(outputs),
  });
}

/** Records an export of a done job; a new export to the same file replaces the old record. */
export function addExport(q: QueueState, id: string, record: JobExport): QueueState {
  const job = findJob(q, id);
  if (job.status !== 'done') refuse(job, 'exported');
  const kept = (job.outputs.exports ?? []).filter((e) => e.file !== record.file);
  return replace(q, { ...job, outputs: { ...job.outputs, exports: [...kept, JobExport.parse(record)] } });
}

/** The running job failed; ignored when it was cancelled meanwhile. */
export function markFailed(q: QueueState, id: string, now: string, error: ErrorInfo): QueueState {
  const job = findJob(q, id);
  if (job.status !== 'running') return q;
  const e: ErrorInfo =
    error.detail === undefined
      ? { code: error.code, message: error.message }
      : { code: error.code, message: error.message, detail: error.detail };
  return replace(q, { ...base(job), status: 'failed', startedAt: job.startedAt, finishedAt: now, error: e });
}

/** Every running job becomes interrupted: used when loading a queue the engine did not close. */
export function markInterrupted(q: QueueState, now: string): QueueState {
  if (!q.jobs.some((j) => j.status === 'running')) return q;
  return {
    ...q,
    jobs: q.jobs.map((j) =>
      j.status === 'running'
        ? { ...base(j), status: 'interrupted', startedAt: j.startedAt, interruptedAt: now, progress: j.progress }
        : j,
    ),
  };
}
