import { z } from '../engine/util/zod';
import type { RenderFingerprint } from '../engine/render/fingerprint';
import { Depth, ProjectDoc } from '../engine/project/schema';
import { LIMITS } from '../engine/util/limits';
import { JobOverrides } from '../engine/queue/model';
import type { ErrorInfo } from '../engine/util/errors';

/**
 * The one API between the studio UI and the engine. Both transports (Electron IPC through the
 * preload, and the local WebSocket bridge of browser mode) carry exactly these calls and events,
 * and the engine host validates every input against these schemas before it runs anything.
 *
 * This module is shared by the renderer: no node imports here.
 */

const bytes = z.instanceof(Uint8Array);
const fileName = z.string().min(1).max(255);
const path = z.string().min(1).max(4096);
/** The project's working folder (OpenedProject.dir): calls name their project, so several windows can work at once. */
const project = z.string().min(1).max(4096);

export const apiInputs = {
  /** Versions, mode, providers, ffmpeg, workspace: what the status bar and Help show. */
  'app.info': z.object({}),

  /** The model a render setting names ('draft' or a folder): its name, family and native frame counts. */
  'model.info': z.object({ model: z.string().min(1).max(4096) }),

  /** A fresh, unsaved project (its working folder lives in the app's data folder until saved). */
  /**
   * A new Untitled project. `resumeUntitled` (at start) offers the newest autosave of a never-saved
   * project back; `discardUntitled` deletes such a working folder whose recovery was declined.
   */
  'project.new': z.object({
    name: z.string().max(200).optional(),
    resumeUntitled: z.boolean().optional(),
    discardUntitled: project.optional(),
  }),
  /** Opens a `NAME.camtrack` folder the user chose. */
  'project.open': z.object({ path, recoverAutosave: z.boolean().optional() }),
  /** Saves the document; `path` saves as a new `NAME.camtrack` folder. */
  'project.save': z.object({ project, doc: ProjectDoc, path: path.optional() }),
  /** Stores the document for crash recovery (never over project.json). */
  'project.autosave': z.object({ project, doc: ProjectDoc }),
  /** Drops the autosave (the document is back to its saved state, or the artist kept the saved version). */
  'project.discardAutosave': z.object({ project }),
  /**
   * Reopens a never-saved project's working folder after a reload (its queue and renders are there),
   * with the document the studio last had for it; a newer autosave in the folder is offered back.
   */
  'project.resume': z.object({ dir: path, doc: z.unknown() }),
  'project.recent': z.object({}),
  /**
   * A new sparse-view project from posed views the person chose: the files of a folder (names
   * relative to it, bytes), holding a nerfstudio transforms.json with its photos and depth files,
   * or an MVSNet folder (cams/NNNNNNNN_cam.txt, images/, depths/). `views` picks MVSNet views by
   * number (the first becomes the photo). Opens as a never-saved project.
   */
  'project.fromViews': z.object({
    files: z
      .array(z.object({ path: z.string().min(1).max(1024), bytes }))
      .min(1)
      .max(5000),
    format: z.enum(['transforms', 'mvsnet']).optional(),
    views: z.array(z.number().int().min(0)).min(1).max(LIMITS.views.max).optional(),
    numFrames: z.number().int().min(LIMITS.frames.min).max(LIMITS.frames.max).optional(),
    name: z.string().max(200).optional(),
  }),
  /** Browser mode: the projects in the served workspace (Electron uses native dialogs). */
  'workspace.list': z.object({}),

  /**
   * Imports the photo from its bytes (menu, file picker or drag and drop): stored as they are, with
   * a downscaled working copy when large or EXIF-turned. Progress arrives as 'image.progress';
   * 'image.cancel' stops it.
   */
  'image.import': z.object({ project, name: fileName, bytes }),
  'image.cancel': z.object({ project }),
  /** Imports a depth file (npy, 16-bit PNG, PFM) from its bytes. */
  'depth.import': z.object({
    project,
    name: fileName,
    bytes,
    /** The depth it replaces: its mapping is kept when it was a file of the same kind of values. */
    previous: Depth.nullable().optional(),
  }),
  /**
   * Estimates the photo's depth with the installed Depth Anything V2 model (engine/depth), stores it
   * as the project's depth asset and returns it with a disparity mapping that puts the median at 4
   * units (the CLI's default). Progress arrives as 'depth.progress'; 'depth.cancel' stops it.
   */
  'depth.estimate': z.object({ project, doc: ProjectDoc }),
  'depth.cancel': z.object({ project }),
  /** Installs a Depth Anything V2 model.onnx the user chose (its bytes) into the models folder, after checking it loads with the right inputs and outputs. */
  'depth.installModel': z.object({ name: fileName, bytes, size: z.enum(['small', 'base', 'large']).optional() }),
  /** Which depth models and SVD model folders are installed, and what to do when none is. */
  'models.status': z.object({}),
  /** Depth whose aspect differs from the photo's: resampled (stretched) onto the photo's grid, stored as a new depth asset. */
  'depth.fitToPhoto': z.object({ project, doc: ProjectDoc }),
  /** The photo centre-cropped to the depth's aspect and scaled to keep its width or height, intrinsics adjusted; stored as a new photo asset. */
  'image.cropToDepth': z.object({ project, doc: ProjectDoc }),
  /** The bundled sample project, copied into a fresh working folder (the committed sample is never written). */
  'project.openSample': z.object({}),
  /**
   * A new Untitled project from a video and one depth file per frame (engine/video-input), sent as
   * bytes: the engine reads no path the person did not choose. Frame 0 becomes the photo.
   */
  'project.newFromVideo': z.object({
    video: z.object({ name: fileName, bytes }),
    depth: z
      .array(z.object({ name: fileName, bytes }))
      .min(1)
      .max(LIMITS.videoFrames),
    /** z-depth per unit of a 16-bit depth PNG (default 0.001). */
    depthUnitScale: z.number().positive().finite().optional(),
  }),
  /** Small JPEG thumbnails of the source video's frames, `height` pixels high (the timeline shows them under the frame ticks). */
  'video.thumbnails': z.object({ project, doc: ProjectDoc, height: z.number().int().min(8).max(256) }),
  /** Reads a file of the current project's assets or renders, for display. */
  'asset.read': z.object({ project, file: z.string().min(1).max(1024) }),
  /** Where a project file (a render, its folder) is on disk; the Electron shell also shows it in the file manager. */
  'file.reveal': z.object({ project, file: z.string().min(1).max(1024) }),
  /** Depth data at display resolution for the 3D view (z-depth, row-major, NaN where invalid); `view`: a source view's (its id), else the photo's. */
  'depth.preview': z.object({
    project,
    doc: ProjectDoc,
    maxSide: z.number().int().min(16).max(4096),
    view: z.string().min(1).max(200).optional(),
  }),

  /** The warped view of one frame of the track, with its holes. */
  'warp.frame': z.object({
    project,
    doc: ProjectDoc,
    frame: z.number().int().min(0),
    maxSide: z.number().int().min(16).max(4096).optional(),
  }),

  /**
   * A camera track from a file's text: nerfstudio's camera_path.json (its first camera becomes the
   * source camera) or the studio's own track JSON. `doc` gives the photo's camera for the import.
   */
  'track.import': z.object({ name: fileName, text: z.string().max(50_000_000), doc: ProjectDoc }),
  /** The document's track as a file's text: nerfstudio's camera_path.json or the studio's own track JSON. */
  'track.export': z.object({ doc: ProjectDoc, format: z.enum(['nerfstudio', 'camtrack']) }),

  /** The closed-form default lambda table (and its v1, v2, v3) for steps x frames, or for a given triple. */
  'lambda.default': z.object({
    steps: z.number().int().min(LIMITS.steps.min).max(LIMITS.steps.max),
    frames: z.number().int().min(LIMITS.frames.min).max(LIMITS.frames.max),
    triple: z.tuple([z.number(), z.number(), z.number()]).optional(),
  }),

  /** Queues a render of the document (with per-job overrides such as the seed). */
  'render.enqueue': z.object({
    project,
    doc: ProjectDoc,
    label: z.string().max(200).optional(),
    overrides: JobOverrides.optional(),
  }),
  /** Each project folder has its own queue (its queue.json): queue calls name the project. */
  'render.cancel': z.object({ project, jobId: z.string().min(1) }),
  'render.restart': z.object({ project, jobId: z.string().min(1) }),
  'render.remove': z.object({ project, jobId: z.string().min(1) }),
  'render.reorder': z.object({ project, jobId: z.string().min(1), toIndex: z.number().int().min(0) }),
  'render.queue': z.object({ project }),
  /**
   * Exports a done render to another format, optionally at 24 or 30 fps by motion-compensated frame
   * interpolation (engine/transcode), beside it in renders/, without rendering again. Progress
   * arrives as 'export.progress'; 'render.exportCancel' stops it and leaves no file.
   */
  'render.export': z.object({
    project,
    jobId: z.string().min(1),
    format: z.enum(['mp4', 'webm', 'gif', 'png']),
    /** null: the render's own rate. */
    fps: z.number().positive().max(240).nullable(),
  }),
  'render.exportCancel': z.object({ project, jobId: z.string().min(1) }),
  /**
   * What opening the project's queue.json found and did, for the person to read (an unreadable
   * file kept aside, jobs left out, renders interrupted); `dismiss` clears them once shown.
   */
  'render.notices': z.object({ project, dismiss: z.boolean().optional() }),

  /** The render farm (BullMQ on Redis, a shared farm root): its settings as saved (the password hidden). */
  'farm.settings': z.object({}),
  /** Checks and saves the farm's Redis URL (redis:// or rediss://, with a password) and the farm root every machine mounts. */
  'farm.configure': z.object({ url: z.string().min(1).max(2048), root: path }),
  /** Sends a render of the document to the farm instead of this machine. */
  'farm.submit': z.object({
    project,
    doc: ProjectDoc,
    label: z.string().max(200).optional(),
    overrides: JobOverrides.optional(),
  }),
  /** The farm jobs this project sent (they then arrive as 'job.update' events like local ones). */
  'farm.jobs': z.object({ project }),
  'farm.cancel': z.object({ project, jobId: z.string().min(1) }),
  'farm.retry': z.object({ project, jobId: z.string().min(1) }),
  /** Copies a finished farm render (video, sidecar, thumbnail) from the farm root into the project's renders/. */
  'farm.download': z.object({ project, jobId: z.string().min(1) }),
} as const;

