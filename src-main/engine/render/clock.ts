import { CamtrackError } from '../util/errors';
import type { RenderProgress, RenderStage, StageTiming } from './types';

/** Share of the whole render each stage stands for, for one progress bar (the sampler dominates). */
const STAGE_SPAN: Record<RenderStage, [number, number]> = {
  load: [0, 0.03],
  warp: [0.03, 0.1],
  model: [0.1, 0.13],
  encode: [0.13, 0.18],
  denoise: [0.18, 0.88],
  decode: [0.88, 0.94],
  export: [0.94, 0.99],
  sidecar: [0.99, 1],
};

/** A preview (model 'preview') runs load, warp (with the fill), export and sidecar: its own spans. */
const PREVIEW_SPAN: Partial<Record<RenderStage, [number, number]>> = {
  load: [0, 0.05],
  warp: [0.05, 0.6],
  export: [0.6, 0.99],
  sidecar: [0.99, 1],
};

/** Reports progress `within` (0..1) of a stage, with extra fields (step, window). */
export type StageProgress = (stage: RenderStage, within: number, extra?: Partial<RenderProgress>) => void;

export function throwIfAborted(signal: AbortSignal | undefined, stage: RenderStage): void {
  if (signal?.aborted) throw new CamtrackError('cancelled', `The render was cancelled (${stage}).`);
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

/**
 * A render's progress and stage times. Progress maps each stage onto its span of one bar; a stage
 * run more than once (window by window) adds up its time, so the timings list each stage once, in
 * the order the stages first ran.
 */
export class StageClock {
  private readonly spent = new Map<RenderStage, number>();

  constructor(
    private readonly kind: 'preview' | 'model',
    private readonly onProgress: ((p: RenderProgress) => void) | undefined,
    private readonly signal: AbortSignal | undefined,
  ) {}

  readonly progress: StageProgress = (stage, within, extra = {}) => {
    const [a, b] = (this.kind === 'preview' ? PREVIEW_SPAN[stage] : undefined) ?? STAGE_SPAN[stage];
    this.onProgress?.({ stage, fraction: a + (b - a) * clamp01(within), ...extra });
  };

  /** Progress inside window k (0-based) of n: each window takes its share of the encode..decode span, so the fraction only rises. */
  forWindow(k: number, n: number): StageProgress {
    if (n === 1) return this.progress;
    const lo = STAGE_SPAN.encode[0],
      hi = STAGE_SPAN.decode[1];
    return (stage, within, extra = {}) => {
      const [a, b] = STAGE_SPAN[stage];
      const local = (a + (b - a) * clamp01(within) - lo) / (hi - lo);
      this.onProgress?.({ stage, fraction: lo + ((hi - lo) * (k + local)) / n, ...extra, window: k + 1, windows: n });
    };
  }

  /**
   * Runs one stage's work, refusing to start it after a cancel, and adds its time to the stage's.
   * (No check after the work: the next stage's start checks, and a committed render stays done.)
   */
  async time<T>(stage: RenderStage, work: () => Promise<T> | T): Promise<T> {
    throwIfAborted(this.signal, stage);
    const start = performance.now();
    try {
      return await work();
    } finally {
      this.spent.set(stage, (this.spent.get(stage) ?? 0) + performance.now() - start);
    }
  }

  get timings(): StageTiming[] {
    return [...this.spent].map(([stage, ms]) => ({ stage, ms }));
  }
}
