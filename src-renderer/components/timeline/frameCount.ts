import type { ModelInfo } from '../../../src-main/api/contract';
import { checkFrameCount, SVD_FRAME_COUNTS } from '../../../src-main/engine/camera/frame-count';
import type { RenderSettings } from '../../../src-main/engine/project/schema';
import { renderWindowPlan } from '../../../src-main/engine/windows/plan';

/**
 * The timeline's view of the engine's frame-count check: the native counts to show as badges
 * (SVD 14, SVD-XT 25), and the engine's message when the chosen model (its manifest's frame
 * counts, 'any' for the draft model) cannot render the track's count. Until the engine has said
 * which model is chosen nothing is flagged.
 */
export interface FrameCountView {
  native: number[];
  problem: string | null;
  /** Set when the track is longer than the model: how the render splits it into windows. */
  windows: string | null;
}

export function frameCountView(
  numFrames: number,
  model: Pick<ModelInfo, 'frameCounts'> | null,
  render: Pick<RenderSettings, 'windowFrames' | 'windowOverlap'> = {},
): FrameCountView {
  const native = [SVD_FRAME_COUNTS.svd, SVD_FRAME_COUNTS['svd-xt']];
  if (!model) return { native, problem: null, windows: null };
  const counts = model.frameCounts === 'any' ? [] : model.frameCounts;
  // The same plan the render makes (render.windowFrames first), so the note says what will happen.
  try {
    const plan = renderWindowPlan(numFrames, render, model.frameCounts);
    if (!plan) return { native, problem: checkFrameCount(numFrames, counts), windows: null };
    const len = plan[0].end - plan[0].start;
    const why =
      render.windowFrames !== undefined
        ? `Windows of ${len} frames (render settings)`
        : `Longer than the model's ${len} frames`;
    const problem =
      counts.length > 0 && !counts.includes(len)
        ? `The chosen model renders ${counts.join(' or ')} frames; the render settings ask for windows of ${len}.`
        : null;
    return { native, problem, windows: `${why}: renders in ${plan.length} overlapping windows of ${len}.` };
  } catch (e) {
    return { native, problem: (e as Error).message, windows: null };
  }
}