export type ApiMethod = keyof typeof apiInputs;
export type ApiInput<M extends ApiMethod> = z.input<(typeof apiInputs)[M]>;

export interface EstimatedDepth extends ImportedDepth {
  /** The model file that ran and the provider it ran on. */
  model: string;
  provider: string;
  timings: { loadMs: number; estimateMs: number; totalMs: number };
}

export interface ModelsStatus {
  /** The models folder ($CAMTRACK_MODELS_DIR, else ~/.camtrack/models). */
  dir: string;
  depth: { size: 'small' | 'base' | 'large'; installed: boolean; file: string }[];
  /** What to do while no depth model is installed (the CLI commands), else null. */
  depthHint: string | null;
  /** SVD model folders found in the models folder (usable ones only). */
  svd: { dir: string; name: string }[];
  /** The render model a new project gets: the first SVD folder, else the preview (no model). */
  defaultRenderModel: string;
}

export interface AppInfo {
  version: string;
  mode: 'electron' | 'browser';
  platform: string;
  providers: { available: string[]; chosen: string; reason?: string };
  ffmpeg: { path: string; source: string; version: string } | { error: string };
  /** Browser mode: the folder projects are opened from and saved to. */
  workspace?: string;
}

export interface ModelInfo {
  name: string;
  family: 'svd' | 'svd-xt' | 'draft' | 'preview';
  isDraft: boolean;
  /** The preview render kind: the photo warped into each frame, holes filled; no model runs. */
  isPreview: boolean;
  /** Frame counts the model renders natively ('any' for the draft model). */
  frameCounts: number[] | 'any';
  size: { width: number; height: number };
  dtype: string;
  /** The SVD conditioning the folder's model.json gives (what render settings left empty use). */
  conditioning?: { fps: number; motionBucketId: number; noiseAugStrength: number };
}

