import { promises as fs } from 'node:fs';
import path from 'node:path';
import { availableParallelism } from 'node:os';
import type { FrameCamera } from '../camera/conventions';
import type { RgbImage } from '../image/types';
import { lambdaTableFromDoc } from '../lambda/doc';
import { sha256File } from '../models/hashing';
import { resolveModelRef } from '../models/modelFolder';
import type { ModelManifest } from '../models/manifest';
import type { MemoryPlan } from '../models/memory';
import { SvdPipeline } from '../models/svdPipeline';
import type { ProjectDoc } from '../project/schema';
import { guidedSample, latentPreview, makeHoleMasks, type LatentShape } from '../sampler';
import { RHO, SIGMA_MAX, SIGMA_MIN } from '../schedule/karras';
import { sigmasForSteps } from '../schedule/sigmas';
import { CamtrackError } from '../util/errors';
import {
  commitGroup,
  discardStaged,
  exportFrames,
  tempPathBeside,
  thumbnailPathFor,
  writeThumbnail,
  type StagedFile,
} from '../video';
import { fillWarpedFrame, isPreviewModel, PREVIEW_MODEL_RECORD, renderSizeError } from '../preview';
import { prepareSource, warpFrame, type WarpSource, type WarpedFrame } from '../warp/forward';
import { createWarpPool } from '../warp/pool';
import { anchorLambda, lambdaFloor } from '../sources/anchors';
import { loadSourceViews } from '../sources/inputs';
import { warpTrackFromViews } from '../sources/track';
import { videoSourceLoader, warpTrackFromVideo } from '../video-input';
import { prepareSources, warpFused } from '../sources/fuse';
import { loadRenderInputs } from './inputs';
import { applyRenderOverrides, type RenderOverrides } from './overrides';
import {
  DEFAULT_OVERLAP,
  filledDepth,
  renderWindowPlan,
  renderWindowedPreview,
  stitch,
  windowLambda,
  type FrameWindow,
} from '../windows';
import { stageSidecar, type RenderSidecar, type SidecarConditioning, type SidecarModel } from './sidecar';

/**
 * A whole render, project to video: the photo and depth on the render grid, the track's cameras,
 * every frame warped, the warped views VAE-encoded, NVS-Solver's guided sampler through the model
 * (the project's lambda table, lambda_min, seed and CFG ramp), decoding, the frames piped to
 * ffmpeg, then the sidecar beside the output. The video, thumbnail and sidecar are committed as
 * one group (video/commit.ts), so a failed, cancelled or crashed render leaves the previous pair
 * as it was, never a new video beside an old sidecar. `signal` is checked between stages, between sampler steps and
 * between decoder chunks, and kills ffmpeg during the export.
 */
export type RenderStage = 'load' | 'warp' | 'model' | 'encode' | 'denoise' | 'decode' | 'export' | 'sidecar';

/** A preview (model 'preview') runs load, warp (with the fill), export and sidecar: its own spans. */
const PREVIEW_SPAN: Partial<Record<RenderStage, [number, number]>> = {
  load: [0, 0.05],
  warp: [0.05, 0.6],
  export: [0.6, 0.99],
  sidecar: [0.99, 1],
};

export interface RenderProgress {
  stage: RenderStage;
  /** Denoising step just finished (1-based) and the step count, in the 'denoise' stage. */
  step?: number;
  steps?: number;
  /** 0..1 over the whole render. */
  fraction: number;
  /** A track rendered in windows (engine/windows): the window being made (1-based) and their count. */
  window?: number;
  windows?: number;
}

/** A live preview: one small RGB24 image per frame, the cheap latent projection of the current x0 estimate. */
export interface RenderPreview {
  step: number;
  steps: number;
  width: number;
  height: number;
  frames: Uint8Array[];
}

