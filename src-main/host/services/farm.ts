import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { FarmSettingsView, JobView } from '../../api/contract';
import type { JobOverrides } from '../../engine/queue/model';
import type { ProjectDoc } from '../../engine/project/schema';
import {
  addFarmJob,
  cancelFarmJob,
  checkFarmRoot,
  checkRedisUrl,
  FARM_RENDERS_DIR,
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
import type { HostBase } from '../base';
import { PathGuard } from '../pathGuard';

/**
 * The studio's side of the render farm, a service on the host context (ctx.farm): the farm's Redis
 * URL and root (saved in the app's data folder, readable by this user only), sending a project's
 * render to the farm, and the farm jobs a project sent, shown in the same queue as local renders.
 * While a project has farm jobs that are not finished, the host polls the farm about once a second
 * and sends what changed as 'job.update' (and the workers' previews as 'job.preview'), like the
 * local runner does. `stop()` ends the polling and closes the connection.
 */
interface FarmSettings {
  url: string;
  root: string;
}

const POLL_MS = 1000;

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

/** The host's link to the render farm: its settings, one client, and the poller of the jobs its projects sent. */
export class FarmLink {
  private settings: FarmSettings | null | undefined;
  private client: { url: string; promise: Promise<FarmClient> } | null = null;
  private readonly watched = new Set<string>();
  private readonly lastSent = new Map<string, string>();
  private readonly lastPreview = new Map<string, number>();
  private poller: NodeJS.Timeout | null = null;

  constructor(private readonly ctx: HostBase) {}

  private get settingsFile(): string {
    return path.join(this.ctx.config.appDataDir, 'farm.json');
  }

  private async loadSettings(): Promise<FarmSettings | null> {
    if (this.settings !== undefined) return this.settings;
    const text = await fs.readFile(this.settingsFile, 'utf8').catch(() => null);
    const parsed = text ? (JSON.parse(text) as Partial<FarmSettings>) : null;
    const loaded = parsed?.url && parsed.root ? { url: parsed.url, root: parsed.root } : null;
    // A root saved before this rule (or by hand) is held to it too.
    if (loaded) this.checkRootAllowed(loaded.root);
    this.settings = loaded;
    return this.settings;
  }

  /**
   * Where a farm root may be. In browser mode anyone with the page's token drives the bridge, so
   * the root is confined as projects are: inside the workspace, or the folder named by
   * `camtrack serve --farm-root` on the serving machine. In either mode the root is never added to
   * the path guard: the farm calls read it themselves (its assets/ and renders/ only), so a farm
   * root does not open project or asset access anywhere else.
   */
  private checkRootAllowed(root: string): void {
    const { config } = this.ctx;
    if (config.mode !== 'browser') return;
    const allowed = [config.workspace, config.farmRoot].filter((r): r is string => !!r);
    if (new PathGuard(allowed).isAllowed(root)) return;
    throw new CamtrackError(
      'permission',
      `In browser mode the farm root must be inside the workspace (${config.workspace}) or the folder given to "camtrack serve --farm-root DIR"; ${root} is neither.`,
    );
  }

  private async farmClient(): Promise<{ client: FarmClient; settings: FarmSettings }> {
    const s = await this.loadSettings();
    if (!s)
      throw new CamtrackError(
        'bad-input',
        'No render farm is set up: give its Redis URL and farm root in the render settings.',
      );
    if (!this.client || this.client.url !== s.url) {
      const promise = openFarmClient(s.url);
      this.client = { url: s.url, promise };
      promise.catch(() => {
        if (this.client?.promise === promise) this.client = null;
      });
    }
    return { client: await this.client.promise, settings: s };
  }

  private async viewOf(dir: string, jobId: string): Promise<JobView> {
    const { client: c } = await this.farmClient();
    const j = await farmJob(c, jobId);
    if (!j || j.origin?.project !== dir)
      throw new CamtrackError('not-found', `The farm has no job ${jobId} of this project.`);
    return toJobView(dir, j);
  }

  /** One poll: every job of a watched project whose view changed goes out as an event. Stops when nothing is left to watch. */
  private async poll(): Promise<void> {
    const { client: c } = await this.farmClient();
    const status = await farmStatus(c, 200);
    let unfinished = false;
    for (const j of status.jobs) {
      const dir = j.origin?.project;
      if (!dir || !this.watched.has(dir)) continue;
      if (j.state === 'waiting' || j.state === 'active') unfinished = true;
      const view = await toJobView(dir, j);
      const key = JSON.stringify(view);
      if (this.lastSent.get(j.id) !== key) {
        this.lastSent.set(j.id, key);
        this.ctx.emit('job.update', view);
      }
      if (j.preview && this.lastPreview.get(j.id) !== j.preview.step) {
        this.lastPreview.set(j.id, j.preview.step);
        const frames = j.preview.frames.map((f) => new Uint8Array(Buffer.from(f, 'base64')));
        this.ctx.emit('job.preview', {
          project: dir,
          jobId: j.id,
          step: j.preview.step,
          width: j.preview.width,
          height: j.preview.height,
          frames,
        });
      }
    }
    if (!unfinished) this.stopPolling();
  }

  private startPolling(): void {
    if (this.poller) return;
    this.poller = setInterval(() => void this.poll().catch(() => undefined), POLL_MS);
    this.poller.unref?.();
  }

  private stopPolling(): void {
    if (this.poller) clearInterval(this.poller);
    this.poller = null;
  }

  /** Whether the poller runs (a project this host watches has a farm job that is not finished). */
  get polling(): boolean {
    return this.poller !== null;
  }

  /** Ends the polling and closes the connection to the farm; a later call opens a new one. */
  async stop(): Promise<void> {
    this.stopPolling();
    const client = this.client;
    this.client = null;
    await client?.promise.then((c) => c.close()).catch(() => undefined);
  }

  async settingsView(): Promise<FarmSettingsView> {
    const s = await this.loadSettings();
    if (!s) return { configured: false, url: null, root: null, workers: [] };
    const { client: c } = await this.farmClient();
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

  async configure(url: string, farmRoot: string): Promise<FarmSettingsView> {
    checkRedisUrl(url);
    this.checkRootAllowed(farmRoot);
    const root = await checkFarmRoot(farmRoot);
    // Reach Redis (and check the password) before anything is saved.
    const probe = await openFarmClient(url);
    await probe.close();
    await fs.mkdir(this.ctx.config.appDataDir, { recursive: true });
    await writeFileAtomic(this.settingsFile, `${JSON.stringify({ url, root }, null, 2)}\n`);
    await fs.chmod(this.settingsFile, 0o600).catch(() => undefined);
    this.settings = { url, root };
    return this.settingsView();
  }

  async submit(dir: string, input: { doc: ProjectDoc; overrides?: JobOverrides; label?: string }): Promise<JobView> {
    const { client: c, settings: s } = await this.farmClient();
    const { doc } = applyRenderOverrides(input.doc, input.overrides?.render);
    const label = input.label ?? `${doc.name} · seed ${doc.render.seed}`;
    const { jobId, spec } = await prepareFarmJob({ projectDir: dir, doc, farmRoot: s.root });
    await addFarmJob(c, jobId, spec, { project: dir, label });
    this.watched.add(dir);
    this.startPolling();
    const view = await this.viewOf(dir, jobId);
    this.ctx.emit('job.update', view);
    return view;
  }

  async jobs(dir: string): Promise<JobView[]> {
    if (!(await this.loadSettings())) return [];
    const { client: c } = await this.farmClient();
    const status = await farmStatus(c, 200);
    const mine = status.jobs.filter((j) => j.origin?.project === dir);
    this.watched.add(dir);
    if (mine.some((j) => j.state === 'waiting' || j.state === 'active')) this.startPolling();
    return Promise.all(mine.reverse().map((j) => toJobView(dir, j)));
  }

  async cancel(dir: string, jobId: string): Promise<JobView> {
    await this.viewOf(dir, jobId);
    const { client: c } = await this.farmClient();
    await cancelFarmJob(c, jobId);
    return this.viewOf(dir, jobId);
  }

  async retry(dir: string, jobId: string): Promise<JobView> {
    await this.viewOf(dir, jobId);
    const { client: c } = await this.farmClient();
    await retryFarmJob(c, jobId);
    this.watched.add(dir);
    this.startPolling();
    return this.viewOf(dir, jobId);
  }

  async download(dir: string, jobId: string): Promise<JobView> {
    const { settings: s } = await this.farmClient();
    const view = await this.viewOf(dir, jobId);
    if (view.status !== 'done' || !view.farmOutput)
      throw new CamtrackError('bad-input', 'Only a finished farm render can be downloaded.');
    const src = await resolveUnderRootReal(s.root, view.farmOutput, 'output');
    // What a job says its output is comes from Redis: only a file of the farm's renders/ is copied.
    if (path.dirname(src) !== path.join(path.resolve(s.root), FARM_RENDERS_DIR))
      throw new CamtrackError(
        'permission',
        `The farm job's output "${view.farmOutput}" is not in the farm root's ${FARM_RENDERS_DIR}/ folder: refused.`,
      );
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
    const done = await this.viewOf(dir, jobId);
    this.ctx.emit('job.update', done);
    return done;
  }
}
