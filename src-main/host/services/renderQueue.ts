import { promises as fs } from 'node:fs';
import { renderFingerprint } from '../../engine/render/fingerprint';
import path from 'node:path';
import type { JobView } from '../../api/contract';
import { projectPaths } from '../../engine/project/layout';
import { effectiveProject, type Job } from '../../engine/queue/model';
import { RenderQueueStore } from '../../engine/queue/store';
import { applyFidelity, renderProject, sidecarPathFor, type RenderProgress } from '../../engine/render';
import { CamtrackError, toErrorInfo } from '../../engine/util/errors';
import { resolveModelRef } from '../../engine/models/modelFolder';
import { removeStalePartials } from '../../engine/video';
import { isPreviewModel } from '../../engine/preview/kind';
import { exportRender, writeMaster } from '../../engine/transcode';
import type { HostBase } from '../base';

/**
 * The render queue of the engine host, a service on its context (ctx.renders). Each project folder
 * has its own queue, persisted in its queue.json (engine/queue); a job snapshots the document when
 * it is queued. One job renders at a time in the whole host: the runner takes the first queued job
 * of the queues in the order they were opened. Outputs go to the project's renders/ folder (video, sidecar, thumbnail), named by
 * time, seed and job, so a render never replaces another. Progress reaches the UI as 'job.update'
 * (at most about 4 a second, and on every stage or status change) and previews as 'job.preview'
 * (about 2 a second). A queue found with a 'running' job when opened (the engine died mid-render)
 * shows it as 'interrupted'; stale partial files of that render are removed.
 */

const UPDATE_INTERVAL_MS = 250;
const PREVIEW_INTERVAL_MS = 500;
const PREVIEW_MAX_SIDE = 96;

/**
 * The model folder a job renders with (the project's setting or the job's override), checked
 * against the guard as model.info checks it. A folder the user may not access is refused with the
 * same message whether it exists or not, and nothing in it is read.
 */
export function checkJobModel(
  ctx: Pick<HostBase, 'guard'>,
  dir: string,
  job: Pick<Job, 'project' | 'overrides'>,
): void {
  const model = effectiveProject(job).render.model;
  if (model === 'draft' || isPreviewModel(model)) return;
  ctx.guard.check(resolveModelRef(model, dir));
}

const rel = (dir: string, file: string) => path.relative(dir, file).split(path.sep).join('/');

export function jobView(dir: string, job: Job): JobView {
  const effective = effectiveProject(job);
  // A reference-fidelity model render samples the reference's steps and table: the card and Compare show those.
  const doc = isPreviewModel(effective.render.model) ? effective : applyFidelity(effective).doc;
  const view: JobView = {
    project: dir,
    id: job.id,
    label: job.label,
    createdAt: job.createdAt,
    status: job.status,
    progress:
      job.status === 'done' ? 1 : job.status === 'running' || job.status === 'interrupted' ? job.progress.fraction : 0,
    seed: doc.render.seed,
    steps: doc.render.steps,
    frames: doc.track.numFrames,
    fingerprint: renderFingerprint(doc),
  };
  if (isPreviewModel(doc.render.model)) view.preview = true;
  if (job.status === 'running' || job.status === 'interrupted') {
    view.stage = job.progress.stage;
    if (job.progress.message) view.detail = job.progress.message;
    if (job.progress.window && job.progress.windows)
      view.window = { index: job.progress.window, count: job.progress.windows };
  }
  if (job.status === 'done') {
    view.output = job.outputs.video;
    view.sidecar = job.outputs.sidecar;
    if (job.outputs.thumbnail) view.thumbnail = job.outputs.thumbnail;
    view.finishedAt = job.finishedAt;
    view.format = doc.render.format;
    if (job.outputs.bytes !== undefined) view.bytes = job.outputs.bytes;
    view.master = job.outputs.master !== undefined || doc.render.format === 'png';
    if (job.outputs.exports?.length)
      view.exports = job.outputs.exports.map(({ file, sidecar, format, fps, frames, bytes, interpolated }) => ({
        file,
        sidecar,
        format,
        fps,
        frames,
        bytes,
        interpolated,
      }));
  }
  if (job.status === 'failed') view.error = job.error;
  return view;
}

