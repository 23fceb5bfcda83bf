import type { FrameCamera } from '../../geometry/conventions';
import { lambdaTableFromDoc } from '../../lambda/doc';
import type { LambdaTable } from '../../lambda/table';
import { latentSizeFor, type ModelManifest } from '../../models/manifest';
import { readManifest, resolveModelRef } from '../../models/modelFolder';
import type { LambdaDoc, RenderSettings } from '../../project/schema';
import type { LatentShape, ReferenceRule } from '../../sampler';
import { lambdaFloor } from '../../sources/anchors';
import { CamtrackError } from '../../util/errors';
import { DEFAULT_OVERLAP, renderWindowPlan, windowSeeds, type FrameWindow } from '../../windows';
import { referenceTwoViewTable } from '../referenceWarp';
import type { SidecarConditioning } from '../sidecar';
import type { RenderJob } from './check';
import { referencePipelineFor, type WarpScene } from './warp';

interface PlanCommon {
  /** The settings as rendered (the draft model renders at guidance 1). */
  settings: RenderSettings;
  /** The windows the track is made in (engine/windows); one window [0, frames) when it is made in one piece. */
  windows: FrameWindow[];
  /** The overlap of the windows, as the sidecar records it. */
  overlap: number;
  /** lambda_min as sampled: the project's, raised when further source views are enabled. */
  lambdaMin: number;
  /** What the plan changed from the settings, for the user. */
  notes: string[];
}

export type RenderPlan =
  | (PlanCommon & { kind: 'preview' })
  | (PlanCommon & {
      kind: 'model';
      /** The model folder and its manifest, read (not yet opened) to plan with. */
      modelDir: string;
      manifest: ModelManifest;
      /** The latent shape of one window. */
      shape: LatentShape;
      /** The lambda table as sampled, and as the sidecar records it (the project's, or the reference's two-view table). */
      lambda: LambdaTable;
      lambdaDoc: LambdaDoc;
      /** Each window's seed, for its initial noise and its augmentation noise (window 0 keeps the render seed). */
      seeds: readonly number[];
      /** Reference fidelity: the reference's DGS rule (its latents, frame 0 and step); null for the studio's guidance. */
      reference: ReferenceRule | null;
      /** What the model is conditioned on: the settings' values, else the model folder's. */
      conditioning: SidecarConditioning;
    });

/** The model folder a render setting names: 'draft' is the built-in model; a relative path is taken from the working directory. */
export function modelDirFor(model: string): string {
  return resolveModelRef(model);
}