export interface OpenedProject {
  /** The project's working folder: every call about this project names it. */
  dir: string;
  /** The saved project folder, or null for a new project that was never saved. */
  path: string | null;
  doc: ProjectDoc;
  /** A newer autosave than the saved document, offered for recovery. */
  autosave?: { doc: ProjectDoc; savedAt: string };
}

export interface ImportedImage {
  image: NonNullable<ProjectDoc['image']>;
  /** Warnings worth showing (alpha flattened, EXIF rotated, 16-bit reduced...). */
  notes: string[];
}

export interface ImportedDepth {
  depth: NonNullable<ProjectDoc['depth']>;
  report: DepthReportView;
}

/** What a depth mapping made of a depth: counts, z in scene units, the plausibility check, notes. */
export interface DepthReportView {
  width: number;
  height: number;
  valid: number;
  invalid: number;
  /** z range and median after the mapping (the median is the scene's focus depth). */
  min: number;
  max: number;
  median: number;
  /** Range and median of the source's own values (the median is what "Flip depth / disparity" keeps in place). */
  rawMin: number;
  rawMax: number;
  rawMedian: number;
  /** Pixels per bin of log z between `lo` and `hi` (the panel's small histogram). */
  histogram: { lo: number; hi: number; counts: number[] };
  /** Implausible-scene findings, each naming its numbers (engine/depth/defaults.ts). */
  warnings: string[];
  notes: string[];
}

