import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { FarmSettingsView, JobView } from '../../api/contract';
import {
  addFarmJob,
  cancelFarmJob,
  checkFarmRoot,
  checkRedisUrl,
  farmJob,
  farmStatus,
  openFarmClient,
  prepareFarmJob,
  redactRedisUrl,
  resolveUnderRootReal,
  retryFarmJob,
  type FarmClient,
  type FarmJobView,
} from '../../engine/farm';
import { projectPaths } from '../../engine/project/layout';
import { applyRenderOverrides } from '../../engine/render/overrides';
import { copyFileAtomic } from '../../engine/project/assets';
import { writeFileAtomic } from '../../engine/util/atomic';
import { CamtrackError } from '../../engine/util/errors';
import type { Handlers, HostContext } from '../context';
import { projectDir } from './project';

/**
 * The studio's side of the render farm: the farm's Redis URL and root (saved in the app's data
 * folder, readable by this user only), sending a project's render to the farm, and the farm jobs
 * a project sent, shown in the same queue as local renders. While a project has farm jobs that
 * are not finished, the host polls the farm about once a second and sends what changed as
 * 'job.update' (and the workers' previews as 'job.preview'), like the local runner does.
 */
interface FarmSettings {
  url: string;
  root: string;
}

const POLL_MS = 1000;
let settings: FarmSettings | null | undefined;
let client: { url: string; promise: Promise<FarmClient> } | null = null;
const watched = new Set<string>();
const lastSent = new Map<string, string>();
const lastPreview = new Map<string, number>();
let poller: NodeJS.Timeout | null = null;

const settingsFile = (ctx: HostContext) => path.join(ctx.config.appDataDir, 'farm.json');

async function loadSettings(ctx: HostContext): Promise<FarmSettings | null> {
  if (settings !== undefined) return settings;
  const text = await fs.readFile(settingsFile(ctx), 'utf8').catch(() => null);
  const parsed = text ? (JSON.parse(text) as Partial<FarmSettings>) : null;
  settings = parsed?.url && parsed.root ? { url: parsed.url, root: parsed.root } : null;
  if (settings) ctx.guard.allow(settings.root);
  return settings;
}

async function farmClient(ctx: HostContext): Promise<{ client: FarmClient; settings: FarmSettings }> {
  const s = await loadSettings(ctx);
  if (!s)
    throw new CamtrackError(
      'bad-input',
      'No render farm is set up: give its Redis URL and farm root in the render settings.',
    );
  if (!client || client.url !== s.url) {
    const promise = openFarmClient(s.url);
    client = { url: s.url, promise };
    promise.catch(() => {
      if (client?.promise === promise) client = null;
    });
  }
  return { client: await client.promise, settings: s };
}

const rel = (dir: string, file: string) => path.relative(dir, file).split(path.sep).join('/');
const STATUS: Record<FarmJobView['state'], JobView['status']> = {
  waiting: 'queued',
  active: 'running',
  completed: 'done',
  failed: 'failed',
  cancelled: 'cancelled',
  unknown: 'queued',
};

/** A farm job as the queue UI shows it; a finished render already copied into the project shows its files there. */
async function toJobView(dir: string, j: FarmJobView): Promise<JobView> {
  const view: JobView = {
    project: dir,
    id: j.id,
    label: j.origin?.label ?? j.name,
    createdAt: j.createdAt,
    status: STATUS[j.state],
    progress: j.fraction,
    seed: j.seed,
    steps: j.steps,
    frames: j.frames,
    where: 'farm',
    worker: j.worker,
    farmOutput: j.output,
  };
  if (j.state === 'active' && j.stage) view.stage = j.stage;
  if (j.error) view.error = { code: j.error.code as NonNullable<JobView['error']>['code'], message: j.error.message };
  if (j.state === 'completed') {
    const local = path.join(projectPaths(dir).rendersDir, path.posix.basename(j.output));
    if (await fs.stat(`${local}.json`).catch(() => null)) {
      view.output = rel(dir, local);
      view.sidecar = rel(dir, `${local}.json`);
      if (await fs.stat(`${local}.thumb.jpg`).catch(() => null)) view.thumbnail = rel(dir, `${local}.thumb.jpg`);
    }
  }
  return view;
}

async function viewOf(ctx: HostContext, dir: string, jobId: string): Promise<JobView> {
  const { client: c } = await farmClient(ctx);
  const j = await farmJob(c, jobId);
  if (!j || j.origin?.project !== dir)
    throw new CamtrackError('not-found', `The farm has no job ${jobId} of this project.`);
  return toJobView(dir, j);
}

/** One poll: every job of a watched project whose view changed goes out as an event. Stops when nothing is left to watch. */
async function poll(ctx: HostContext): Promise<void> {
  const { client: c } = await farmClient(ctx);
  const status = await farmStatus(c, 200);
  let unfinished = false;
  for (const j of status.jobs) {
    const dir = j.origin?.project;
    if (!dir || !watched.has(dir)) continue;
    if (j.state === 'waiting' || j.state === 'active') unfinished = true;
    const view = await toJobView(dir, j);
    const key = JSON.stringify(view);
    if (lastSent.get(j.id) !== key) {
      lastSent.set(j.id, key);
      ctx.emit('job.update', view);
    }
    if (j.preview && lastPreview.get(j.id) !== j.preview.step) {
      lastPreview.set(j.id, j.preview.step);
      const frames = j.preview.frames.map((f) => new Uint8Array(Buffer.from(f, 'base64')));
      ctx.emit('job.preview', {
        project: dir,
        jobId: j.id,
        step: j.preview.step,
        width: j.preview.width,
        height: j.preview.height,
        frames,
      });
    }
  }
  if (!unfinished) stopPolling();
}

