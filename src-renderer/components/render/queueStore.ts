import { create } from 'zustand';
import type { ApiEvents, JobView } from '../../../src-main/api/contract';
import { addIfNew, moveLocal, orderLike, toggleCompare, upsertJob } from './queue';

export type JobPreview = ApiEvents['job.preview'];
export type ExportProgress = ApiEvents['export.progress'];

/**
 * The render queue as the studio sees it (view state: not part of the project document, not
 * undone). Loaded with 'render.queue' when a project opens, then kept current by 'job.update'
 * and 'job.preview' events.
 */
interface QueueState {
  /** The project whose queue is shown: events about other projects' jobs are ignored. */
  project: string | null;
  jobs: JobView[];
  /** The latest live preview of each running job. */
  previews: Record<string, JobPreview>;
  /** Exports in progress, by job (one at a time per render). */
  exporting: Record<string, ExportProgress>;
  /** Done jobs chosen for a side-by-side compare (at most two). */
  compare: string[];
  loadError: string | null;
  /** What the engine found opening the queue file (an unreadable file kept aside, jobs left out), until dismissed. */
  notices: string[];
  setProject(project: string): void;
  setJobs(jobs: JobView[]): void;
  /** A 'job.update' event: the job's current state. */
  applyUpdate(job: JobView): void;
  /** The answer to render.enqueue: a new job, unless its events arrived first. */
  addAnswer(job: JobView): void;
  /** The answer to render.reorder: the new order (states stay as the events said). */
  applyOrder(order: JobView[]): void;
  applyPreview(p: JobPreview): void;
  /** An 'export.progress' event; 'done' (or endExport after a failure) clears it. */
  applyExportProgress(p: ExportProgress): void;
  endExport(jobId: string): void;
  moveLocal(id: string, toIndex: number): void;
  dropLocal(id: string): void;
  toggleCompare(id: string): void;
  setLoadError(message: string | null): void;
  setNotices(notices: string[]): void;
}

export const useQueue = create<QueueState>()((set) => ({
  project: null,
  jobs: [],
  previews: {},
  exporting: {},
  compare: [],
  loadError: null,
  notices: [],
  setProject: (project) =>
    set((s) =>
      s.project === project
        ? s
        : { project, jobs: [], previews: {}, exporting: {}, compare: [], loadError: null, notices: [] },
    ),
  setJobs: (jobs) =>
    set((s) => ({
      jobs,
      compare: s.compare.filter((id) => jobs.some((j) => j.id === id && j.status === 'done')),
      loadError: null,
    })),
  applyUpdate: (job) =>
    set((s) => {
      if (job.project !== s.project) return s;
      const previews = job.status === 'running' ? s.previews : omit(s.previews, job.id);
      return { jobs: upsertJob(s.jobs, job), previews };
    }),
  addAnswer: (job) => set((s) => (job.project === s.project ? { jobs: addIfNew(s.jobs, job) } : s)),
  applyOrder: (order) =>
    set((s) => ({
      jobs: orderLike(
        s.jobs,
        order.filter((j) => j.project === s.project),
      ),
    })),
  applyPreview: (p) =>
    set((s) => {
      if (p.project !== s.project) return s;
      const job = s.jobs.find((j) => j.id === p.jobId);
      if (job && job.status !== 'running') return s; // a late preview of a finished job
      return { previews: { ...s.previews, [p.jobId]: p } };
    }),
  applyExportProgress: (p) =>
    set((s) => {
      if (p.project !== s.project) return s;
      if (p.phase === 'done') return { exporting: omit(s.exporting, p.jobId) };
      return { exporting: { ...s.exporting, [p.jobId]: p } };
    }),
  endExport: (jobId) => set((s) => ({ exporting: omit(s.exporting, jobId) })),
  moveLocal: (id, toIndex) => set((s) => ({ jobs: moveLocal(s.jobs, id, toIndex) })),
  dropLocal: (id) =>
    set((s) => ({
      jobs: s.jobs.filter((j) => j.id !== id),
      previews: omit(s.previews, id),
      compare: s.compare.filter((c) => c !== id),
    })),
  toggleCompare: (id) => set((s) => ({ compare: toggleCompare(s.compare, id) })),
  setLoadError: (loadError) => set({ loadError }),
  setNotices: (notices) => set({ notices }),
}));

function omit<T>(rec: Record<string, T>, key: string): Record<string, T> {
  if (!(key in rec)) return rec;
  const { [key]: _dropped, ...rest } = rec;
  return rest;
}
