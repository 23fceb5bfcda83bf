import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { decodeProjectDoc } from '../project/parse';
import type { ProjectDoc } from '../project/schema';
import { writeFileAtomic } from '../util/atomic';
import { CamtrackError, toErrorInfo, type ErrorInfo } from '../util/errors';
import {
  Job,
  QUEUE_VERSION,
  type QueueState,
  addExport,
  cancelJob,
  emptyQueue,
  enqueue,
  findJob,
  markDone,
  markFailed,
  markInterrupted,
  markProgress,
  markRunning,
  moveJob,
  removeJob,
  restartJob,
  type JobExport,
  type JobOutputs,
  type JobOverrides,
  type JobProgress,
} from './model';

/**
 * The render queue on disk (the project's queue.json): every change is applied in memory, then
 * the file is rewritten atomically, so a crash leaves the last complete queue. Writes are
 * coalesced: while one is in flight, later changes are folded into the next write, so a stream
 * of progress reports costs at most one write at a time.
 *
 * Loading repairs what a crash leaves: a job found 'running' becomes 'interrupted' (restartable).
 * Nothing unreadable is dropped silently: a job that cannot be read is left out with a notice
 * and the original file copied to `<file>.corrupt-<time>`; a file that is not a queue at all is
 * renamed so and a new queue started, with a notice. A file from a newer app is refused and left
 * untouched.
 */
export interface QueueStoreOptions {
  /** Clock (tests). */
  now?: () => Date;
  /** Job ids (tests). */
  newId?: () => string;
}

export type QueueListener = (state: QueueState) => void;

export interface EnqueueInput {
  label: string;
  project: ProjectDoc;
  overrides?: JobOverrides;
}