export interface WarpedFrame {
  frame: number;
  width: number;
  height: number;
  /** PNG of the warped view, holes black. */
  png: Uint8Array;
  /** PNG of the hole mask, white = hole. */
  maskPng: Uint8Array;
  holeFraction: number;
}

export interface DepthPreview {
  width: number;
  height: number;
  /** z-depth per pixel, NaN where the depth is invalid. */
  depth: Float32Array;
  /** The photo's intrinsics at this size. */
  fx: number;
  fy: number;
  cx: number;
  cy: number;
  /** What the mapping made of the depth (counts, z range, notes). */
  report?: DepthReportView;
}

export interface ImportedTrack {
  track: ProjectDoc['track'];
  /**
   * A nerfstudio path's first camera is the photo's camera: the photo with that camera, to store
   * with the track (absent for a Camtrack track file, or a project without a photo).
   */
  image?: NonNullable<ProjectDoc['image']>;
  /** What the import assumed or changed (render size, fps, dropped fields...). */
  notes: string[];
}

export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';

export interface JobView {
  /** The project's working folder whose queue holds the job (events from several projects share one stream). */
  project: string;
  id: string;
  label: string;
  createdAt: string;
  status: JobStatus;
  /** 0..1 */
  progress: number;
  stage?: string;
  /** While running: 'step 5 of 25' in the denoise stage. */
  detail?: string;
  /** While running a track in windows: the window being made (1-based) and their count. */
  window?: { index: number; count: number };
  seed: number;
  steps: number;
  frames: number;
  /** Relative to the project folder, readable with asset.read. */
  output?: string;
  sidecar?: string;
  thumbnail?: string;
  error?: ErrorInfo;
  /** The render kind: a preview (warp + fill, no model) or a model render. */
  preview?: boolean;
  /** What defines the picture (λ table and track hashes, size, model…), to show how two renders differ. Local jobs. */
  fingerprint?: RenderFingerprint;
  /** Where it renders: this machine's queue (absent) or the render farm. */
  where?: 'farm';
  /** Done: when it finished (the history lists the newest first). */
  finishedAt?: string;
  /** Done: the output's format and its size on disk (absent when not known). */
  format?: 'mp4' | 'webm' | 'gif' | 'png';
  bytes?: number;
  /** Done: whether a lossless master was kept, so exports lose nothing more. */
  master?: boolean;
  /** Done: exports made from the history card (file relative to the project folder). */
  exports?: {
    file: string;
    sidecar: string;
    format: 'mp4' | 'webm' | 'gif' | 'png';
    fps: number;
    frames: number;
    bytes: number;
    interpolated: boolean;
  }[];
  /** Farm jobs: the worker running it or that rendered it. */
  worker?: string | null;
  /** Farm jobs: the output's path on the farm root (output/sidecar/thumbnail are set once it is downloaded into the project). */
  farmOutput?: string;
}

export interface FarmSettingsView {
  configured: boolean;
  /** The Redis URL with its password hidden. */
  url: string | null;
  root: string | null;
  /** Workers seen now (name, host, provider, GPU). */
  workers: { name: string; host: string; provider: string; gpus: string[]; jobs: number }[];
}

