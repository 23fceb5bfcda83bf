import { CamtrackError } from '../util/errors';
import { type LatentShape, frameSize, latentSize } from './shape';

/**
 * Classifier-free guidance with SVD's per-frame ramp, as diffusers' StableVideoDiffusionPipeline:
 * guidance_scale = torch.linspace(min_guidance_scale, max_guidance_scale, num_frames) (float32),
 * out = uncond + scale_f * (cond - uncond) on the UNet outputs, frame by frame; the unconditional
 * pass is run at all only when max_guidance_scale > 1 (the pipeline's do_classifier_free_guidance).
 */
export function cfgNeedsUnconditional(maxGuidance: number): boolean {
  return maxGuidance > 1;
}

/**
 * The per-frame scales by torch.linspace's formula on float32: step = (end - start) / (n - 1); the
 * first half counts up from start (start + step * i), the second half down from end
 * (end - step * (n - 1 - i)), every operation rounded to float32. Not bit for bit: torch's
 * vectorised CPU kernel fuses each multiply-add (one rounding), so a few frames differ by one
 * float32 step (frames 5, 14 and 17 of 25 for 1..3; 1e-7 relative, far below anything visible).
 * Kept as it is so that earlier renders re-render the same.
 */
export function cfgFrameScales(frames: number, minGuidance: number, maxGuidance: number): Float32Array {
  if (!Number.isInteger(frames) || frames < 1)
    throw new CamtrackError('bad-input', `Guidance needs at least 1 frame (got ${frames}).`);
  if (!Number.isFinite(minGuidance) || !Number.isFinite(maxGuidance)) {
    throw new CamtrackError(
      'bad-input',
      `Guidance scales must be finite numbers (got ${minGuidance} and ${maxGuidance}).`,
    );
  }
  const f = Math.fround;
  const out = new Float32Array(frames);
  const start = f(minGuidance);
  const end = f(maxGuidance);
  if (frames === 1) {
    out[0] = start;
    return out;
  }
  const step = f(f(end - start) / (frames - 1));
  const half = Math.floor(frames / 2);
  for (let i = 0; i < frames; i++) out[i] = i < half ? f(start + f(step * i)) : f(end - f(step * (frames - 1 - i)));
  return out;
}

/**
 * uncond + scale_f * (cond - uncond) for [F][C][h][w] model outputs, into `out` (which may be
 * `uncond` or `cond`); returns `out`.
 */
export function applyFrameCfg(
  uncond: Float32Array,
  cond: Float32Array,
  scales: Float32Array,
  shape: LatentShape,
  out: Float32Array = new Float32Array(uncond.length),
): Float32Array {
  const n = latentSize(shape);
  if (uncond.length !== n || cond.length !== n || out.length !== n) {
    throw new CamtrackError(
      'shape-mismatch',
      `Guidance needs buffers of ${n} values (got ${uncond.length}, ${cond.length} and ${out.length}).`,
    );
  }
  if (scales.length !== shape.frames) {
    throw new CamtrackError('shape-mismatch', `Guidance has ${scales.length} frame scales for ${shape.frames} frames.`);
  }
  const fs = frameSize(shape);
  for (let fr = 0; fr < shape.frames; fr++) {
    const g = scales[fr];
    const end = (fr + 1) * fs;
    for (let i = fr * fs; i < end; i++) {
      const u = uncond[i];
      out[i] = u + g * (cond[i] - u);
    }
  }
  return out;
}
