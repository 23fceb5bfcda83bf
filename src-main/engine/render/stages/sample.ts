import type { LambdaTable } from '../../lambda/table';
import type { GuidanceSettings, SvdPipeline } from '../../models/svdPipeline';
import {
  guidedSample,
  latentPreview,
  makeHoleMasks,
  type HoleMasks,
  type LatentShape,
  type ReferenceRule,
  type SamplerStep,
} from '../../sampler';
import type { WarpedFrame } from '../../warp/forward';
import type { StageProgress } from '../clock';
import type { RenderPreview } from '../types';
import type { WindowConditioning } from './condition';

/** The window's latent hole masks; a frame at a source view's camera (an anchor) takes its warped view whole: no holes. */
export function windowHoles(frames: readonly WarpedFrame[], anchors: readonly number[], shape: LatentShape): HoleMasks {
  const per = shape.height * shape.width;
  const holes = new Uint8Array(shape.frames * per);
  frames.forEach((w, f) => {
    if (!anchors.includes(f)) holes.set(w.latentHoles, f * per);
  });
  return makeHoleMasks(shape.frames, shape.height, shape.width, holes);
}

/**
 * Stage 6, sample: NVS-Solver's guided sampler from seeded noise, through the model's denoiser
 * (preconditioning and the CFG ramp), the warped latents guiding the valid elements by the lambda
 * table with its floor lambdaMin. With a `reference` rule, the reference's own DGS step, float32
 * Euler step and v-prediction instead (lambdaMin unused: the rule has its own floor). Returns the
 * clean latent x0, [F][4][h][w].
 */
export async function sampleWindow(
  pipeline: SvdPipeline,
  conditioned: WindowConditioning,
  o: {
    shape: LatentShape;
    sigmas: Float32Array;
    lambda: LambdaTable;
    lambdaMin: number;
    holes: HoleMasks;
    seed: number;
    guidance: GuidanceSettings;
    /** Reference fidelity's DGS rule; absent for the studio's guidance. */
    reference?: ReferenceRule;
    onStep?(step: SamplerStep): void;
    signal?: AbortSignal;
  },
): Promise<Float32Array> {
  return guidedSample({
    sigmas: o.sigmas,
    lambda: o.lambda,
    lambdaMin: o.lambdaMin,
    shape: o.shape,
    sourceLatent: conditioned.sourceLatent,
    warpedLatents: conditioned.warpedLatents,
    holes: o.holes,
    start: { seed: o.seed },
    reference: o.reference,
    denoise: pipeline.denoiser(conditioned.cond, o.shape, {
      ...o.guidance,
      prediction: o.reference ? 'reference' : 'studio',
    }),
    signal: o.signal,
    onStep: o.onStep,
  });
}

/**
 * The sampler's step reports: progress per step, and a live preview of the x0 estimate (the cheap
 * latent projection, averaged to `maxSide`) at most every `intervalMs`, always at the last step.
 */
export function stepReporter(
  shape: LatentShape,
  progress: StageProgress,
  live: { onPreview?(p: RenderPreview): void; intervalMs?: number; maxSide?: number },
): (s: SamplerStep) => void {
  let lastPreview = -Infinity;
  const stride = Math.max(1, Math.ceil(Math.max(shape.width, shape.height) / (live.maxSide ?? Infinity)));
  const interval = live.intervalMs ?? 0;
  return (s) => {
    progress('denoise', (s.step + 1) / s.steps, { step: s.step + 1, steps: s.steps });
    const now = performance.now();
    if (live.onPreview && (now - lastPreview >= interval || s.step + 1 === s.steps)) {
      lastPreview = now;
      const previews = latentPreview(s.denoised, shape, stride);
      live.onPreview({
        step: s.step + 1,
        steps: s.steps,
        width: previews[0].width,
        height: previews[0].height,
        frames: previews.map((p) => p.data),
      });
    }
  };
}