export interface ApiOutputs {
  'app.info': AppInfo;
  'model.info': ModelInfo;
  'project.new': OpenedProject;
  'project.open': OpenedProject;
  'project.save': { path: string; dir: string };
  'project.autosave': { savedAt: string };
  'project.discardAutosave': { discarded: boolean };
  'project.resume': OpenedProject;
  'project.fromViews': OpenedProject;
  'project.recent': { projects: { path: string; name: string }[] };
  'workspace.list': { root: string; projects: { path: string; name: string; modifiedAt: string }[] };
  'image.import': ImportedImage;
  'image.cancel': { cancelled: boolean };
  'depth.import': ImportedDepth;
  'asset.read': { mime: string; bytes: Uint8Array };
  'depth.estimate': EstimatedDepth;
  'depth.cancel': { cancelled: boolean };
  'depth.installModel': { file: string; sha256: string };
  'models.status': ModelsStatus;
  'depth.fitToPhoto': ImportedDepth;
  'image.cropToDepth': ImportedImage;
  'project.openSample': OpenedProject;
  'project.newFromVideo': OpenedProject;
  'video.thumbnails': { width: number; height: number; frames: Uint8Array[] };
  'file.reveal': { path: string; revealed: boolean };
  'depth.preview': DepthPreview;
  'warp.frame': WarpedFrame;
  'track.import': ImportedTrack;
  'track.export': { fileName: string; mime: string; text: string };
  'lambda.default': { steps: number; frames: number; v1: number; v2: number; v3: number; values: number[] };
  'render.enqueue': JobView;
  'render.cancel': JobView;
  'render.restart': JobView;
  'render.remove': { removed: boolean };
  'render.reorder': JobView[];
  'render.queue': JobView[];
  'render.notices': { notices: string[] };
  'render.export': JobView;
  'render.exportCancel': { cancelled: boolean };
  'farm.settings': FarmSettingsView;
  'farm.configure': FarmSettingsView;
  'farm.submit': JobView;
  'farm.jobs': JobView[];
  'farm.cancel': JobView;
  'farm.retry': JobView;
  'farm.download': JobView;
}

export type ApiOutput<M extends ApiMethod> = ApiOutputs[M];

/** Events the engine pushes to the UI. */
export interface ApiEvents {
  /** A render job changed (progress, stage, status). */
  'job.update': JobView;
  /** A live preview of a running job: one small RGB image per frame (cheap latent projection). */
  'job.preview': { project: string; jobId: string; step: number; width: number; height: number; frames: Uint8Array[] };
  /** A running export's progress (0..1): 'encoding' while frames are read, interpolated and encoded. */
  'export.progress': {
    project: string;
    jobId: string;
    format: 'mp4' | 'webm' | 'gif' | 'png';
    fps: number | null;
    phase: 'encoding' | 'finishing' | 'done';
    fraction: number;
  };
  /** A running photo import's progress (0..1) and stage (engine/image/importPhoto.ts). */
  'image.progress': { project: string; stage: 'header' | 'decode' | 'store' | 'done'; fraction: number };
  /** A running depth estimation's progress (0..1) and stage. */
  'depth.progress': { project: string; stage: 'load' | 'estimate' | 'done'; fraction: number };
  /** The engine process died and was restarted (running renders are marked interrupted). */
  'engine.restarted': { reason: string };
  /** Menu commands from the native menu (Electron) reach the UI as events. */
  'menu.command': { command: MenuCommand; payload?: { name: string; bytes: Uint8Array } | { path: string } };
}
export type ApiEvent = keyof ApiEvents;

export type MenuCommand =
  | 'new'
  | 'newFromViews'
  | 'open'
  | 'openSample'
  | 'save'
  | 'saveAs'
  | 'importImage'
  | 'importDepth'
  | 'importVideo'
  | 'export'
  | 'undo'
  | 'redo'
  | 'openRecent'
  | 'shortcuts'
  | 'lambdaHelp'
  | 'about';

/** What every transport implements; the UI only ever talks to this. */
export interface EngineApi {
  call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>>;
  on<E extends ApiEvent>(event: E, listener: (data: ApiEvents[E]) => void): () => void;
}

/** Wire messages, the same on every transport. */
export type WireRequest = { type: 'call'; id: number; method: string; input: unknown };
export type WireResponse =
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: ErrorInfo };
export type WireEvent = { type: 'event'; event: string; data: unknown };
/** Main process only (never forwarded from a renderer): a path the user chose in a native dialog. */
export type WireGrant = { type: 'grant'; path: string };
export type WireMessage = WireRequest | WireResponse | WireEvent | WireGrant;

export function isApiMethod(m: unknown): m is ApiMethod {
  return typeof m === 'string' && Object.prototype.hasOwnProperty.call(apiInputs, m);
}

/** Validates a call's method and input; throws a readable message for anything else. */
export function parseCall(method: unknown, input: unknown): { method: ApiMethod; input: unknown } {
  if (!isApiMethod(method)) throw new Error(`Unknown API method: ${String(method).slice(0, 80)}`);
  const r = apiInputs[method].safeParse(input);
  if (!r.success) {
    const issues = r.error.issues.slice(0, 4).map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`);
    throw new Error(`Invalid input for ${method}: ${issues.join('; ')}`);
  }
  return { method, input: r.data };
}