export interface RenderOptions {
  /** The project's working folder (its assets/ hold the photo and depth). */
  projectDir: string;
  doc: ProjectDoc;
  overrides?: RenderOverrides;
  /** The video file (mp4/webm/gif) or, for png, the folder of frames. */
  out: string;
  signal?: AbortSignal;
  onProgress?(p: RenderProgress): void;
  onPreview?(p: RenderPreview): void;
  /** Minimum time between previews (the last step always gets one); default 0. */
  previewIntervalMs?: number;
  /** Longest side of a preview frame: latent pixels are averaged in blocks to fit (default: one pixel per latent pixel). */
  previewMaxSide?: number;
  /** Also write a thumbnail (the middle frame) beside the output: `<out>.thumb.jpg`. */
  thumbnail?: boolean;
  /** Where the assets are when not in projectDir/assets (re-rendering from a sidecar). */
  assetsDir?: string;
  /** The sigma schedule, when not the Karras schedule of the step count (re-rendering from a sidecar). */
  sigmas?: Float32Array;
}

export interface StageTiming {
  stage: RenderStage;
  ms: number;
}

export interface RenderResult {
  out: string;
  sidecarPath: string;
  thumbnail: string | null;
  sidecar: RenderSidecar;
  /** What overrides changed beyond the plain values (a lambda table remade for other steps...). */
  notes: string[];
  timings: StageTiming[];
  /** The RGB24 frames as exported (frame-major), e.g. for comparisons. */
  frames: Uint8Array[];
}

/** Share of the whole render each stage stands for, for one progress bar (the sampler dominates). */
const STAGE_SPAN: Record<RenderStage, [number, number]> = {
  load: [0, 0.03],
  warp: [0.03, 0.1],
  model: [0.1, 0.13],
  encode: [0.13, 0.18],
  denoise: [0.18, 0.88],
  decode: [0.88, 0.94],
  export: [0.94, 0.99],
  sidecar: [0.99, 1],
};

/** Below this many target pixels in all (frames x width x height), frames warp on this thread: starting workers would cost more. */
const WARP_IN_THREAD_BELOW = 2_000_000;

/** The model folder a render setting names: 'draft' is the built-in model; a relative path is taken from the working directory. */
export function modelDirFor(model: string): string {
  return resolveModelRef(model);
}

function throwIfAborted(signal: AbortSignal | undefined, stage: RenderStage): void {
  if (signal?.aborted) throw new CamtrackError('cancelled', `The render was cancelled (${stage}).`);
}

/** Float RGB [0,1] -> RGB24, rounding to nearest. */
export function toRgb24(img: RgbImage): Uint8Array {
  const out = new Uint8Array(img.width * img.height * 3);
  const d = img.data;
  for (let i = 0; i < out.length; i++) {
    const v = d[i];
    out[i] = v <= 0 ? 0 : v >= 1 ? 255 : Math.round(v * 255);
  }
  return out;
}

/** Every frame warped; with `fill` (the preview) each frame's holes are filled as well, in the same worker. */
async function warpAll(
  source: Parameters<typeof prepareSource>[0],
  cameras: FrameCamera[],
  onFrame: () => void,
  signal?: AbortSignal,
  fill = false,
): Promise<WarpedFrame[]> {
  const { width, height } = source.image;
  if (cameras.length * width * height < WARP_IN_THREAD_BELOW) {
    const prepared = prepareSource(source);
    return cameras.map((c) => {
      const f = fill ? fillWarpedFrame(warpFrame(prepared, c, { withDepth: true })) : warpFrame(prepared, c);
      onFrame();
      return f;
    });
  }
  const pool = createWarpPool(Math.min(cameras.length, availableParallelism()));
  // A cancel stops the warp at once: the workers are terminated and the frames in flight dropped.
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new CamtrackError('cancelled', 'The render was cancelled (warp).'));
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return (await Promise.race([pool.warpFrames(source, cameras, { fill }, () => onFrame()), aborted])).frames;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await pool.close();
  }
}

/**
 * Model folders whose files were hashed by this process, by a stamp of their files' sizes and
 * modification times: a real model is gigabytes, so a queue of renders hashes it once, and again
 * only when a file changed.
 */
const verifiedModels = new Map<string, string>();

async function modelFilesStamp(dir: string): Promise<string> {
  const names = await fs.readdir(dir, { recursive: true }).catch(() => [] as string[]);
  const parts: string[] = [];
  for (const n of names.sort()) {
    const st = await fs.stat(path.join(dir, n)).catch(() => null);
    if (st?.isFile()) parts.push(`${n}:${st.size}:${st.mtimeMs}`);
  }
  return parts.join('|');
}