/** The conditioning values a render uses: the settings' overrides, else the model folder's. */
export function resolveConditioning(
  model: ModelManifest['conditioning'],
  settings: Pick<RenderSettings, 'conditioningFps' | 'motionBucketId' | 'noiseAugStrength'>,
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

/**
 * Stage 3, plan: the settings as rendered, the sizes and the windows. A model render plans with
 * its folder's manifest (frame counts, latent size, conditioning); a track longer than the model
 * (or than render.windowFrames) is made in overlapping windows, each from the one before it, so
 * it renders from the photo alone. A preview is windowed only by render.windowFrames, and a
 * video preview never: each frame is warped from its own source frame.
 */
export async function planRender(
  job: RenderJob,
  scene: WarpScene,
  cameras: readonly FrameCamera[],
): Promise<RenderPlan> {
  const F = job.frames;
  const views = scene.kind === 'views' ? scene.views.length : 0;
  const common = {
    overlap: job.doc.render.windowOverlap ?? DEFAULT_OVERLAP,
    lambdaMin: lambdaFloor(job.doc.lambda.lambdaMin, views),
  };
  if (job.kind === 'preview') {
    const settings = job.doc.render;
    const windows = scene.kind === 'video' ? null : renderWindowPlan(F, settings, 'any');
    if (windows && views > 0)
      throw new CamtrackError(
        'bad-input',
        'A windowed preview (render.windowFrames) renders from one photo; this project has further source views. Remove render.windowFrames or the views.',
      );
    return { ...common, kind: 'preview', settings, windows: windows ?? [{ start: 0, end: F }], notes: [] };
  }

  const modelDir = modelDirFor(job.doc.render.model);
  const manifest = await readManifest(modelDir);
  let settings = job.doc.render;
  const notes: string[] = [];
  if (manifest.family === 'draft' && (settings.guidanceMin !== 1 || settings.guidanceMax !== 1)) {
    // The draft UNet's unconditional pass sees no image, so guidance g would render the photo g
    // times brighter: a preview renders at guidance 1, and the sidecar records what was used.
    notes.push(
      `The draft model renders at guidance 1 (the project asks ${settings.guidanceMin} to ${settings.guidanceMax}, which only a real SVD model uses).`,
    );
    settings = { ...settings, guidanceMin: 1, guidanceMax: 1 };
  }
  const lat = latentSizeFor(manifest, settings.width, settings.height);
  const fc = manifest.frameCounts;
  // Tracks longer than the model: windows of the model's largest count, or of render.windowFrames.
  const windows = renderWindowPlan(F, settings, fc) ?? [{ start: 0, end: F }];
  if (windows.length > 1 && views > 0)
    throw new CamtrackError(
      'bad-input',
      'A track longer than the model renders from one photo; this project has further source views. Shorten the track or remove the views.',
    );
  const W = windows[0].end - windows[0].start;
  if (fc !== 'any' && !fc.includes(W))
    throw new CamtrackError(
      'bad-input',
      `This model (${manifest.name}) makes ${fc.join(' or ')} frames; the track has ${F}${windows.length > 1 ? ` (windows of ${W})` : ''}.`,
    );
  const seeds = job.windowSeeds ?? windowSeeds(settings.seed, windows.length);
  if (seeds.length !== windows.length)
    throw new CamtrackError(
      'shape-mismatch',
      `The render has ${windows.length} windows but ${seeds.length} window seeds were given.`,
    );
  const sampling =
    settings.fidelity === 'reference'
      ? referenceSampling(job, scene, cameras, windows.length)
      : { reference: null, lambdaDoc: job.doc.lambda, lambda: job.lambda, notes: [] };
  return {
    ...common,
    kind: 'model',
    settings,
    windows,
    notes: [...notes, ...sampling.notes],
    modelDir,
    manifest,
    shape: { frames: W, channels: 4, height: lat.height, width: lat.width },
    lambda: sampling.lambda,
    lambdaDoc: sampling.lambdaDoc,
    seeds: [...seeds],
    reference: sampling.reference,
    // SVD's conditioning comes from the model folder unless the settings override it; never
    // from the export frame rate (SVD-XT is told fps 7 whatever the video plays at).
    conditioning: resolveConditioning(manifest.conditioning, settings),
  };
}

/**
 * What reference fidelity samples with: the reference's rule for the scene's pipeline, in one
 * window (the reference has no windows); with two photos, the two-image script's lambda table,
 * searched from each camera's distance to the nearer photo instead of frame times.
 */
function referenceSampling(
  job: Extract<RenderJob, { kind: 'model' }>,
  scene: WarpScene,
  cameras: readonly FrameCamera[],
  windows: number,
): { reference: ReferenceRule; lambdaDoc: LambdaDoc; lambda: LambdaTable; notes: string[] } {
  const pipeline = referencePipelineFor(scene, job.frames);
  if (windows > 1)
    throw new CamtrackError(
      'bad-input',
      `Reference fidelity renders one window, as the reference does; this track of ${job.frames} frames needs ${windows} windows of this model. Shorten the track or use Studio fidelity.`,
    );
  if (pipeline !== 'two-view') return { reference: 'single', lambdaDoc: job.doc.lambda, lambda: job.lambda, notes: [] };
  const lambdaDoc = referenceTwoViewTable(cameras, job.sigmas);
  return {
    reference: 'two-view',
    lambdaDoc,
    lambda: lambdaTableFromDoc(lambdaDoc, { steps: job.steps, frames: job.frames }),
    notes: [
      "Reference fidelity with two photos: the two-image script's lambda table (from each camera's distance to the nearer photo) is used.",
    ],
  };
}
