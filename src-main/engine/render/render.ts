import type { FrameCamera } from '../geometry/conventions';
import type { GuidanceSettings } from '../models/svdPipeline';
import { anchorLambda } from '../sources/anchors';
import { commitGroup, discardStaged, type StagedFile } from '../video';
import { windowLambda } from '../windows';
import { StageClock, throwIfAborted } from './clock';
import { previewThumbs, toRgb24 } from './frames';
import { stageSidecar } from './sidecar';
import { checkInputs, type RenderJob } from './stages/check';
import { conditionWindow } from './stages/condition';
import { decodeWindow } from './stages/decode';
import { exportVideo, stageThumbnail } from './stages/export';
import { loadScene } from './stages/load';
import { openRenderModel } from './stages/model';
import { planRender, type RenderPlan } from './stages/plan';
import { sampleWindow, stepReporter, windowHoles } from './stages/sample';
import { describeRender, previewMadeBy, type MadeBy } from './stages/sidecar';
import type { WarpedTrack, WarpScene } from './stages/warp';
import { windowByWindow, windowWarper, type WindowWarp } from './stages/windows';
import type { RenderOptions, RenderResult } from './types';

export type { RenderOptions, RenderPreview, RenderProgress, RenderResult, RenderStage, StageTiming } from './types';
export { modelDirFor, resolveConditioning } from './stages/plan';
export { toRgb24 } from './frames';

/** The frames a render made (RGB24, frame-major), what made them, and what the making changed from the settings. */
interface Made {
  frames: Uint8Array[];
  madeBy: MadeBy;
  notes: string[];
}

/**
 * A whole render, project to video, as the stages it is (render/stages/, each a function that
 * takes what it needs and returns what it makes). The video, thumbnail and sidecar are committed
 * as one group (video/commit.ts), so a failed, cancelled or crashed render leaves the previous set
 * as it was. `signal` is checked between stages, sampler steps and decoder chunks, and kills ffmpeg.
 */
export async function renderProject(opts: RenderOptions): Promise<RenderResult> {
  // 1. Check inputs: overrides, schedule, lambda table and size, refused before a file is read.
  const job = checkInputs(opts);
  const clock = new StageClock(job.kind, opts.onProgress, opts.signal);
  // 2. Load the photo and depth on the render grid, the track's cameras, the source views or video.
  clock.progress('load', 0);
  const { inputs, scene } = await clock.time('load', () => loadScene(opts.projectDir, job.doc, opts.assetsDir ?? null));
  // 3. Plan the settings as rendered, the sizes and the windows (a model render reads its manifest).
  const plan = await planRender(job, scene, inputs.cameras);
  // 4. Warp the first window's views (a later window's are warped from what the one before made).
  const warp = windowWarper(plan, scene, inputs.cameras, clock, opts.signal);
  clock.progress('warp', 0);
  const first = await warp(0);
  // 5. to 7. Window by window: condition, sample, decode; a preview's frames are its filled warps.
  const made =
    plan.kind === 'preview'
      ? await previewFrames(plan, scene, first, warp, opts)
      : await modelFrames(job, plan, scene, first, warp, clock, opts);
  // 8. Export and 9. sidecar, committed together.
  return exportAndRecord(job, plan, inputs.cameras, first, made, clock, opts);
}

/** A preview's frames: every window's warps with their holes filled, stitched. */
async function previewFrames(
  plan: RenderPlan,
  scene: WarpScene,
  first: WarpedTrack,
  warp: WindowWarp,
  opts: RenderOptions,
): Promise<Made> {
  const { settings } = plan;
  const made = await windowByWindow(plan.windows, scene.photo.image, first, warp, async (_, w) =>
    w.frames.map((f) => f.image),
  );
  const frames = made.map((data) => toRgb24({ width: settings.width, height: settings.height, data }));
  opts.onPreview?.({
    step: 1,
    steps: 1,
    ...previewThumbs(frames, settings.width, settings.height, opts.previewMaxSide),
  });
  return { frames, madeBy: previewMadeBy(settings), notes: [] };
}

