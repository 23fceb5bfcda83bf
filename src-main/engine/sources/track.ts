import type { FrameCamera } from '../geometry/conventions';
import { fillWarpedFrame } from '../preview';
import { CamtrackError } from '../util/errors';
import type { WarpedFrame, WarpSource } from '../warp/forward';
import { previewWarpOptions, type WarpMethod } from '../warp/method';
import { anchoredFrames } from './anchors';
import { prepareSources, warpFused } from './fuse';

/**
 * Every camera of a track warped from the photo and the further source views with one z-buffer,
 * and the frames that coincide with a source view (anchored, see anchors.ts). With `fill` (the
 * preview render) each frame's holes are filled as the single-photo preview fills them. Runs on
 * the calling thread; `signal` is checked between frames.
 */
export function warpTrackFromViews(
  photo: WarpSource,
  views: readonly WarpSource[],
  cameras: readonly FrameCamera[],
  opts: { fill?: boolean; method?: WarpMethod; onFrame?: () => void; signal?: AbortSignal } = {},
): { frames: WarpedFrame[]; anchors: number[] } {
  const method = opts.method ?? 'splat';
  const fused = prepareSources([photo, ...views], method);
  const frames = cameras.map((c) => {
    if (opts.signal?.aborted) throw new CamtrackError('cancelled', 'The render was cancelled (warp).');
    const w = warpFused(fused, c, opts.fill ? previewWarpOptions(method) : {});
    opts.onFrame?.();
    return opts.fill ? fillWarpedFrame(w) : w;
  });
  return {
    frames,
    anchors: anchoredFrames(
      cameras,
      views.map((v) => v.c2w),
      fused.sceneDepth,
    ),
  };
}