async function modelRecord(dir: string, location: string, manifest: SvdPipeline['manifest']): Promise<SidecarModel> {
  const files: SidecarModel['files'] = [];
  for (const c of ['image_encoder', 'vae_encoder', 'unet', 'vae_decoder'] as const) {
    const comp = manifest.components[c];
    for (const e of [comp, ...comp.externalData]) {
      // The folder was verified against these hashes when it was opened; hash files the manifest leaves unhashed.
      const sha256 = e.sha256 ?? (await sha256File(path.join(dir, e.file)));
      files.push(e.bytes === undefined ? { file: e.file, sha256 } : { file: e.file, sha256, bytes: e.bytes });
    }
  }
  return { name: manifest.name, family: manifest.family, dtype: manifest.dtype, location, files };
}

/** The conditioning values a render uses: the settings' overrides, else the model folder's. */
export function resolveConditioning(
  model: ModelManifest['conditioning'],
  settings: Pick<ProjectDoc['render'], 'conditioningFps' | 'motionBucketId' | 'noiseAugStrength'>,
): SidecarConditioning {
  return {
    fps: settings.conditioningFps ?? model.fps,
    motionBucketId: settings.motionBucketId ?? model.motionBucketId,
    noiseAugStrength: settings.noiseAugStrength ?? model.noiseAugStrength,
    from: {
      fps: settings.conditioningFps === null ? 'model' : 'settings',
      motionBucketId: settings.motionBucketId === null ? 'model' : 'settings',
      noiseAugStrength: settings.noiseAugStrength === null ? 'model' : 'settings',
    },
  };
}