/** Stages 5 to 7 through the model, window by window; the model is opened (and released) around them. */
async function modelFrames(
  job: RenderJob,
  plan: Extract<RenderPlan, { kind: 'model' }>,
  scene: WarpScene,
  first: WarpedTrack,
  warp: WindowWarp,
  clock: StageClock,
  opts: RenderOptions,
): Promise<Made> {
  const { settings, windows, shape, conditioning: c } = plan;
  const { signal } = opts;
  clock.progress('model', 0);
  const model = await clock.time('model', () => openRenderModel(plan));
  const { pipeline, memory } = model;
  const guidance: GuidanceSettings = {
    minGuidance: settings.guidanceMin,
    maxGuidance: settings.guidanceMax,
    fps: c.fps,
    motionBucketId: c.motionBucketId,
    noiseAugStrength: c.noiseAugStrength,
    cfgTwoPass: memory.cfgTwoPass,
  };
  const live = { onPreview: opts.onPreview, intervalMs: opts.previewIntervalMs, maxSide: opts.previewMaxSide };
  try {
    clock.progress('encode', 0);
    const { fidelity } = settings;
    const made = await windowByWindow(windows, scene.photo.image, first, warp, async (k, w, image) => {
      const progress = clock.forWindow(k, windows.length);
      const views = w.frames.map((f) => ({ width: f.width, height: f.height, data: f.image }));
      // Each window draws its own initial and augmentation noise.
      const seed = plan.seeds[k];
      const conditioned = await clock.time('encode', () =>
        conditionWindow(pipeline, { image, views, seed, noiseAugStrength: c.noiseAugStrength, fidelity, progress }),
      );
      progress('denoise', 0, { step: 0, steps: job.steps });
      // The window's own columns of the track's lambda table (overlap columns serve both windows: engine/windows/lambda.ts).
      const lambda = windows.length === 1 ? plan.lambda : windowLambda(plan.lambda, windows[k]);
      const latents = await clock.time('denoise', () =>
        sampleWindow(pipeline, conditioned, {
          shape,
          sigmas: job.sigmas,
          lambda: anchorLambda(lambda, w.anchors),
          lambdaMin: plan.lambdaMin,
          holes: windowHoles(w.frames, w.anchors, shape),
          seed,
          guidance,
          ...(plan.reference && { reference: plan.reference }),
          onStep: stepReporter(shape, progress, live),
          signal,
        }),
      );
      const decoded = await clock.time('decode', () =>
        decodeWindow(pipeline, latents, { shape, chunk: memory.decodeChunk, progress, signal }),
      );
      return decoded.map((d) => d.data);
    });
    const frames = made.map((data) => toRgb24({ width: settings.width, height: settings.height, data }));
    return { frames, madeBy: model, notes: model.notes };
  } finally {
    await model.release();
  }
}

/**
 * Stages 8 and 9: the video, thumbnail, lambda table file and sidecar written to temporaries and
 * committed as one group: a failure, a cancel or a crash leaves the old set or the new one.
 */
async function exportAndRecord(
  job: RenderJob,
  plan: RenderPlan,
  cameras: readonly FrameCamera[],
  first: WarpedTrack,
  made: Made,
  clock: StageClock,
  opts: RenderOptions,
): Promise<RenderResult> {
  const { settings } = plan;
  const { frames, madeBy } = made;
  const staged: StagedFile[] = [];
  let committed = false;
  try {
    clock.progress('export', 0);
    const { video, staged: videoFile } = await clock.time('export', () =>
      exportVideo({
        settings,
        fps: job.doc.track.fps,
        frames,
        out: opts.out,
        signal: opts.signal,
        progress: clock.progress,
      }),
    );
    staged.push(videoFile);
    const thumbnail = opts.thumbnail ? await stageThumbnail(video.out, frames, settings) : null;
    if (thumbnail) staged.push(thumbnail);
    const written = await clock.time('sidecar', async () => {
      const start = performance.now();
      const timings = [...clock.timings, { stage: 'sidecar' as const, ms: performance.now() - start }];
      const record = describeRender({
        job,
        plan,
        cameras,
        video,
        anchors: first.anchors,
        madeBy,
        timings,
        projectDir: opts.projectDir,
      });
      const sidecar = await stageSidecar(video.out, record);
      // The table file first, then the video and thumbnail, the sidecar last.
      staged.unshift(...sidecar.staged.filter((f) => f.target !== sidecar.path));
      staged.push(...sidecar.staged.filter((f) => f.target === sidecar.path));
      throwIfAborted(opts.signal, 'sidecar');
      await commitGroup(staged);
      committed = true;
      return sidecar;
    });
    clock.progress('sidecar', 1);
    return {
      out: video.out,
      sidecarPath: written.path,
      thumbnail: thumbnail?.target ?? null,
      sidecar: written.sidecar,
      notes: [...job.notes, ...plan.notes, ...made.notes],
      timings: clock.timings,
      frames,
    };
  } finally {
    if (!committed) await discardStaged(staged);
  }
}
