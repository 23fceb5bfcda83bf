import { CamtrackError } from '../util/errors';
import { validateSigmas } from '../schedule/sigmas';
import { makeLambdaTable, type LambdaTable } from './table';

/**
 * The default lambda table: the closed form of NVS-Solver's `search_hypers` (docs/design.md, "The lambda table"),
 * value for value. What reading the reference (ZHU-Zhiyu/NVS_Solver, svd_interpolate_single_img.py)
 * settled:
 * - rows are `sigmas[:-1]` (the schedule without its final 0), sn = sigma / max(sigmas[:-1]);
 * - the reference hard-codes 25 frames (tau in range(25), tau / 24, index_list 1..24); for F
 *   frames this is tn = t / (F - 1), and frame 0 (not in index_list) is 1;
 * - v1 = np.linspace(0.001, 0.009, 9) (float64, i * 0.001 + 0.001 with the last exactly 0.009),
 *   v2 = 50..1000 step 50, v3 = 10..100 step 10, looped v1, v2, v3;
 * - sqrt of a negative gives NaN there (numpy float64), which passes `np.isreal` but fails every
 *   comparison: such a candidate is never accepted, as if it did not exist;
 * - the score counts entries > 0.5 over the whole table, column 0 included (a constant `steps`
 *   for every valid triple, so it does not change the choice); the best starts at 0 and a triple
 *   replaces it only with a strictly greater score, so ties keep the earliest triple;
 * - an entry with no accepted candidate makes the whole triple invalid.
 * The arithmetic below keeps the reference's operation order ((2k)v1, ((4k)v1)(kv1 + Qb), ...),
 * so results agree to the last bit except where libm's pow(x, 0.5) and sqrt differ (<= 1 ulp).
 */
export const K = 0.8;
const B = -0.2;
export const K2 = 2 * K;
export const K4 = 4 * K;

/** numpy.linspace(0.001, 0.009, 9): start + i * step, the endpoint set exactly. */
export const SEARCH_V1: readonly number[] = Array.from({ length: 9 }, (_, i) =>
  i === 8 ? 0.009 : i * ((0.009 - 0.001) / 8) + 0.001,
);
export const SEARCH_V2: readonly number[] = Array.from({ length: 20 }, (_, i) => 50 * (i + 1));
export const SEARCH_V3: readonly number[] = Array.from({ length: 10 }, (_, i) => 10 * (i + 1));

export interface DefaultLambda {
  table: LambdaTable;
  v1: number;
  v2: number;
  v3: number;
  /** Entries > 0.5 over the whole table, column 0 included (the reference's score). */
  score: number;
}

/**
 * One entry of the table for t >= 1, or NaN when no candidate is accepted.
 * `tv1` = 2 v1, `kv1` = k v1, `k2v1` = 2 k v1, `k4v1` = 4 k v1 (precomputed per v1).
 */
export function entry(Q: number, tv1: number, kv1: number, k2v1: number, k4v1: number): number {
  const kQ = K * Q;
  const qb = Q * B;
  // a = +v1: accept a root > 1.
  let A = tv1 + kQ;
  let Bq = k2v1 + kQ;
  let disc = Bq * Bq - k4v1 * (kv1 + qb);
  if (disc >= 0) {
    const r = Math.sqrt(disc);
    let L = (-A + r) / k2v1;
    if (L > 1) return L / (1 + L);
    L = (-A - r) / k2v1;
    if (L > 1) return L / (1 + L);
  }
  // a = -v1 (every product with v1 just changes sign, exactly): accept a root in (0, 1].
  A = -tv1 + kQ;
  Bq = -k2v1 + kQ;
  disc = Bq * Bq - -k4v1 * (-kv1 + qb);
  if (disc >= 0) {
    const r = Math.sqrt(disc);
    let L = (-A + r) / -k2v1;
    if (L <= 1 && L > 0) return L / (1 + L);
    L = (-A - r) / -k2v1;
    if (L <= 1 && L > 0) return L / (1 + L);
  }
  return NaN;
}

