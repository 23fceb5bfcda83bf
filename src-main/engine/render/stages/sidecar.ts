import path from 'node:path';
import type { FrameCamera } from '../../geometry/conventions';
import type { MemoryPlan } from '../../models/memory';
import { PREVIEW_MODEL_RECORD } from '../../preview';
import type { RenderSettings } from '../../project/schema';
import type { ExportResult } from '../../video';
import { karrasScheduleRecord, type RenderSidecar, type RenderSidecarInput, type SidecarModel } from '../sidecar';
import type { StageTiming } from '../types';
import type { RenderJob } from './check';
import { crfOf } from './export';
import type { RenderPlan } from './plan';

/** What made the frames, as the sidecar records it: a model (with its memory plan) or the preview's warp and fill. */
export interface MadeBy {
  record: SidecarModel;
  executionProvider: RenderSidecar['executionProvider'];
  memory?: MemoryPlan;
}

/** A preview has no model: the sidecar says so (model family 'preview'), run on the CPU. */
export function previewMadeBy(settings: Pick<RenderSettings, 'executionProvider'>): MadeBy {
  return {
    record: { ...PREVIEW_MODEL_RECORD, files: [] },
    executionProvider: { requested: settings.executionProvider, used: 'cpu', fallbackReason: null },
  };
}

/**
 * Stage 9, sidecar: everything needed to make the video again, as one record: the output as
 * exported, the photo and depth, the sources or video, the evaluated cameras, the schedule, the
 * lambda table, the settings as rendered, the conditioning and memory plan, the model and its
 * files, the windows and the stage times.
 */
export function describeRender(r: {
  job: RenderJob;
  plan: RenderPlan;
  cameras: readonly FrameCamera[];
  video: ExportResult;
  /** Frames at a source view's camera (sparse views). */
  anchors: readonly number[];
  madeBy: MadeBy;
  timings: StageTiming[];
  projectDir: string;
}): RenderSidecarInput {
  const { doc, steps, sigmas, frames } = r.job;
  const { plan, video, madeBy } = r;
  const { settings } = plan;
  const memory = madeBy.memory;
  // The table as sampled (reference fidelity with two photos samples the reference's own).
  const lambda = plan.kind === 'model' ? plan.lambdaDoc : doc.lambda;
  return {
    createdAt: new Date().toISOString(),
    output: {
      format: settings.format,
      width: video.width,
      height: video.height,
      frames: video.frames,
      fps: doc.track.fps,
      crf: crfOf(settings) ?? null,
      bytes: video.bytes,
    },
    source: doc.image!,
    depth: doc.depth!,
    ...(doc.sources.length > 0 && {
      sources: doc.sources,
      anchors: { frames: [...r.anchors], lambdaFloor: plan.lambdaMin },
    }),
    ...(doc.video && { video: doc.video }),
    camera: { track: doc.track, evaluatedFrames: frames, poses: r.cameras.map((c) => [...c.c2w]) },
    schedule: karrasScheduleRecord(sigmas),
    lambda: {
      steps,
      frames,
      values: lambda.values,
      lambdaMin: lambda.lambdaMin,
      preset: lambda.preset,
    },
    settings,
    ...(plan.kind === 'model' && { conditioning: plan.conditioning }),
    ...(memory && {
      memory: {
        cfgTwoPass: memory.cfgTwoPass,
        cfgReason: memory.cfgReason,
        decodeChunk: memory.decodeChunk,
        freeBytes: memory.freeBytes,
      },
    }),
    model: madeBy.record,
    executionProvider: madeBy.executionProvider,
    ...(plan.kind === 'preview' && { renderKind: 'preview' as const }),
    ...(plan.windows.length > 1 && {
      windows: {
        overlap: plan.overlap,
        list: plan.windows,
        ...(plan.kind === 'model' && { seeds: [...plan.seeds] }),
      },
    }),
    timings: r.timings,
    projectDir: path.resolve(r.projectDir),
  };
}
