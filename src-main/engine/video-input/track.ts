import type { FrameCamera, Mat4 } from '../geometry/conventions';
import { fillWarpedFrame } from '../preview';
import { CamtrackError } from '../util/errors';
import type { WarpedFrame, WarpOptions, WarpSource } from '../warp/forward';
import { prepareWarp, previewWarpOptions, warpPrepared, type WarpMethod } from '../warp/method';
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
  /** How one frame is warped from its source frame (the reference fidelity's splatting); default the studio's warp by `method`. */
  warp?(source: WarpSource, camera: FrameCamera): WarpedFrame;
  /** The studio's warp (default 'splat'). Every source frame serves a frame or a few, so the mesh gets no hidden layer here. */
  method?: WarpMethod;
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
  const method = opts.method ?? 'splat';
  const options: WarpOptions = opts.fill ? previewWarpOptions(method) : { withDepth: !!opts.withDepth };
  let heldK = -1;
  let held: ((camera: FrameCamera) => WarpedFrame) | null = null;
  for (let f = 0; f < cameras.length; f++) {
    if (opts.signal?.aborted) throw new CamtrackError('cancelled', 'The render was cancelled (warp).');
    const k = sourceFrameFor((opts.firstFrame ?? 0) + f, loader.count);
    if (!held || heldK !== k) {
      const source = { ...(await loader.load(k)), c2w: opts.sourcePose };
      held = warpFrom(source, opts.warp, method, options);
      heldK = k;
    }
    const w = held(cameras[f]);
    out.push(opts.fill ? fillWarpedFrame(w) : w);
    opts.onFrame?.();
  }
  return out;
}

/** One source frame's warp into a camera: `warp` when given, else the studio's warp of it by `method`, prepared once. */
function warpFrom(
  source: WarpSource,
  warp: VideoWarpOptions['warp'],
  method: WarpMethod,
  options: WarpOptions,
): (camera: FrameCamera) => WarpedFrame {
  if (warp) return (c) => warp(source, c);
  const prepared = prepareWarp(source, method);
  return (c) => warpPrepared(prepared, c, options);
}