/** Normalised sigmas of the rows (schedule without its final 0, divided by their max). */
export function rowSigmas(sigmas: ArrayLike<number>): Float64Array {
  validateSigmas(sigmas);
  const n = sigmas.length - 1;
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (sigmas[i] > max) max = sigmas[i];
  const sn = new Float64Array(n);
  for (let i = 0; i < n; i++) sn[i] = sigmas[i] / max;
  return sn;
}

function frameTimes(frames: number): Float64Array {
  if (!Number.isInteger(frames) || frames < 2)
    throw new CamtrackError('bad-input', `The default lambda table needs at least 2 frames (got ${frames}).`);
  const tn = new Float64Array(frames);
  for (let t = 0; t < frames; t++) tn[t] = t / (frames - 1);
  return tn;
}

/** Fills `out` (row-major, steps x frames) for one triple; returns false at the first entry with no accepted candidate. */
function fill(sn: Float64Array, tn: Float64Array, v1: number, v2: number, v3: number, out: Float64Array): boolean {
  const steps = sn.length;
  const frames = tn.length;
  const tv1 = 2 * v1;
  const kv1 = K * v1;
  const k2v1 = K2 * v1;
  const k4v1 = K4 * v1;
  for (let i = 0; i < steps; i++) {
    const v2sn = v2 * sn[i];
    const row = i * frames;
    out[row] = 1;
    for (let t = 1; t < frames; t++) {
      const lam = entry(v3 * tn[t] - v2sn, tv1, kv1, k2v1, k4v1);
      if (lam !== lam) return false;
      out[row + t] = lam;
    }
  }
  return true;
}

/**
 * Where each branch accepts, worked out from the formulas (k = 0.8, b = -0.2, a = v1 > 0):
 * for a = +v1, B^2 - C = 0.64 Q (Q + 5a): real roots need Q >= 0 or Q <= -5a; for Q >= 0 both
 * roots are negative, for Q <= -5a the first is >= 1.25 > 1 (so Lambda > 0.5).
 * For a = -v1, B^2 - C = 0.64 Q (Q - 5a): for Q <= 0 both roots are negative, for Q >= 5a the
 * first root is in (0, 1] exactly when Q >= 5.0625a (so Lambda <= 0.5), and the second is larger.
 * Hence: Q <= -5a counts, Q >= 5.0625a is valid and does not count, anything between makes the
 * triple invalid. Scoring only needs Q against these two thresholds; within a relative band of
 * 1e-6 around either one (where rounding could decide) the entry is evaluated exactly instead.
 * Q = v3 tn - v2 sn increases along a row (rounding is monotone): the counted frames are found by
 * binary search, and once Q is past the upper threshold the rest of the row is valid and
 * uncounted. The tests check this score against the literal evaluation for every grid triple.
 */
const LO = -5;
const HI = 5.0625;
const BAND = 1e-6;
/**
 * For Q > 0 the accepted root is computed, as in the reference, as a difference of two numbers
 * near 0.8Q that is about 2.5 v1^2 / Q: it keeps its sign and (0, 1] range while Q / v1 is below
 * about 1e5 (the grid reaches 1e5 at most). Rows that go further are evaluated exactly, so that
 * lambdaTripleScore agrees with the reference for any parameters.
 */
const FAR = 1e5;

