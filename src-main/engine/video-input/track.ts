import type { FrameCamera, Mat4 } from '../geometry/conventions';
import { fillWarpedFrame } from '../preview';
import { CamtrackError } from '../util/errors';
import { prepareSource, warpFrame, type PreparedSource, type WarpedFrame } from '../warp/forward';
import type { VideoSourceLoader } from './inputs';
import { sourceFrameFor } from './frames';

/**
 * NVS-Solver's dynamic mode (svd_interpolate_dyn_img*): frame k of the track is warped from
 * source frame k (its image and its depth), seen from the source camera, into the track's camera
 * k, so the scene moves as in the video while the camera follows the track. A track longer than
 * the video holds the last source frame (the scene stops, the camera goes on).
 */
export { sourceFrameFor };

export interface VideoWarpOptions {
  /** The source camera's pose (the project's frame-0 camera). */
  sourcePose: Mat4;
  /** Fill each frame's holes (the preview render). */
  fill?: boolean;
  /** Keep each frame's target depth (windows carry it). */
  withDepth?: boolean;
  /** The track frame of cameras[0] when they are a later window's (default 0): frame f is warped from its own source frame. */
  firstFrame?: number;
  onFrame?(): void;
  signal?: AbortSignal;
}

/** Every camera of the track warped from its own source frame; one source frame decoded at a time. */
export async function warpTrackFromVideo(
  loader: VideoSourceLoader,
  cameras: readonly FrameCamera[],
  opts: VideoWarpOptions,
): Promise<WarpedFrame[]> {
  const out: WarpedFrame[] = [];
  let heldK = -1;
  let held: PreparedSource | null = null;
  for (let f = 0; f < cameras.length; f++) {
    if (opts.signal?.aborted) throw new CamtrackError('cancelled', 'The render was cancelled (warp).');
    const k = sourceFrameFor((opts.firstFrame ?? 0) + f, loader.count);
    if (!held || heldK !== k) {
      held = prepareSource({ ...(await loader.load(k)), c2w: opts.sourcePose });
      heldK = k;
    }
    const w = warpFrame(held, cameras[f], { withDepth: !!opts.fill || !!opts.withDepth });
    out.push(opts.fill ? fillWarpedFrame(w) : w);
    opts.onFrame?.();
  }
  return out;
}
