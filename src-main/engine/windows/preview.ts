/**
 * The preview render (warp + fill, no model) of a track longer than its window: window 1 is warped
 * from the photo; every later window is warped from the frame the previous window generated at
 * the later window's first frame (its filled image, and its warped depth with the warp's holes
 * filled the same background-first way), placed at that frame's camera, and from the photo. So each window starts from what the previous one made,
 * as a model render chained window by window would, and the overlap frames are cross-faded
 * (stitch). Runs on this thread: windows depend on each other, so they cannot go to the pool.
 */
import type { FrameCamera } from '../camera/conventions';
import { fillWarpedFrame, pushPullFill } from '../preview';
import { CamtrackError } from '../util/errors';
import { prepareSource, warpFrame, type WarpSource, type WarpedFrame } from '../warp/forward';
import { prepareSources, warpFused } from '../sources/fuse';
import { stitch, type FrameWindow } from './plan';

export interface WindowedPreviewOptions {
  /** Called after each warped frame with the window (1-based), the window count and the frame's index inside the window. */
  onFrame?(window: number, windows: number, frameInWindow: number): void;
  signal?: AbortSignal;
}

/** A warped frame's depth with its holes filled (background first), so it can serve as a source. */
export function filledDepth(frame: WarpedFrame): Float32Array {
  const d = frame.depth;
  if (!d) throw new CamtrackError('shape-mismatch', 'The warped frame carries no depth; warp it with withDepth.');
  const n = frame.width * frame.height;
  const rgb = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) rgb[i * 3] = rgb[i * 3 + 1] = rgb[i * 3 + 2] = d[i];
  const filled = pushPullFill({ width: frame.width, height: frame.height, image: rgb, holes: frame.holes, depth: d });
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = filled[i * 3];
  return out;
}

/** The stitched float RGB frames of the whole track, one per camera. */
export function renderWindowedPreview(
  photo: WarpSource,
  cameras: readonly FrameCamera[],
  windows: readonly FrameWindow[],
  opts: WindowedPreviewOptions = {},
): Float32Array[] {
  if (windows.length === 0 || windows[windows.length - 1].end !== cameras.length)
    throw new CamtrackError(
      'shape-mismatch',
      `The windows end at frame ${windows.at(-1)?.end ?? 0}, the track has ${cameras.length} frames.`,
    );
  const perWindow: Float32Array[][] = [];
  let source: WarpSource = photo;
  windows.forEach((w, k) => {
    // Later windows warp from the previous window's last frame AND the photo, with one z-buffer
    // (sources/fuse): each surface's colour leans on the source whose camera is nearer, so the
    // photo comes back as the camera does (a 360° orbit closes on it).
    const fused = k === 0 ? null : prepareSources([photo, source]);
    const prepared = k === 0 ? prepareSource(source) : null;
    const made: WarpedFrame[] = [];
    for (let t = w.start; t < w.end; t++) {
      if (opts.signal?.aborted)
        throw new CamtrackError('cancelled', `The render was cancelled (warp, window ${k + 1}/${windows.length}).`);
      made.push(
        fillWarpedFrame(
          fused
            ? warpFused(fused, cameras[t], { withDepth: true })
            : warpFrame(prepared!, cameras[t], { withDepth: true }),
        ),
      );
      opts.onFrame?.(k + 1, windows.length, t - w.start);
    }
    perWindow.push(made.map((f) => f.image));
    const next = windows[k + 1];
    if (!next) return;
    // The next window starts from this window's frame at its first frame (as the model render,
    // whose sampler keeps a window's frame 0 as its conditioning image).
    const last = made[next.start - w.start];
    const cam = cameras[next.start];
    source = {
      image: { width: last.width, height: last.height, data: last.image },
      depth: filledDepth(last),
      intrinsics: cam.intrinsics,
      c2w: cam.c2w,
    };
  });
  return stitch(windows, perWindow);
}
