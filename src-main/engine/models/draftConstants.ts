/**
 * The draft model's fixed numbers (see draftGraphs.ts), in a pure module: the graphs are built
 * from them, and the live preview uses the draft VAE's exact latent-to-RGB map.
 */
import type { LatentRgbProjection } from '../sampler/preview';

export const DRAFT_DATA_STD = 0.005;
export const DRAFT_LATENT_SCALE = 0.18215;

/** Encoder colour matrix (rows: latent channels; columns: R, G, B) and bias. */
export const DRAFT_VAE_MATRIX = [
  [0.5, 0.3, 0.2],
  [-0.3, 0.6, -0.2],
  [0.2, -0.4, 0.5],
  [0.25, 0.25, -0.4],
];
export const DRAFT_VAE_BIAS = [0.1, -0.05, 0.02, 0.0];

/** Moore-Penrose pseudo-inverse of the 4x3 matrix: (M^T M)^-1 M^T, a 3x4 matrix. */
export function pseudoInverse4x3(m: number[][]): number[][] {
  const mtm = [0, 1, 2].map((i) => [0, 1, 2].map((j) => m.reduce((s, row) => s + row[i] * row[j], 0)));
  const inv = invert3(mtm);
  return [0, 1, 2].map((i) => [0, 1, 2, 3].map((r) => inv[i].reduce((s, v, k) => s + v * m[r][k], 0)));
}

function invert3(a: number[][]): number[][] {
  const [[a0, a1, a2], [b0, b1, b2], [c0, c1, c2]] = a;
  const det = a0 * (b1 * c2 - b2 * c1) - a1 * (b0 * c2 - b2 * c0) + a2 * (b0 * c1 - b1 * c0);
  if (Math.abs(det) < 1e-12) throw new Error('singular matrix');
  const cof = [
    [b1 * c2 - b2 * c1, a2 * c1 - a1 * c2, a1 * b2 - a2 * b1],
    [b2 * c0 - b0 * c2, a0 * c2 - a2 * c0, a2 * b0 - a0 * b2],
    [b0 * c1 - b1 * c0, a1 * c0 - a0 * c1, a0 * b1 - a1 * b0],
  ];
  return cof.map((row) => row.map((v) => v / det));
}

/**
 * The draft decoder as a preview projection on scaled latents z (= latentScale * VAE latent):
 * rgb in [-1,1] = pinv(M) (z / k - b), i.e. factors[c][j] = pinv[j][c] / k and bias = -pinv b.
 * The live preview of a draft render is then exactly the decoded frame, at latent resolution.
 */
export function draftPreviewProjection(latentScale = DRAFT_LATENT_SCALE): LatentRgbProjection {
  const pinv = pseudoInverse4x3(DRAFT_VAE_MATRIX);
  const factors: number[] = [];
  for (let c = 0; c < 4; c++) for (let j = 0; j < 3; j++) factors.push(pinv[j][c] / latentScale);
  const bias = [0, 1, 2].map((j) => -pinv[j].reduce((s, v, c) => s + v * DRAFT_VAE_BIAS[c], 0)) as [
    number,
    number,
    number,
  ];
  return { factors, bias };
}