export async function renderProject(opts: RenderOptions): Promise<RenderResult> {
  const { signal } = opts;
  const { doc, notes } = applyRenderOverrides(opts.doc, opts.overrides);
  // A model folder is relative to the project; the sidecar records it absolute, so it re-renders from anywhere.
  if (doc.render.model !== 'draft' && !isPreviewModel(doc.render.model))
    doc.render = { ...doc.render, model: resolveModelRef(doc.render.model, opts.projectDir) };
  let settings = doc.render;
  const F = doc.track.numFrames;
  const steps = settings.steps;
  const preview = isPreviewModel(settings.model);
  const sigmas = opts.sigmas ?? sigmasForSteps(steps);
  if (sigmas.length !== steps + 1)
    throw new CamtrackError(
      'shape-mismatch',
      `The sigma schedule has ${sigmas.length - 1} steps, the render ${steps}.`,
    );
  // The table must fit a model render exactly: a mismatch is refused here, before anything heavy runs (a preview does not use it).
  const lambda = preview ? null : lambdaTableFromDoc(doc.lambda, { steps, frames: F });
  // Every model folder's contract has sizes in multiples of 64 (manifest.sizeMultiple); a preview any even size: refuse early too.
  const sizeError = renderSizeError(settings.model, settings.width, settings.height);
  if (sizeError) throw new CamtrackError('bad-input', sizeError);
  const timings: StageTiming[] = [];
  let stageStart = performance.now();
  const progress = (stage: RenderStage, within: number, extra: Partial<RenderProgress> = {}) => {
    const [a, b] = (preview ? PREVIEW_SPAN[stage] : undefined) ?? STAGE_SPAN[stage];
    opts.onProgress?.({ stage, fraction: a + (b - a) * Math.min(1, Math.max(0, within)), ...extra });
  };
  const endStage = (stage: RenderStage) => {
    const now = performance.now();
    timings.push({ stage, ms: now - stageStart });
    stageStart = now;
  };

  throwIfAborted(signal, 'load');
  progress('load', 0);
  const inputs = await loadRenderInputs(opts.projectDir, doc, opts.assetsDir ?? null);
  endStage('load');
  throwIfAborted(signal, 'load');

  // Further source views (sparse views): every frame warped from all of them with one z-buffer.
  const views = await loadSourceViews(opts.projectDir, doc, opts.assetsDir ?? null);
  // A source video (dynamic scene): frame k is warped from video frame k (engine/video-input).
  const video = videoSourceLoader(opts.projectDir, doc, opts.assetsDir ?? null);
  if (video && views.length > 0)
    throw new CamtrackError(
      'bad-input',
      'A video project renders from its video; this one also has further source views. Turn the views off.',
    );
  throwIfAborted(signal, 'load');
  progress('warp', 0);
  let warpedCount = 0;
  const photo = { image: inputs.image, depth: inputs.depth, intrinsics: inputs.intrinsics, c2w: inputs.cameras[0].c2w };
  const onWarped = () => progress('warp', ++warpedCount / F);
  let warped: WarpedFrame[] = [];
  let anchors: number[] = [];
  // A preview longer than its window (settings.windowFrames) is made window by window, each from the previous one's last frame.
  // A video preview needs no windows: every frame is warped from its own source frame.
  const previewPlan = preview && !video ? renderWindowPlan(F, settings, 'any') : null;
  const overlap = settings.windowOverlap ?? DEFAULT_OVERLAP;
  let windows: FrameWindow[] | null = null;
  let windowedFrames: Float32Array[] | null = null;
  if (previewPlan) {
    if (views.length > 0)
      throw new CamtrackError(
        'bad-input',
        'A windowed preview (render.windowFrames) renders from one photo; this project has further source views. Remove render.windowFrames or the views.',
      );
    windows = previewPlan;
    windowedFrames = renderWindowedPreview(photo, inputs.cameras, windows, {
      signal,
      onFrame: (k, n) =>
        progress('warp', ++warpedCount / windows!.reduce((a, w) => a + w.end - w.start, 0), { window: k, windows: n }),
    });
  } else if (video) {
    warped = await warpTrackFromVideo(video, inputs.cameras, {
      sourcePose: photo.c2w,
      fill: preview,
      onFrame: onWarped,
      signal,
    });
  } else if (views.length > 0) {
    ({ frames: warped, anchors } = warpTrackFromViews(
      photo,
      views.map((v) => v.source),
      inputs.cameras,
      { fill: preview, onFrame: onWarped, signal },
    ));
  } else {
    warped = await warpAll(photo, inputs.cameras, onWarped, signal, preview);
  }
  const lambdaMin = lambdaFloor(doc.lambda.lambdaMin, views.length);
  endStage('warp');
  throwIfAborted(signal, 'warp');

  let frames: Uint8Array[];
  let model: SidecarModel;
  // What the model was conditioned on and how the render fitted memory (absent for a preview).
  let conditioning: SidecarConditioning | undefined;
  let memory: MemoryPlan | undefined;
  let used: RenderSidecar['executionProvider'];
  if (preview) {
    // No model: the filled warps are the frames. The sidecar says so (model family 'preview').
    frames = windowedFrames
      ? windowedFrames.map((data) => toRgb24({ width: settings.width, height: settings.height, data }))
      : warped.map((w) => toRgb24({ width: w.width, height: w.height, data: w.image }));
    model = { ...PREVIEW_MODEL_RECORD, files: [] };
    used = { requested: settings.executionProvider, used: 'cpu', fallbackReason: null };
    opts.onPreview?.({
      step: 1,
      steps: 1,
      ...previewThumbs(frames, settings.width, settings.height, opts.previewMaxSide),
    });
  } else {
    ({ frames, model, used } = await runModel());
  }

  async function runModel(): Promise<{
    frames: Uint8Array[];
    model: SidecarModel;
    used: RenderSidecar['executionProvider'];
  }> {
    progress('model', 0);
    const modelDir = modelDirFor(settings.model);
    const stamp = await modelFilesStamp(modelDir);
    const pipeline = await SvdPipeline.open(modelDir, {
      provider: settings.executionProvider,
      hashes: verifiedModels.get(modelDir) !== stamp,
    });
    verifiedModels.set(modelDir, stamp);
    let frames: Uint8Array[];
    let model: SidecarModel;
    try {
      model = await modelRecord(modelDir, settings.model, pipeline.manifest);
      if (pipeline.manifest.family === 'draft' && (settings.guidanceMin !== 1 || settings.guidanceMax !== 1)) {
        // The draft UNet's unconditional pass sees no image, so guidance g would render the photo g
        // times brighter: a preview renders at guidance 1, and the sidecar records what was used.
        notes.push(
          `The draft model renders at guidance 1 (the project asks ${settings.guidanceMin} to ${settings.guidanceMax}, which only a real SVD model uses).`,
        );
        settings = { ...settings, guidanceMin: 1, guidanceMax: 1 };
      }
      const lat = pipeline.latentSize(settings.width, settings.height);
      const fc = pipeline.manifest.frameCounts;
      // Tracks longer than the model (engine/windows): windows of the model's largest count, or of render.windowFrames.
      const plan = renderWindowPlan(F, settings, fc) ?? [{ start: 0, end: F }];
      if (plan.length > 1 && views.length > 0)
        throw new CamtrackError(
          'bad-input',
          'A track longer than the model renders from one photo; this project has further source views. Shorten the track or remove the views.',
        );
      const W = plan[0].end - plan[0].start;
      if (fc !== 'any' && !fc.includes(W))
        throw new CamtrackError(
          'bad-input',
          `This model (${pipeline.manifest.name}) makes ${fc.join(' or ')} frames; the track has ${F}${plan.length > 1 ? ` (windows of ${W})` : ''}.`,
        );
      const shape: LatentShape = { frames: W, channels: 4, height: lat.height, width: lat.width };
      endStage('model');
      throwIfAborted(signal, 'model');

      progress('encode', 0);
      // SVD's conditioning comes from the model folder unless the settings override it; never
      // from the export frame rate (SVD-XT is told fps 7 whatever the video plays at).
      conditioning = resolveConditioning(pipeline.manifest.conditioning, settings);
      memory = await pipeline.memoryPlan(shape, {
        cfgMode: settings.cfgMode,
        maxGuidance: settings.guidanceMax,
        decodeChunk: settings.decodeChunk,
      });
      if (memory.decodeChunk < Math.min(settings.decodeChunk, W))
        notes.push(
          `Decoding ${memory.decodeChunk} frames at a time (the settings ask ${settings.decodeChunk}): the provider has ${((memory.freeBytes ?? 0) / 2 ** 30).toFixed(1)} GB free.`,
        );
      if (memory.cfgTwoPass && settings.cfgMode === 'auto') notes.push(`Guidance runs as ${memory.cfgReason}.`);
      const perWindow: Float32Array[][] = [];
      // Window 1 starts from the photo; each later one from the previous window's last decoded frame and its warped depth.
      let windowSource: WarpSource = photo;
      for (let k = 0; k < plan.length; k++) {
        const win = plan[k];
        const tag = plan.length > 1 ? { window: k + 1, windows: plan.length } : {};
        // Progress: with windows, each window takes its share of the encode..decode span, so the fraction only rises.
        const wprog = (stage: RenderStage, within: number, extra: Partial<RenderProgress> = {}) => {
          if (plan.length === 1) return progress(stage, within, extra);
          const [a, b] = STAGE_SPAN[stage];
          const lo = STAGE_SPAN.encode[0],
            hi = STAGE_SPAN.decode[1];
          const local = (a + (b - a) * Math.min(1, Math.max(0, within)) - lo) / (hi - lo);
          opts.onProgress?.({ stage, fraction: lo + ((hi - lo) * (k + local)) / plan.length, ...extra, ...tag });
        };
        let winWarped: WarpedFrame[];
        // The sampler keeps a window's frame 0 as its conditioning image, so a later window is
        // conditioned on the frame the previous window generated AT this window's first frame (its
        // camera): the last frame of the previous window would stand at a camera (overlap - 1) frames on.
        const startCam = inputs.cameras[win.start];
        const startImage: RgbImage | null =
          k === 0
            ? null
            : { width: settings.width, height: settings.height, data: perWindow[k - 1][win.start - plan[k - 1].start] };
        if (k === 0 || !startImage) winWarped = warped.slice(win.start, win.end);
        else if (video) {
          // Dynamic scene: the frames keep their warps from their own video frames (the scene goes on
          // moving); the window is conditioned on the previous window's generated frame at its start.
          windowSource = {
            image: startImage,
            depth: new Float32Array(settings.width * settings.height),
            intrinsics: startCam.intrinsics,
            c2w: startCam.c2w,
          };
          winWarped = warped.slice(win.start, win.end);
        } else {
          // Window 2 onwards warps from the previous window's source and the photo with one z-buffer (as the windowed preview does).
          const previous = k === 1 ? prepareSource(windowSource) : null;
          const depthAtStart = filledDepth(
            previous
              ? warpFrame(previous, startCam, { withDepth: true })
              : warpFused(prepareSources([photo, windowSource]), startCam, { withDepth: true }),
          );
          windowSource = { image: startImage, depth: depthAtStart, intrinsics: startCam.intrinsics, c2w: startCam.c2w };
          // That frame and the photo, one z-buffer: surfaces lean on the nearer camera, so the photo returns as the camera does.
          const fused = prepareSources([photo, windowSource]);
          winWarped = inputs.cameras.slice(win.start, win.end).map((c) => warpFused(fused, c));
        }
        const cond = await pipeline.conditioning(windowSource.image, settings.seed, {
          noiseAugStrength: conditioning.noiseAugStrength,
        });
        wprog('encode', 0.3);
        const encoded = await pipeline.encodeViews(
          winWarped.map((w) => ({ width: w.width, height: w.height, data: w.image })),
        );
        const holes = new Uint8Array(W * lat.height * lat.width);
        // An anchored frame (at a source camera) takes its warped view whole: no holes, lambda 1.
        winWarped.forEach((w, f) => {
          if (!anchors.includes(f)) holes.set(w.latentHoles, f * lat.height * lat.width);
        });
        if (k === plan.length - 1) endStage('encode');
        throwIfAborted(signal, 'encode');

        wprog('denoise', 0, { step: 0, steps });
        const denoise = pipeline.denoiser(cond, shape, {
          minGuidance: settings.guidanceMin,
          maxGuidance: settings.guidanceMax,
          fps: conditioning.fps,
          motionBucketId: conditioning.motionBucketId,
          noiseAugStrength: conditioning.noiseAugStrength,
          cfgTwoPass: memory.cfgTwoPass,
        });
        let lastPreview = -Infinity;
        const previewStride = Math.max(
          1,
          Math.ceil(Math.max(lat.width, lat.height) / (opts.previewMaxSide ?? Infinity)),
        );
        const interval = opts.previewIntervalMs ?? 0;
        // The window's own columns of the track's lambda table (overlap columns serve both windows: engine/windows/lambda.ts).
        const winLambda = plan.length === 1 ? lambda! : windowLambda(lambda!, win);
        const latents = await guidedSample({
          sigmas,
          lambda: anchorLambda(winLambda, anchors),
          lambdaMin,
          shape,
          sourceLatent: cond.sourceLatent,
          warpedLatents: encoded,
          holes: makeHoleMasks(W, lat.height, lat.width, holes),
          start: { seed: settings.seed },
          denoise,
          signal,
          onStep: (s) => {
            wprog('denoise', (s.step + 1) / s.steps, { step: s.step + 1, steps: s.steps });
            const now = performance.now();
            if (opts.onPreview && (now - lastPreview >= interval || s.step + 1 === s.steps)) {
              lastPreview = now;
              const previews = latentPreview(s.denoised, shape, previewStride);
              opts.onPreview({
                step: s.step + 1,
                steps: s.steps,
                width: previews[0].width,
                height: previews[0].height,
                frames: previews.map((p) => p.data),
              });
            }
          },
        });
        if (k === plan.length - 1) endStage('denoise');

        wprog('decode', 0);
        const decoded = await pipeline.decode(
          latents,
          shape,
          memory.decodeChunk,
          (done, total) => wprog('decode', done / total),
          signal,
        );
        perWindow.push(decoded.map((d) => d.data));
      }
      if (plan.length > 1) windows = plan;
      frames = stitch(plan, perWindow).map((data) => toRgb24({ width: settings.width, height: settings.height, data }));
      endStage('decode');
    } finally {
      await pipeline.release();
    }
    throwIfAborted(signal, 'decode');
    return {
      frames,
      model,
      used: {
        requested: settings.executionProvider,
        used: pipeline.model.provider,
        fallbackReason: pipeline.model.fallbackReason,
      },
    };
  }

  progress('export', 0);
  const { width, height } = settings;
  // Video, thumbnail, lambda table file and sidecar are written to temporaries and committed as
  // one group (video/commit.ts): a failure, a cancel or a crash leaves the old set or the new one.
  const staged: StagedFile[] = [];
  let committed = false;
  try {
    const exported = await exportFrames({
      format: settings.format,
      width,
      height,
      fps: doc.track.fps,
      crf: settings.format === 'mp4' || settings.format === 'webm' ? settings.crf : undefined,
      frames,
      count: F,
      out: opts.out,
      signal,
      stage: true,
      onProgress: (p) => progress('export', p.fraction),
    });
    staged.push({ tmp: exported.staged!, target: exported.out });
    endStage('export');

    let thumbnail: string | null = null;
    if (opts.thumbnail) {
      const mid = frames[Math.floor(F / 2)];
      thumbnail = thumbnailPathFor(exported.out);
      const tmp = tempPathBeside(thumbnail);
      staged.push({ tmp, target: thumbnail });
      await writeThumbnail({ rgb: mid, width, height, out: tmp });
    }
    const sidecarStart = performance.now();
    const written = await stageSidecar(exported.out, {
      createdAt: new Date().toISOString(),
      output: {
        format: settings.format,
        width: exported.width,
        height: exported.height,
        frames: exported.frames,
        fps: doc.track.fps,
        crf: settings.format === 'mp4' || settings.format === 'webm' ? settings.crf : null,
        bytes: exported.bytes,
      },
      source: doc.image!,
      depth: doc.depth!,
      ...(doc.sources.length > 0 && { sources: doc.sources, anchors: { frames: anchors, lambdaFloor: lambdaMin } }),
      ...(doc.video && { video: doc.video }),
      camera: { track: doc.track, evaluatedFrames: F, poses: inputs.cameras.map((c) => [...c.c2w]) },
      schedule: {
        kind: 'karras',
        steps,
        sigmaMin: SIGMA_MIN,
        sigmaMax: SIGMA_MAX,
        rho: RHO,
        sigmas: Array.from(sigmas),
      },
      lambda: {
        steps,
        frames: F,
        values: doc.lambda.values,
        lambdaMin: doc.lambda.lambdaMin,
        preset: doc.lambda.preset,
      },
      settings,
      ...(conditioning && { conditioning }),
      ...(memory && {
        memory: {
          cfgTwoPass: memory.cfgTwoPass,
          cfgReason: memory.cfgReason,
          decodeChunk: memory.decodeChunk,
          freeBytes: memory.freeBytes,
        },
      }),
      model,
      executionProvider: used,
      ...(preview && { renderKind: 'preview' as const }),
      ...(windows && { windows: { overlap, list: windows } }),
      timings: [...timings, { stage: 'sidecar', ms: performance.now() - sidecarStart }],
      projectDir: path.resolve(opts.projectDir),
    });
    // The table file first, then the video and thumbnail, the sidecar last.
    staged.unshift(...written.staged.filter((f) => f.target !== written.path));
    staged.push(...written.staged.filter((f) => f.target === written.path));
    throwIfAborted(signal, 'sidecar');
    await commitGroup(staged);
    committed = true;
    timings.push({ stage: 'sidecar', ms: performance.now() - sidecarStart });
    progress('sidecar', 1);
    return {
      out: exported.out,
      sidecarPath: written.path,
      thumbnail,
      sidecar: written.sidecar,
      notes,
      timings,
      frames,
    };
  } finally {
    if (!committed) await discardStaged(staged);
  }
}

/** Small RGB24 thumbnails of finished frames (nearest pixel), for the queue's live preview. */
function previewThumbs(
  frames: Uint8Array[],
  width: number,
  height: number,
  maxSide = Infinity,
): { width: number; height: number; frames: Uint8Array[] } {
  const stride = Math.max(1, Math.ceil(Math.max(width, height) / maxSide));
  const w = Math.ceil(width / stride),
    h = Math.ceil(height / stride);
  return {
    width: w,
    height: h,
    frames: frames.map((f) => {
      const out = new Uint8Array(w * h * 3);
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
          const s = (y * stride * width + x * stride) * 3,
            d = (y * w + x) * 3;
          out[d] = f[s];
          out[d + 1] = f[s + 1];
          out[d + 2] = f[s + 2];
        }
      return out;
    }),
  };
}
