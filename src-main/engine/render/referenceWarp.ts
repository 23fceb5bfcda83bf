import { glPoseToCv, rigidInverse, type FrameCamera } from '../geometry/conventions';
import { referenceTwoViewDistances, referenceTwoViewLambda } from '../lambda/twoView';
import type { LambdaDoc } from '../project/schema';
import { referenceTwoViewSource } from '../sources/referenceTwoView';
import type { WarpedFrame, WarpSource } from '../warp/forward';
import { REFERENCE_LATENT_BLOCK as B, referenceWarpFrame } from '../warp/reference';

/**
 * Frame f of a track of F frames in the reference's two-view pipeline: frames 1..F-2 each from one
 * photo only (the first half from the photo, the rest from the view, which stands at the last
 * frame), its splatting without the 0.6 cut and with depth clip 1000; frame 0 is warped too (its
 * target is replaced by the source latent in every step). The last frame is the view's own photo,
 * as the reference passes it (a target its rule never uses: the model makes that frame).
 */
export function referenceTwoViewFrame(
  photo: WarpSource,
  view: WarpSource,
  camera: FrameCamera,
  f: number,
  F: number,
): WarpedFrame {
  if (f < F - 1) return referenceWarpFrame(referenceTwoViewSource(f, F) === 1 ? view : photo, camera, 'two-view');
  const { width, height, data } = view.image;
  return {
    width,
    height,
    image: Float32Array.from(data),
    holes: new Uint8Array(width * height),
    latentWidth: width / B,
    latentHeight: height / B,
    latentHoles: new Uint8Array((width / B) * (height / B)),
    holeFraction: 0,
  };
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
