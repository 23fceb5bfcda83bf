import type { FrameCamera } from '../../geometry/conventions';
import type { RgbImage } from '../../image/types';
import { stitch, type FrameWindow } from '../../windows';
import type { StageClock } from '../clock';
import type { RenderPlan } from './plan';
import { warpTrack, type WarpedTrack, type WarpScene, type WindowStart } from './warp';

/** Warps window k of the plan (stage 4); a later window passes where it starts. */
export type WindowWarp = (k: number, start?: WindowStart) => Promise<WarpedTrack>;

/**
 * The warp of each window of a plan, timed and reported: a preview's warps (filled) are its
 * frames, so every window counts in its warp progress; a model render reports its first window's,
 * which it warps before the model is opened.
 */
export function windowWarper(
  plan: RenderPlan,
  scene: WarpScene,
  cameras: readonly FrameCamera[],
  clock: StageClock,
  signal?: AbortSignal,
): WindowWarp {
  const { windows } = plan;
  const reported = plan.kind === 'preview' ? windows : windows.slice(0, 1);
  const total = reported.reduce((n, w) => n + w.end - w.start, 0);
  const tagged = plan.kind === 'preview' && windows.length > 1;
  let done = 0;
  return (k, start) =>
    clock.time('warp', () =>
      warpTrack({
        scene,
        cameras,
        window: windows[k],
        start,
        fill: plan.kind === 'preview',
        // A preview has no fidelity: its frames are the studio's filled warps.
        fidelity: plan.kind === 'model' ? plan.settings.fidelity : 'studio',
        method: plan.settings.warp,
        signal,
        onFrame:
          k < reported.length
            ? () => clock.progress('warp', ++done / total, tagged ? { window: k + 1, windows: windows.length } : {})
            : undefined,
      }),
    );
}

/**
 * A track made window by window, the windows stitched (cross-faded where they overlap). Window 1
 * starts from the photo; each later one from the frame the window before it made at the later
 * window's first frame (its camera), which `make` is given as its conditioning image and from
 * which (with the photo) that window's views are warped.
 */
export async function windowByWindow(
  windows: readonly FrameWindow[],
  photo: RgbImage,
  first: WarpedTrack,
  warp: WindowWarp,
  make: (k: number, warped: WarpedTrack, image: RgbImage) => Promise<Float32Array[]>,
): Promise<Float32Array[]> {
  const made: Float32Array[][] = [];
  let warped = first;
  for (let k = 0; k < windows.length; k++) {
    let image = photo;
    if (k > 0) {
      const at = windows[k].start - windows[k - 1].start;
      image = { width: photo.width, height: photo.height, data: made[k - 1][at] };
      warped = await warp(k, { image, previous: warped.source, view: warped.frames[at] });
    }
    made.push(await make(k, warped, image));
  }
  return stitch(windows, made);
}
