/**
 * The lambda table in an artist's words: what a value does to a frame at a step. Pure: the
 * readout under the heatmap, the screen reader's line and the Help page's examples use it.
 *
 * λ is the share of a frame the sampler takes from the warped photo at that denoising step (the
 * rest the model makes itself): 1 follows the warped photo wherever it has pixels, 0 leaves the
 * model free. Steps are counted from 1 (the noisiest) as the render's progress counts them.
 */

/** What a λ value does, in words. */
export function lambdaMeaning(v: number): string {
  if (v >= 0.95) return 'the frame keeps to the warped photo wherever it has pixels';
  if (v >= 0.7) return 'the frame follows the warped photo closely';
  if (v >= 0.4) return 'the frame leans on the warped photo; the model adds its own detail';
  if (v >= 0.1) return 'the model mostly invents, nudged by the warped photo';
  return 'the model is free to invent';
}

/** 0.4 -> "0.40", 0.125 -> "0.125", 1 -> "1.00". */
export function formatLambda(v: number): string {
  const three = v.toFixed(3);
  return Number(three) === Number(v.toFixed(2)) ? v.toFixed(2) : three;
}

export interface CellPlace {
  /** 0-based row and column of the table. */
  row: number;
  col: number;
  steps: number;
  value: number;
  lambdaMin: number;
  /** The step's sigma, already formatted ("322"). */
  sigma: string;
  /** Where the frame sits in the render's windows, when it renders in windows. */
  windowPlace?: string;
}

/** "step 3 of 25 (σ 322), frame 12: 0.82, the frame follows the warped photo closely". */
export function describeCell(c: CellPlace): string {
  const where = `step ${c.row + 1} of ${c.steps} (σ ${c.sigma}), frame ${c.col}${c.windowPlace ? ` (${c.windowPlace})` : ''}`;
  if (c.col === 0) return `${where}: the source photo itself, never guided`;
  if (c.value < c.lambdaMin)
    return `${where}: ${formatLambda(c.value)}, used as the floor ${formatLambda(c.lambdaMin)}: ${lambdaMeaning(c.lambdaMin)}`;
  return `${where}: ${formatLambda(c.value)}, ${lambdaMeaning(c.value)}`;
}