/** The reference's score of one triple (entries > 0.5, column 0 included), or -1 when invalid. */
function scoreTriple(sn: Float64Array, tn: Float64Array, v1: number, v2: number, v3: number): number {
  const steps = sn.length;
  const frames = tn.length;
  const loSafe = (LO - BAND) * v1;
  const loRisk = (LO + BAND) * v1;
  const hiRisk = (HI - BAND) * v1;
  const hiSafe = (HI + BAND) * v1;
  const hiFar = FAR * v1;
  const tv1 = 2 * v1;
  const kv1 = K * v1;
  const k2v1 = K2 * v1;
  const k4v1 = K4 * v1;
  let score = steps; // column 0 is 1 > 0.5 in every row
  for (let i = 0; i < steps; i++) {
    const v2sn = v2 * sn[i];
    // Binary search for the first frame whose Q is not safely below the lower threshold.
    let lo = 1;
    let hi = frames;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (v3 * tn[mid] - v2sn < loSafe) lo = mid + 1;
      else hi = mid;
    }
    score += lo - 1;
    const farRow = v3 * tn[frames - 1] - v2sn >= hiFar; // the row's largest Q
    for (let t = lo; t < frames; t++) {
      const Q = v3 * tn[t] - v2sn;
      if (Q > hiSafe && !farRow) break;
      if (Q > loRisk && Q < hiRisk) return -1;
      const lam = entry(Q, tv1, kv1, k2v1, k4v1);
      if (lam !== lam) return -1;
      if (lam > 0.5) score++;
    }
  }
  return score;
}

function checkTriple(v1: number, v2: number, v3: number): void {
  if (!(v1 > 0) || !Number.isFinite(v1) || !Number.isFinite(v2) || !Number.isFinite(v3)) {
    throw new CamtrackError(
      'bad-input',
      `Lambda parameters must be finite with v1 > 0 (got v1=${v1}, v2=${v2}, v3=${v3}).`,
    );
  }
}

/**
 * The closed-form table for one (v1, v2, v3), or null when some entry has no accepted candidate
 * (the reference then skips the triple). `sigmas` is the full schedule, final 0 included.
 */
export function lambdaForTriple(
  sigmas: ArrayLike<number>,
  frames: number,
  v1: number,
  v2: number,
  v3: number,
): LambdaTable | null {
  checkTriple(v1, v2, v3);
  const sn = rowSigmas(sigmas);
  const tn = frameTimes(frames);
  const out = new Float64Array(sn.length * frames);
  if (!fill(sn, tn, v1, v2, v3, out)) return null;
  return makeLambdaTable(sn.length, frames, out);
}

/** The score defaultLambda ranks a triple by (-1 when invalid); for tests and the editor. */
export function lambdaTripleScore(
  sigmas: ArrayLike<number>,
  frames: number,
  v1: number,
  v2: number,
  v3: number,
): number {
  checkTriple(v1, v2, v3);
  return scoreTriple(rowSigmas(sigmas), frameTimes(frames), v1, v2, v3);
}

/**
 * The reference's search: the first valid triple of the grid with the strictly greatest score.
 * Triples are only scored (no table, no allocation, see scoreTriple); the winner's table is
 * filled once at the end, entry by entry with the reference's arithmetic.
 */
export function defaultLambda(sigmas: ArrayLike<number>, frames: number): DefaultLambda {
  const sn = rowSigmas(sigmas);
  const tn = frameTimes(frames);
  let best = 0;
  let bv1 = 0;
  let bv2 = 0;
  let bv3 = 0;
  for (const v1 of SEARCH_V1) {
    for (const v2 of SEARCH_V2) {
      for (const v3 of SEARCH_V3) {
        const score = scoreTriple(sn, tn, v1, v2, v3);
        if (score > best) {
          best = score;
          bv1 = v1;
          bv2 = v2;
          bv3 = v3;
        }
      }
    }
  }
  const out = new Float64Array(sn.length * frames);
  if (best === 0 || !fill(sn, tn, bv1, bv2, bv3, out)) {
    throw new CamtrackError(
      'bad-input',
      `No (v1, v2, v3) of the search grid gives a valid default lambda table for these ${sn.length} steps and ${frames} frames. Use a constant or painted table instead.`,
    );
  }
  return { table: makeLambdaTable(sn.length, frames, out), v1: bv1, v2: bv2, v3: bv3, score: best };
}

/** The reference's score of any table: entries > 0.5, column 0 included. */
export function lambdaScore(table: LambdaTable): number {
  let n = 0;
  for (let i = 0; i < table.data.length; i++) if (table.data[i] > 0.5) n++;
  return n;
}