/**
 * `renders/Street-seed42-20261125-180102-1a2b.mp4`: project, seed and time, so a file found later
 * says what it is; the job id's start keeps two renders of the same second apart. A folder without
 * extension for png.
 */
export function outputName(job: Job, now: Date): string {
  const doc = effectiveProject(job);
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const project =
    doc.name
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9_-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'render';
  const base = `${project}-seed${doc.render.seed}-${stamp}-${job.id.replace(/[^A-Za-z0-9]/g, '').slice(0, 4)}`;
  return doc.render.format === 'png' ? base : `${base}.${doc.render.format}`;
}

/**
 * The render's lossless master beside its video, so that exports from the history lose nothing
 * more (engine/transcode/master). A PNG render needs none. Failing to write it fails nothing: an
 * export then reads the video and its sidecar says so.
 */
async function keepMaster(result: Awaited<ReturnType<typeof renderProject>>): Promise<string | null> {
  const s = result.sidecar;
  if (s.output.format === 'png') return null;
  try {
    return (
      await writeMaster({
        output: result.out,
        frames: result.frames,
        width: s.settings.width,
        height: s.settings.height,
        fps: s.output.fps,
      })
    ).path;
  } catch {
    return null;
  }
}

/** What an export from a render's history entry makes: a format and, null for the render's own, a frame rate. */
export interface ExportRequest {
  format: 'mp4' | 'webm' | 'gif' | 'png';
  fps: number | null;
}

/** The input of an enqueue: the document and what the job changes of it. */
export type EnqueueRequest = Pick<Job, 'project'> & { overrides?: Job['overrides']; label?: string };

/**
 * The host's render queues and their runner. Made once per host (createEngineService); `stop()`
 * ends it: no job starts after it, and the running render is aborted and left as a crash leaves it
 * ('running' in queue.json, shown as interrupted, restartable, when the queue is next opened).
 */
export class RenderQueueRunner {
  private readonly queues = new Map<string, Promise<RenderQueueStore>>();
  private running: { dir: string; jobId: string; controller: AbortController } | null = null;
  private pumping: Promise<void> | null = null;
  /** Set by start(): a job may have been queued since the runner last looked. */
  private wanted = false;
  private stopped = false;
  /** Exports running now, by project folder and job: one at a time per render. */
  private readonly exporting = new Map<string, AbortController>();

  constructor(private readonly ctx: HostBase) {}

  /** The queue of a project folder, opened (and its stale partial files removed) on first use. */
  queueFor(dir: string): Promise<RenderQueueStore> {
    let q = this.queues.get(dir);
    if (!q) {
      const paths = projectPaths(dir);
      q = (async () => {
        await removeStalePartials(paths.rendersDir);
        return RenderQueueStore.open(paths.queueFile);
      })();
      this.queues.set(dir, q);
      q.catch(() => this.queues.delete(dir));
    }
    return q;
  }

  async enqueue(dir: string, input: EnqueueRequest): Promise<JobView> {
    const store = await this.queueFor(dir);
    const doc = input.project;
    checkJobModel(this.ctx, dir, { project: doc, overrides: input.overrides ?? {} });
    const label = input.label ?? `${doc.name} · seed ${input.overrides?.render?.seed ?? doc.render.seed}`;
    const job = await store.enqueue({ label, project: doc, overrides: input.overrides });
    const view = jobView(dir, job);
    this.ctx.emit('job.update', view);
    this.start();
    return view;
  }

  async cancel(dir: string, jobId: string): Promise<JobView> {
    const store = await this.queueFor(dir);
    // The store applies the cancel at once (a refusal throws here); the runner is stopped before
    // the write to queue.json completes, so the sampler stops at its next step.
    const written = store.cancel(jobId);
    if (this.running && this.running.dir === dir && this.running.jobId === jobId) this.running.controller.abort();
    await written;
    const view = jobView(dir, store.job(jobId));
    this.ctx.emit('job.update', view);
    return view;
  }

  async restart(dir: string, jobId: string): Promise<JobView> {
    const store = await this.queueFor(dir);
    await store.restart(jobId);
    const view = jobView(dir, store.job(jobId));
    this.ctx.emit('job.update', view);
    this.start();
    return view;
  }