export class RenderQueueStore {
  private current: QueueState;
  private readonly listeners = new Set<QueueListener>();
  private writing: Promise<void> | null = null;
  /** Changes made so far, and changes already on disk: a change resolves once a write that includes it is done. */
  private changes = 0;
  private written = 0;
  private waiters: { change: number; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private readonly now: () => Date;
  private readonly newId: () => string;

  /** What loading found and did, for the person: interrupted renders, a corrupt file moved aside. */
  private loadNotices: readonly string[];

  private constructor(
    readonly file: string,
    state: QueueState,
    notices: readonly string[],
    opts: QueueStoreOptions,
  ) {
    this.current = state;
    this.loadNotices = notices;
    this.now = opts.now ?? (() => new Date());
    this.newId = opts.newId ?? randomUUID;
  }

  static async open(file: string, opts: QueueStoreOptions = {}): Promise<RenderQueueStore> {
    const now = (opts.now ?? (() => new Date()))();
    const notices: string[] = [];
    let state = emptyQueue();
    let needsWrite = false;
    const loaded = await loadQueueFile(file, now);
    if (loaded.kind === 'partial') {
      needsWrite = true;
      notices.push(
        `${loaded.dropped.length === 1 ? 'One render job' : `${loaded.dropped.length} render jobs`} in ${file} could not be read and ${loaded.dropped.length === 1 ? 'was' : 'were'} left out (${loaded.dropped.join('; ')}). The original file was kept as ${loaded.copiedTo}.`,
      );
    }
    if (loaded.kind === 'ok' || loaded.kind === 'partial') {
      state = markInterrupted(loaded.state, now.toISOString());
      const interrupted = loaded.state.jobs.filter((j) => j.status === 'running');
      if (interrupted.length > 0) {
        needsWrite = true;
        notices.push(
          `${interrupted.length === 1 ? 'A render was' : `${interrupted.length} renders were`} interrupted when the engine stopped: ${interrupted.map((j) => `"${j.label}"`).join(', ')}. Restart ${interrupted.length === 1 ? 'it' : 'them'} from the queue.`,
        );
      }
    } else if (loaded.kind === 'corrupt') {
      needsWrite = true;
      notices.push(
        `The render queue file ${file} could not be read (${loaded.reason}). It was moved to ${loaded.movedTo} and an empty queue was started.`,
      );
    }
    const store = new RenderQueueStore(file, state, notices, opts);
    if (needsWrite) await store.persist();
    return store;
  }

  get state(): QueueState {
    return this.current;
  }

  /** The notices of loading the file, until the person has read them (dismissNotices). */
  get notices(): readonly string[] {
    return this.loadNotices;
  }

  dismissNotices(): void {
    this.loadNotices = [];
  }

  job(id: string): Job {
    return findJob(this.current, id);
  }

  /** Called after every change with the new state; returns the unsubscribe function. */
  subscribe(listener: QueueListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Applies a pure change (model.ts) and resolves once a write containing it is on disk. An
   * invalid change throws before anything is changed or written.
   */
  async update(change: (q: QueueState, now: string) => QueueState): Promise<QueueState> {
    const next = change(this.current, this.now().toISOString());
    if (next === this.current) return next;
    this.current = next;
    const written = this.persist();
    for (const l of this.listeners) l(next);
    await written;
    return next;
  }

  async enqueue(input: EnqueueInput): Promise<Job> {
    const id = this.newId();
    await this.update((q, now) =>
      enqueue(q, { id, createdAt: now, label: input.label, project: input.project, overrides: input.overrides }),
    );
    return this.job(id);
  }

  cancel(id: string): Promise<QueueState> {
    return this.update((q, now) => cancelJob(q, id, now));
  }
  move(id: string, toIndex: number): Promise<QueueState> {
    return this.update((q) => moveJob(q, id, toIndex));
  }
  remove(id: string): Promise<QueueState> {
    return this.update((q) => removeJob(q, id));
  }
  restart(id: string): Promise<QueueState> {
    return this.update((q) => restartJob(q, id));
  }
  markRunning(id: string): Promise<QueueState> {
    return this.update((q, now) => markRunning(q, id, now));
  }
  markProgress(id: string, progress: JobProgress): Promise<QueueState> {
    return this.update((q) => markProgress(q, id, progress));
  }
  markDone(id: string, outputs: JobOutputs): Promise<QueueState> {
    return this.update((q, now) => markDone(q, id, now, outputs));
  }
  addExport(id: string, record: JobExport): Promise<QueueState> {
    return this.update((q) => addExport(q, id, record));
  }
  markFailed(id: string, error: ErrorInfo | unknown): Promise<QueueState> {
    const info = isErrorInfo(error) ? error : toErrorInfo(error);
    return this.update((q, now) => markFailed(q, id, now, info));
  }

  /** Resolves when every change so far is on disk. */
  async flush(): Promise<void> {
    if (this.writing) await this.writing;
  }

  /**
   * Resolves when a write that includes the change just made is on disk, not when the writer goes
   * idle: under a steady stream of progress reports the writer never idles, and an enqueue or a
   * cancel must not wait for the render to end.
   */
  private persist(): Promise<void> {
    const change = ++this.changes;
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ change, resolve, reject }));
    this.writing ??= this.writeLoop();
    return done;
  }

  private async writeLoop(): Promise<void> {
    try {
      while (this.written < this.changes) {
        const upTo = this.changes;
        await fs.mkdir(path.dirname(this.file), { recursive: true });
        await writeFileAtomic(this.file, `${JSON.stringify(this.current, null, 1)}\n`);
        this.written = upTo;
        const ready = this.waiters.filter((w) => w.change <= upTo);
        this.waiters = this.waiters.filter((w) => w.change > upTo);
        for (const w of ready) w.resolve();
      }
    } catch (e) {
      // A failed write fails every change waiting for it; the next change tries again.
      const failed = this.waiters;
      this.waiters = [];
      this.written = this.changes;
      for (const w of failed) w.reject(e);
    } finally {
      this.writing = null;
    }
  }
}

