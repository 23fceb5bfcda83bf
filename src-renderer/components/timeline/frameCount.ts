import type { ModelInfo } from '../../../src-main/api/contract';
import { checkFrameCount, SVD_FRAME_COUNTS } from '../../../src-main/engine/camera/frame-count';

/**
 * The timeline's view of the engine's frame-count check: the native counts to show as badges
 * (SVD 14, SVD-XT 25), and the engine's message when the chosen model (its manifest's frame
 * counts, 'any' for the draft model) cannot render the track's count. Until the engine has said
 * which model is chosen nothing is flagged.
 */
export interface FrameCountView {
  native: number[];
  problem: string | null;
}

export function frameCountView(numFrames: number, model: Pick<ModelInfo, 'frameCounts'> | null): FrameCountView {
  const native = [SVD_FRAME_COUNTS.svd, SVD_FRAME_COUNTS['svd-xt']];
  if (!model) return { native, problem: null };
  return { native, problem: checkFrameCount(numFrames, model.frameCounts === 'any' ? [] : model.frameCounts) };
}