  async remove(dir: string, jobId: string): Promise<void> {
    const store = await this.queueFor(dir);
    await store.remove(jobId);
  }

  async reorder(dir: string, jobId: string, toIndex: number): Promise<JobView[]> {
    const store = await this.queueFor(dir);
    const state = await store.move(jobId, toIndex);
    return state.jobs.map((j) => jobView(dir, j));
  }

  async list(dir: string): Promise<JobView[]> {
    const store = await this.queueFor(dir);
    // Queued jobs left from before the engine started (or restarted) run now.
    if (store.state.jobs.some((j) => j.status === 'queued')) this.start();
    return store.state.jobs.map((j) => jobView(dir, j));
  }

  /**
   * Exports a done render from its history entry (engine/transcode) and records the export on the
   * job. `renderFile` resolves a file of the project folder (the caller's path check).
   */
  async exportJob(
    dir: string,
    jobId: string,
    input: ExportRequest,
    renderFile: (rel: string) => string,
  ): Promise<JobView> {
    const store = await this.queueFor(dir);
    const job = store.job(jobId);
    if (job.status !== 'done')
      throw new CamtrackError(
        'bad-input',
        `Render "${job.label}" is ${job.status}: only a finished render can be exported.`,
      );
    const key = `${dir}\n${job.id}`;
    if (this.exporting.has(key))
      throw new CamtrackError(
        'bad-input',
        `Render "${job.label}" is already being exported: wait for it, or cancel it.`,
      );
    const controller = new AbortController();
    this.exporting.set(key, controller);
    let last = 0;
    const emit = (phase: 'encoding' | 'finishing' | 'done', fraction: number) =>
      this.ctx.emit('export.progress', {
        project: dir,
        jobId: job.id,
        format: input.format,
        fps: input.fps,
        phase,
        fraction,
      });
    try {
      emit('encoding', 0);
      const r = await exportRender({
        render: renderFile(job.outputs.video),
        format: input.format,
        fps: input.fps,
        signal: controller.signal,
        onProgress: (p) => {
          const now = Date.now();
          if (p.phase === 'encoding' && now - last < UPDATE_INTERVAL_MS) return;
          last = now;
          emit(p.phase, p.fraction);
        },
      });
      await store.addExport(job.id, {
        file: rel(dir, r.out),
        sidecar: rel(dir, r.sidecarPath),
        format: r.sidecar.output.format,
        fps: r.sidecar.output.fps,
        frames: r.sidecar.output.frames,
        bytes: r.sidecar.output.bytes,
        interpolated: r.sidecar.interpolation !== null,
        createdAt: r.sidecar.createdAt,
      });
      const view = jobView(dir, store.job(job.id));
      this.ctx.emit('job.update', view);
      return view;
    } finally {
      this.exporting.delete(key);
    }
  }

  /** Cancels the running export of a job; false when none runs. */
  cancelExport(dir: string, jobId: string): boolean {
    const controller = this.exporting.get(`${dir}\n${jobId}`);
    controller?.abort();
    return !!controller;
  }

  async notices(dir: string, dismiss: boolean): Promise<string[]> {
    const store = await this.queueFor(dir);
    const notices = [...store.notices];
    if (dismiss) store.dismissNotices();
    return notices;
  }

  /** Runs the queued jobs, one at a time, unless the runner is already at it or stopped. */
  start(): void {
    this.wanted = true;
    if (this.pumping || this.stopped) return;
    // The runner outlives the call that started it; its failures are reported per job.
    this.pumping = this.pump()
      .catch(() => undefined)
      .finally(() => {
        this.pumping = null;
        // A start() that came while the runner was finishing: look again.
        if (this.wanted) this.start();
      });
  }

  /**
   * Starts no further job, aborts the running one (left for restart) and any export, and waits for
   * the runner and the queue files.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.running?.controller.abort();
    for (const controller of this.exporting.values()) controller.abort();
    await this.idle();
    for (const q of this.queues.values()) await (await q.catch(() => null))?.flush();
  }

  /** Resolves when the runner has no job left to run (at once when it is not running). */
  async idle(): Promise<void> {
    while (this.pumping) await this.pumping;
  }