function startPolling(ctx: HostContext): void {
  if (poller) return;
  poller = setInterval(() => void poll(ctx).catch(() => undefined), POLL_MS);
  poller.unref?.();
}

function stopPolling(): void {
  if (poller) clearInterval(poller);
  poller = null;
}

async function settingsView(ctx: HostContext): Promise<FarmSettingsView> {
  const s = await loadSettings(ctx);
  if (!s) return { configured: false, url: null, root: null, workers: [] };
  const { client: c } = await farmClient(ctx);
  const status = await farmStatus(c, 1);
  return {
    configured: true,
    url: redactRedisUrl(s.url),
    root: s.root,
    workers: status.workers.map((w) => ({
      name: w.name,
      host: w.host,
      provider: w.provider.used ?? w.provider.requested,
      gpus: w.gpus,
      jobs: w.jobs.length,
    })),
  };
}

export const farmHandlers: Handlers = {
  async 'farm.settings'(_input, ctx) {
    return settingsView(ctx);
  },

  async 'farm.configure'(input, ctx) {
    checkRedisUrl(input.url);
    const root = await checkFarmRoot(input.root);
    // Reach Redis (and check the password) before anything is saved.
    const probe = await openFarmClient(input.url);
    await probe.close();
    await fs.mkdir(ctx.config.appDataDir, { recursive: true });
    await writeFileAtomic(settingsFile(ctx), `${JSON.stringify({ url: input.url, root }, null, 2)}\n`);
    await fs.chmod(settingsFile(ctx), 0o600).catch(() => undefined);
    settings = { url: input.url, root };
    ctx.guard.allow(root);
    return settingsView(ctx);
  },

  async 'farm.submit'(input, ctx) {
    const dir = projectDir(ctx, input.project);
    const { client: c, settings: s } = await farmClient(ctx);
    const { doc } = applyRenderOverrides(input.doc, input.overrides?.render);
    const label = input.label ?? `${doc.name} · seed ${doc.render.seed}`;
    const { jobId, spec } = await prepareFarmJob({ projectDir: dir, doc, farmRoot: s.root });
    await addFarmJob(c, jobId, spec, { project: dir, label });
    watched.add(dir);
    startPolling(ctx);
    const view = await viewOf(ctx, dir, jobId);
    ctx.emit('job.update', view);
    return view;
  },

  async 'farm.jobs'(input, ctx) {
    const dir = projectDir(ctx, input.project);
    if (!(await loadSettings(ctx))) return [];
    const { client: c } = await farmClient(ctx);
    const status = await farmStatus(c, 200);
    const mine = status.jobs.filter((j) => j.origin?.project === dir);
    watched.add(dir);
    if (mine.some((j) => j.state === 'waiting' || j.state === 'active')) startPolling(ctx);
    return Promise.all(mine.reverse().map((j) => toJobView(dir, j)));
  },

  async 'farm.cancel'(input, ctx) {
    const dir = projectDir(ctx, input.project);
    await viewOf(ctx, dir, input.jobId);
    const { client: c } = await farmClient(ctx);
    await cancelFarmJob(c, input.jobId);
    return viewOf(ctx, dir, input.jobId);
  },

  async 'farm.retry'(input, ctx) {
    const dir = projectDir(ctx, input.project);
    await viewOf(ctx, dir, input.jobId);
    const { client: c } = await farmClient(ctx);
    await retryFarmJob(c, input.jobId);
    watched.add(dir);
    startPolling(ctx);
    return viewOf(ctx, dir, input.jobId);
  },

  async 'farm.download'(input, ctx) {
    const dir = projectDir(ctx, input.project);
    const { settings: s } = await farmClient(ctx);
    const view = await viewOf(ctx, dir, input.jobId);
    if (view.status !== 'done' || !view.farmOutput)
      throw new CamtrackError('bad-input', 'Only a finished farm render can be downloaded.');
    const src = await resolveUnderRootReal(s.root, view.farmOutput, 'output');
    const renders = projectPaths(dir).rendersDir;
    await fs.mkdir(renders, { recursive: true });
    const base = path.basename(src);
    // The sidecar last: a render folder shows a render once its sidecar is there.
    for (const suffix of ['', '.thumb.jpg', '.lambda.json', '.json']) {
      const from = `${src}${suffix}`;
      const st = await fs.stat(from).catch(() => null);
      if (!st) continue;
      if (st.isDirectory()) await fs.cp(from, path.join(renders, `${base}${suffix}`), { recursive: true });
      else await copyFileAtomic(from, path.join(renders, `${base}${suffix}`));
    }
    const done = await viewOf(ctx, dir, input.jobId);
    ctx.emit('job.update', done);
    return done;
  },
};
