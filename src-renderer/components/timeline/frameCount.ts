import type { ModelInfo } from '../../../src-main/api/contract';
import { checkFrameCount, SVD_FRAME_COUNTS, windowedNote } from '../../../src-main/engine/camera/frame-count';
import { planWindows } from '../../../src-main/engine/windows/plan';

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

export function frameCountView(numFrames: number, model: Pick<ModelInfo, 'frameCounts'> | null): FrameCountView {
  const native = [SVD_FRAME_COUNTS.svd, SVD_FRAME_COUNTS['svd-xt']];
  if (!model) return { native, problem: null, windows: null };
  const counts = model.frameCounts === 'any' ? [] : model.frameCounts;
  return { native, problem: checkFrameCount(numFrames, counts), windows: windowedNote(numFrames, counts, (f, n) => planWindows(f, n).length) };
}
