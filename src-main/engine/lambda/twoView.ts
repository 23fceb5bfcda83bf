import { CamtrackError } from '../util/errors';
import { type DefaultLambda, K, K2, K4, SEARCH_V1, SEARCH_V2, SEARCH_V3, entry, rowSigmas } from './search';
import { makeLambdaTable } from './table';

/**
 * The lambda table of the reference's two-image script (svd_interpolate_two_img_dgs.py, its
 * compute_dists and search_hypers), for the reference fidelity with two photos. Its search is the
 * single-image one with the frame time t / (F - 1) replaced by a distance per frame: the camera's
 * world-to-camera translation against the first photo's, for the frames before a split point, or
 * the last photo's after it, divided by the largest. The split is where scipy's bounded scalar
 * minimiser lands on the sum of those distances (ported below, since the function it minimises is
 * piecewise constant and only its path decides). Frames 0 and F - 1 are 1.
 */

/** scipy.optimize.minimize_scalar(f, bounds=(x1, x2), method='bounded'): Brent's method, its x. */
export function fminbound(f: (x: number) => number, x1: number, x2: number, xatol = 1e-5, maxiter = 500): number {
  const sqrtEps = Math.sqrt(2.2e-16);
  const goldenMean = 0.5 * (3.0 - Math.sqrt(5.0));
  let a = x1;
  let b = x2;
  let fulc = a + goldenMean * (b - a);
  let nfc = fulc;
  let xf = fulc;
  let rat = 0;
  let e = 0;
  let x = xf;
  let fx = f(x);
  let num = 1;
  let ffulc = fx;
  let fnfc = fx;
  let xm = 0.5 * (a + b);
  let tol1 = sqrtEps * Math.abs(xf) + xatol / 3.0;
  let tol2 = 2.0 * tol1;
  const sign = (v: number) => (v > 0 ? 1 : v < 0 ? -1 : 0);
  while (Math.abs(xf - xm) > tol2 - 0.5 * (b - a)) {
    let golden = true;
    if (Math.abs(e) > tol1) {
      golden = false;
      let r = (xf - nfc) * (fx - ffulc);
      let q = (xf - fulc) * (fx - fnfc);
      let p = (xf - fulc) * q - (xf - nfc) * r;
      q = 2.0 * (q - r);
      if (q > 0.0) p = -p;
      q = Math.abs(q);
      r = e;
      e = rat;
      if (Math.abs(p) < Math.abs(0.5 * q * r) && p > q * (a - xf) && p < q * (b - xf)) {
        rat = (p + 0.0) / q;
        x = xf + rat;
        if (x - a < tol2 || b - x < tol2) rat = tol1 * (sign(xm - xf) + (xm - xf === 0 ? 1 : 0));
      } else golden = true;
    }
    if (golden) {
      e = xf >= xm ? a - xf : b - xf;
      rat = goldenMean * e;
    }
    x = xf + (sign(rat) + (rat === 0 ? 1 : 0)) * Math.max(Math.abs(rat), tol1);
    const fu = f(x);
    num++;
    if (fu <= fx) {
      if (x >= xf) a = xf;
      else b = xf;
      fulc = nfc;
      ffulc = fnfc;
      nfc = xf;
      fnfc = fx;
      xf = x;
      fx = fu;
    } else {
      if (x < xf) a = x;
      else b = x;
      if (fu <= fnfc || nfc === xf) {
        fulc = nfc;
        ffulc = fnfc;
        nfc = x;
        fnfc = fu;
      } else if (fu <= ffulc || fulc === xf || fulc === nfc) {
        fulc = x;
        ffulc = fu;
      }
    }
    xm = 0.5 * (a + b);
    tol1 = sqrtEps * Math.abs(xf) + xatol / 3.0;
    tol2 = 2.0 * tol1;
    if (num >= maxiter) break;
  }
  return xf;
}

const norm3 = (v: readonly number[]) => Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
const sub3 = (p: readonly number[], q: readonly number[]) => [p[0] - q[0], p[1] - q[1], p[2] - q[2]];

/** compute_dists: per frame, the normalised distance of its world-to-camera translation to the nearer end's. */
export function referenceTwoViewDistances(translations: readonly (readonly number[])[]): Float64Array {
  const n = translations.length;
  if (n < 3) throw new CamtrackError('bad-input', `The two-view lambda table needs at least 3 frames (got ${n}).`);
  const total = (index: number) => {
    const i = Math.trunc(index);
    if (i <= 0 || i >= n - 1) return Infinity;
    let left = 0;
    for (let k = 0; k < i; k++) left += norm3(sub3(translations[k], translations[0]));
    let right = 0;
    for (let k = i; k < n; k++) right += norm3(sub3(translations[k], translations[n - 1]));
    return left + right;
  };
  const split = Math.trunc(fminbound(total, 1, n - 2));
  const d = translations.map((t, k) => norm3(sub3(t, translations[k < split ? 0 : n - 1])));
  const max = Math.max(...d);
  return Float64Array.from(d, (v) => v / max);
}

/** search_hypers of the two-image script: the first valid triple with the strictly greatest score. */
export function referenceTwoViewLambda(sigmas: ArrayLike<number>, dists: Float64Array): DefaultLambda {
  const sn = rowSigmas(sigmas);
  const F = dists.length;
  const steps = sn.length;
  const out = new Float64Array(steps * F);
  const best = { score: 0, v1: 0, v2: 0, v3: 0 };
  const fill = (v1: number, v2: number, v3: number, into: Float64Array | null): number => {
    const tv1 = 2 * v1;
    const kv1 = K * v1;
    const k2v1 = K2 * v1;
    const k4v1 = K4 * v1;
    let score = 0;
    for (let i = 0; i < steps; i++) {
      const v2sn = v2 * sn[i];
      for (let t = 0; t < F; t++) {
        const lam = t === 0 || t === F - 1 ? 1 : entry(v3 * Math.abs(dists[t]) - v2sn, tv1, kv1, k2v1, k4v1);
        if (lam !== lam) return -1;
        if (lam > 0.5) score++;
        if (into) into[i * F + t] = lam;
      }
    }
    return score;
  };
  for (const v1 of SEARCH_V1)
    for (const v2 of SEARCH_V2)
      for (const v3 of SEARCH_V3) {
        const score = fill(v1, v2, v3, null);
        if (score > best.score) Object.assign(best, { score, v1, v2, v3 });
      }
  if (best.score === 0)
    throw new CamtrackError(
      'bad-input',
      `No (v1, v2, v3) of the search grid gives a valid two-view lambda table for these ${steps} steps and ${F} frames.`,
    );
  fill(best.v1, best.v2, best.v3, out);
  return { table: makeLambdaTable(steps, F, out), ...best };
}
