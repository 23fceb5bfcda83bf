import type { JobStatus, JobView } from '../../../src-main/api/contract';

/**
 * The queue as the panel shows it: the engine's jobs in queue order, kept current by
 * 'job.update' events. Pure helpers: merging an update, what each job allows, and the
 * toIndex a move up or down sends to 'render.reorder' (an index in the engine's whole list).
 */

/** The job replaced in place, or appended when new. */
export function upsertJob(jobs: readonly JobView[], job: JobView): JobView[] {
  const i = jobs.findIndex((j) => j.id === job.id);
  if (i < 0) return [...jobs, job];
  const out = jobs.slice();
  out[i] = job;
  return out;
}

/**
 * The engine's order from a call's answer, with each job's state as the events last reported it.
 * Answers and events travel separately, so an answer can be older than an event already applied
 * (a reorder answered after the cancel event that followed it): statuses come from events only.
 */
export function orderLike(jobs: readonly JobView[], order: readonly JobView[]): JobView[] {
  const known = new Map(jobs.map((j) => [j.id, j]));
  const ids = new Set(order.map((j) => j.id));
  return [...order.map((o) => known.get(o.id) ?? o), ...jobs.filter((j) => !ids.has(j.id))];
}

/** A call's answer about one job: added when the list does not have it yet, else the events' state stays. */
export function addIfNew(jobs: readonly JobView[], job: JobView): JobView[] {
  return jobs.some((j) => j.id === job.id) ? jobs.slice() : [...jobs, job];
}

export const canCancel = (s: JobStatus): boolean => s === 'queued' || s === 'running' || s === 'interrupted';
export const canRestart = (s: JobStatus): boolean => s === 'failed' || s === 'cancelled' || s === 'interrupted';
/** A running job must be cancelled before it can be removed. */
export const canRemove = (s: JobStatus): boolean => s !== 'running';
export const isFinished = (s: JobStatus): boolean => s === 'done' || s === 'failed' || s === 'cancelled';

/**
 * Jobs still to run or needing attention (shown as the queue, in queue order) and finished renders
 * (the history, the newest first: by when they finished, else when they were queued).
 */
export function splitQueue(jobs: readonly JobView[]): { active: JobView[]; history: JobView[] } {
  const when = (j: JobView) => Date.parse(j.finishedAt ?? j.createdAt) || 0;
  const history = jobs
    .map((j, i) => ({ j, i }))
    .filter(({ j }) => j.status === 'done')
    .sort((a, b) => when(b.j) - when(a.j) || b.i - a.i)
    .map(({ j }) => j);
  return { active: jobs.filter((j) => j.status !== 'done'), history };
}

/** "840 KB", "3.2 MB", "1.1 GB": a size on disk for a card. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = bytes / 1000;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v >= 100 ? Math.round(v) : Number(v.toPrecision(2))} ${units[u]}`;
}

/** A done render's file on its card: "MP4 · 3.2 MB", "PNG frames · 14 MB". */
export function outputSummary(job: Pick<JobView, 'format' | 'bytes'>): string {
  if (!job.format) return '';
  const kind = job.format === 'png' ? 'PNG frames' : job.format.toUpperCase();
  return job.bytes === undefined ? kind : `${kind} · ${formatBytes(job.bytes)}`;
}

/**
 * Where 'render.reorder' must move a job so it swaps with its neighbour in the visible list
 * (`visible` is a subsequence of `all`, e.g. the active jobs); null at either end.
 */
export function moveTarget(
  all: readonly JobView[],
  visible: readonly JobView[],
  id: string,
  dir: -1 | 1,
): number | null {
  const v = visible.findIndex((j) => j.id === id);
  const neighbour = visible[v + dir];
  if (v < 0 || !neighbour) return null;
  const to = all.findIndex((j) => j.id === neighbour.id);
  return to < 0 ? null : to;
}

/** Where a dragged job lands when dropped on `targetId` in the visible list. */
export function dropTarget(all: readonly JobView[], dragId: string, targetId: string): number | null {
  if (dragId === targetId) return null;
  const to = all.findIndex((j) => j.id === targetId);
  return to < 0 ? null : to;
}

/** The same move applied locally, so the list responds before the engine's answer arrives. */
export function moveLocal(jobs: readonly JobView[], id: string, toIndex: number): JobView[] {
  const from = jobs.findIndex((j) => j.id === id);
  if (from < 0) return jobs.slice();
  const out = jobs.slice();
  const [job] = out.splice(from, 1);
  out.splice(Math.max(0, Math.min(out.length, toIndex)), 0, job);
  return out;
}

/** Two done jobs chosen for a side-by-side compare: choosing a third drops the oldest choice. */
export function toggleCompare(selected: readonly string[], id: string): string[] {
  if (selected.includes(id)) return selected.filter((s) => s !== id);
  return [...selected, id].slice(-2);
}

export const STATUS_LABEL: Record<JobStatus, string> = {
  queued: 'Queued',
  running: 'Rendering',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
};

/** "window 2/3 · denoise step 12 of 25 · 48%" style line for a job's progress. */
export function progressText(job: Pick<JobView, 'status' | 'progress' | 'stage' | 'detail' | 'window'>): string {
  const pct = `${Math.round(job.progress * 100)}%`;
  const win = job.window ? `window ${job.window.index}/${job.window.count}` : '';
  if (job.status === 'interrupted')
    return `Stopped at ${pct}${job.stage ? ` (${[win, job.stage].filter(Boolean).join(', ')})` : ''}: the engine quit mid-render.`;
  if (job.status === 'running')
    return [win, job.stage && (job.detail ? `${job.stage} ${job.detail}` : job.stage), pct].filter(Boolean).join(' · ');
  return '';
}

/** The output's file name, for downloads. */
export function baseName(file: string): string {
  const parts = file.split(/[\\/]/);
  return parts[parts.length - 1] || file;
}

/**
 * A job's one-line settings: "seed 42 · 25 steps · 14 frames" for a model render (with "reference
 * fidelity" when it renders the NVS-Solver reference); a preview has no seed or denoising steps, so
 * it shows its frames and size instead.
 */
export function jobSettings(job: Pick<JobView, 'seed' | 'steps' | 'frames' | 'preview' | 'fingerprint'>): string {
  if (job.preview) return `preview · ${job.frames} frames${job.fingerprint ? ` · ${job.fingerprint.size}` : ''}`;
  const fidelity = job.fingerprint?.fidelity === 'reference' ? ' · reference fidelity' : '';
  return `seed ${job.seed} · ${job.steps} steps${fidelity} · ${job.frames} frames`;
}