  /** Runs queued jobs one at a time until no queue has one. */
  private async pump(): Promise<void> {
    while (!this.stopped) {
      this.wanted = false;
      let next: { dir: string; store: RenderQueueStore; job: Job } | null = null;
      for (const [dir, q] of this.queues) {
        const store = await q.catch(() => null);
        const job = store?.state.jobs.find((j) => j.status === 'queued');
        if (store && job) {
          next = { dir, store, job };
          break;
        }
      }
      if (!next) {
        if (this.wanted) continue;
        return;
      }
      await this.runJob(next.dir, next.store, next.job);
    }
  }

  private async runJob(dir: string, store: RenderQueueStore, job: Job): Promise<void> {
    const ctx = this.ctx;
    // The store applies the change at once; from then on a cancel finds this job running and aborts it.
    const started = store.markRunning(job.id);
    const controller = new AbortController();
    this.running = { dir, jobId: job.id, controller };
    try {
      await started;
    } catch {
      // Cancelled or removed between being picked and being started: the runner goes on to the next.
      this.running = null;
      return;
    }
    ctx.emit('job.update', jobView(dir, store.job(job.id)));
    try {
      // A queue.json edited by hand (or from an older version) is checked again before anything is read.
      checkJobModel(ctx, dir, job);
    } catch (e) {
      await store.markFailed(job.id, toErrorInfo(e));
      this.running = null;
      const failed = store.state.jobs.find((j) => j.id === job.id);
      if (failed) ctx.emit('job.update', jobView(dir, failed));
      return;
    }
    const rendersDir = projectPaths(dir).rendersDir;
    const out = path.join(rendersDir, outputName(job, new Date()));
    let lastUpdate = 0;
    let lastStage = '';
    const onProgress = (p: RenderProgress) => {
      const now = Date.now();
      // A new stage or a new window is always shown; within one, updates are spaced out.
      const stageKey = `${p.stage}:${p.window ?? 0}`;
      if (stageKey === lastStage && now - lastUpdate < UPDATE_INTERVAL_MS && p.fraction < 1) return;
      lastUpdate = now;
      lastStage = stageKey;
      const message = p.stage === 'denoise' && p.steps ? `step ${p.step} of ${p.steps}` : undefined;
      // The store applies the change at once and writes queue.json in the background (coalesced).
      void store
        .markProgress(job.id, {
          fraction: p.fraction,
          stage: p.stage,
          ...(message && { message }),
          ...(p.window && p.windows && { window: p.window, windows: p.windows }),
        })
        .catch(() => undefined);
      const current = store.state.jobs.find((j) => j.id === job.id);
      if (current?.status === 'running') ctx.emit('job.update', jobView(dir, current));
    };
    try {
      await fs.mkdir(rendersDir, { recursive: true });
      const result = await renderProject({
        projectDir: dir,
        doc: effectiveProject(job),
        out,
        signal: controller.signal,
        thumbnail: true,
        onProgress,
        previewIntervalMs: PREVIEW_INTERVAL_MS,
        previewMaxSide: PREVIEW_MAX_SIDE,
        onPreview: (p) =>
          ctx.emit('job.preview', {
            project: dir,
            jobId: job.id,
            step: p.step,
            width: p.width,
            height: p.height,
            frames: p.frames,
          }),
      });
      const master = await keepMaster(result);
      await store.markDone(job.id, {
        video: rel(dir, result.out),
        sidecar: rel(dir, sidecarPathFor(result.out)),
        thumbnail: result.thumbnail ? rel(dir, result.thumbnail) : null,
        bytes: result.sidecar.output.bytes,
        ...(master && { master: rel(dir, master) }),
      });
    } catch (e) {
      // Stopped with the host: the job stays 'running', as a crash leaves it, to be restarted.
      if (this.stopped) return;
      // A cancel already marked the job; markFailed ignores a job that is no longer running.
      await store.markFailed(job.id, toErrorInfo(e));
    } finally {
      this.running = null;
    }
    const final = store.state.jobs.find((j) => j.id === job.id);
    if (final) ctx.emit('job.update', jobView(dir, final));
  }
}
