import { glPoseToCv, rigidInverse, type FrameCamera } from '../camera/conventions';
import { referenceTwoViewDistances, referenceTwoViewLambda } from '../lambda/twoView';
import type { LambdaDoc } from '../project/schema';
import type { ReferenceRule } from '../sampler/reference';
import { referenceTwoViewSource } from '../sources/referenceTwoView';
import { CamtrackError } from '../util/errors';
import type { WarpedFrame, WarpSource } from '../warp/forward';
import { referenceWarpFrame } from '../warp/reference';
import { sourceFrameFor, type VideoSourceLoader } from '../video-input';

/**
 * The warps of a reference-fidelity render, by the reference pipeline its inputs call for:
 * - a source video: frame f from video frame f (its own image and depth) seen from the first camera,
 *   the video pipeline's splatting (depth clip 10000, the 0.6 cut);
 * - one further view: the two-view pipeline, frames 1..F-2 from one photo each (the first half
 *   from the photo, the rest from the view, which stands at the last frame), no 0.6 cut, clip 1000;
 *   the last frame is the view's own photo (its latent is a target the reference never uses);
 * - else the single-image pipeline (clip 5000, the 0.6 cut).
 * Frame 0 is warped too (its target is replaced by the source latent in every step).
 */
export async function referenceWarpTrack(input: {
  photo: WarpSource;
  views: readonly WarpSource[];
  video: VideoSourceLoader | null;
  cameras: readonly FrameCamera[];
  onFrame?: () => void;
  signal?: AbortSignal;
}): Promise<{ frames: WarpedFrame[]; rule: ReferenceRule }> {
  const { photo, views, video, cameras, signal } = input;
  const F = cameras.length;
  const frames: WarpedFrame[] = [];
  const check = () => {
    if (signal?.aborted) throw new CamtrackError('cancelled', 'The render was cancelled (warp).');
  };
  if (views.length > 1)
    throw new CamtrackError(
      'bad-input',
      `Reference fidelity renders from one photo or from two (the reference's two-view mode); this project has ${views.length + 1}. Turn views off or use Studio fidelity.`,
    );
  if (video) {
    for (let f = 0; f < F; f++) {
      check();
      const src = { ...(await video.load(sourceFrameFor(f, video.count))), c2w: photo.c2w };
      frames.push(referenceWarpFrame(src, cameras[f], 'video'));
      input.onFrame?.();
    }
    return { frames, rule: 'single' };
  }
  if (views.length === 1) {
    if (F < 3)
      throw new CamtrackError('bad-input', `Reference fidelity with two photos needs at least 3 frames (got ${F}).`);
    const sources = [photo, views[0]];
    for (let f = 0; f < F - 1; f++) {
      check();
      frames.push(referenceWarpFrame(sources[f === 0 ? 0 : referenceTwoViewSource(f, F)], cameras[f], 'two-view'));
      input.onFrame?.();
    }
    // The last frame's target is the second photo itself, not a warp, as the reference passes it.
    const { width, height, data } = views[0].image;
    frames.push({
      width,
      height,
      image: Float32Array.from(data),
      holes: new Uint8Array(width * height),
      latentWidth: width / 8,
      latentHeight: height / 8,
      latentHoles: new Uint8Array((width / 8) * (height / 8)),
      holeFraction: 0,
    });
    input.onFrame?.();
    return { frames, rule: 'two-view' };
  }
  for (let f = 0; f < F; f++) {
    check();
    frames.push(referenceWarpFrame(photo, cameras[f], 'single'));
    input.onFrame?.();
  }
  return { frames, rule: 'single' };
}

/**
 * The reference's two-view lambda table for a track: its search over the distances of each camera's
 * world-to-camera translation (OpenCV axes, as the reference's poses) to the nearer photo's.
 */
export function referenceTwoViewTable(cameras: readonly FrameCamera[], sigmas: ArrayLike<number>): LambdaDoc {
  const translations = cameras.map((c) => {
    const m = rigidInverse(glPoseToCv(c.c2w));
    return [m[3], m[7], m[11]];
  });
  const two = referenceTwoViewLambda(sigmas, referenceTwoViewDistances(translations));
  return {
    steps: two.table.steps,
    frames: two.table.frames,
    values: Array.from(two.table.data),
    lambdaMin: 0,
    preset: { kind: 'default', v1: two.v1, v2: two.v2, v3: two.v3 },
  };
}