function isErrorInfo(e: unknown): e is ErrorInfo {
  return (
    !!e &&
    typeof e === 'object' &&
    !(e instanceof Error) &&
    typeof (e as ErrorInfo).code === 'string' &&
    typeof (e as ErrorInfo).message === 'string'
  );
}

type Loaded =
  | { kind: 'missing' }
  | { kind: 'ok'; state: QueueState }
  /** Some jobs could not be read: the readable ones are kept, the whole file was copied aside. */
  | { kind: 'partial'; state: QueueState; dropped: string[]; copiedTo: string }
  | { kind: 'corrupt'; reason: string; movedTo: string };

export interface DecodedQueue {
  state: QueueState;
  /** One line per job left out, naming it and why. */
  dropped: string[];
}

/**
 * Raw JSON -> queue, salvaging what can be read: each job's project snapshot is migrated like a
 * project file (a queue written by an older app keeps its history), and a job that still does
 * not parse, or repeats an id, is left out with a reason instead of costing the whole queue.
 * Throws 'newer-version' for a queue from a newer app, 'bad-file' when there is no queue at all.
 */
export function decodeQueue(raw: unknown, label: string): DecodedQueue {
  const obj = raw as { version?: unknown; jobs?: unknown } | null;
  if (!obj || typeof obj !== 'object' || Array.isArray(obj))
    throw new CamtrackError('bad-file', `${label} is not a render queue (not a JSON object).`);
  if (typeof obj.version === 'number' && obj.version > QUEUE_VERSION)
    throw new CamtrackError(
      'newer-version',
      `The render queue ${label} was written by a newer Camtrack Studio (queue version ${obj.version}; this one reads ${QUEUE_VERSION}). Update the app to use it.`,
    );
  if (obj.version !== QUEUE_VERSION || !Array.isArray(obj.jobs))
    throw new CamtrackError('bad-file', `${label} is not a render queue (no version ${QUEUE_VERSION} and jobs list).`);
  const jobs: Job[] = [];
  const dropped: string[] = [];
  obj.jobs.forEach((rawJob: unknown, i: number) => {
    const r = rawJob as { id?: unknown; label?: unknown; project?: unknown } | null;
    const name = r && typeof r === 'object' && typeof r.label === 'string' ? `"${r.label}"` : `job ${i + 1}`;
    try {
      const project =
        r && typeof r === 'object' ? decodeProjectDoc(r.project, `the project of ${name}`).doc : undefined;
      const parsed = Job.safeParse({ ...(r as object), project });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Error(`${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`);
      }
      if (jobs.some((j) => j.id === parsed.data.id)) throw new Error(`its id ${parsed.data.id} repeats an earlier job`);
      jobs.push(parsed.data);
    } catch (e) {
      dropped.push(`${name}: ${(e as Error).message}`);
    }
  });
  // Two jobs "running" can only come from a damaged file; loading interrupts them all anyway.
  return { state: { version: QUEUE_VERSION, jobs }, dropped };
}

/** Reads the queue file; an unreadable one is renamed aside (never deleted). */
export async function loadQueueFile(file: string, now: Date = new Date()): Promise<Loaded> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    const info = toErrorInfo(e);
    throw new CamtrackError(
      info.code === 'internal' ? 'bad-file' : info.code,
      `The render queue file ${file} could not be opened: ${info.message}`,
      { cause: e },
    );
  }
  const aside = `${file}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`;
  let reason: string;
  try {
    const decoded = decodeQueue(JSON.parse(text), file);
    if (decoded.dropped.length === 0) return { kind: 'ok', state: decoded.state };
    await fs.copyFile(file, aside);
    return { kind: 'partial', state: decoded.state, dropped: decoded.dropped, copiedTo: aside };
  } catch (e) {
    if (e instanceof CamtrackError && e.code === 'newer-version') throw e;
    reason = e instanceof SyntaxError ? `not valid JSON: ${e.message}` : (e as Error).message;
  }
  await fs.rename(file, aside);
  return { kind: 'corrupt', reason, movedTo: aside };
}
