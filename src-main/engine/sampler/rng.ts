import { CamtrackError } from '../util/errors';

/**
 * Seeded Gaussian noise that is bit-identical on every platform and JS engine.
 *
 * Generator: xoshiro128** 1.1 (Blackman & Vigna), 32-bit words, only Math.imul, shifts and xors,
 * which every engine evaluates exactly. Seeding from a 32-bit seed: the four state words are the
 * first four outputs of SplitMix32 started at the seed (state += 0x9E3779B9, then the murmur3
 * fmix32 finaliser: z ^= z >>> 16; z *= 0x85EBCA6B; z ^= z >>> 13; z *= 0xC2B2AE35; z ^= z >>> 16).
 *
 * Normals: Marsaglia's polar method on uniforms u, v in (-1, 1) with 53-bit resolution (two 32-bit
 * outputs per uniform: (a >>> 5) * 2^26 + (b >>> 6), over 2^53). Pairs (u, v) with s = u^2 + v^2
 * outside (0, 1) are rejected; otherwise both z1 = u * f and z2 = v * f are emitted, in that order,
 * with f = sqrt(-2 ln(s) / s).
 *
 * What is guaranteed: the method uses IEEE-754 double +, -, *, / (exact by the ECMAScript spec,
 * which forbids fused multiply-add contraction), Math.sqrt (correctly rounded by IEEE 754; every
 * engine maps it to the hardware instruction), and `ln` below, written in the same basic operations,
 * because Math.log is only "implementation-approximated" and does differ between libms. So the
 * sequence is the same bits in Node, Electron, Chrome, Firefox and Safari on x64 and arm64. The
 * values are then rounded to float32 (Float32Array stores round to nearest even).
 */

const GOLDEN_GAMMA = 0x9e3779b9;

function fmix32(z: number): number {
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function assertSeed(seed: number): void {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new CamtrackError('bad-input', `A seed must be a whole number from 0 to 4294967295 (got ${seed}).`);
  }
}

/** xoshiro128** with the SplitMix32 seeding above. `nextU32` returns an unsigned 32-bit integer. */
export class Xoshiro128ss {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    assertSeed(seed);
    let sm = seed >>> 0;
    const next = (): number => {
      sm = (sm + GOLDEN_GAMMA) >>> 0;
      return fmix32(sm);
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    // fmix32 is a bijection, so four consecutive outputs are never all zero; kept as a guard.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  nextU32(): number {
    const s1 = this.s1;
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return r >>> 0;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  nextDouble(): number {
    const a = this.nextU32() >>> 5;
    const b = this.nextU32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

// ln(x) in basic IEEE operations only (see the header). x = m * 2^e with m in [sqrt(1/2), sqrt(2)),
// ln(m) = 2 atanh(t) with t = (m - 1) / (m + 1), |t| <= 0.1716, summed to t^25 (truncation below
// 1e-20 relative); e * ln 2 is added with ln 2 split in two (fdlibm's ln2_hi / ln2_lo). Accurate to
// a few ulp, which is all the noise needs; what matters is that it is the same bits everywhere.
const LN2_HI = 6.9314718036912381649e-1;
const LN2_LO = 1.90821492927058770002e-10;
const SQRT2 = 1.4142135623730951;
const ATANH_COEF: number[] = [];
for (let k = 12; k >= 1; k--) ATANH_COEF.push(1 / (2 * k + 1));
const bitsView = new DataView(new ArrayBuffer(8));

export function ln(x: number): number {
  if (!(x > 0)) return x === 0 ? -Infinity : NaN;
  if (x === Infinity) return Infinity;
  let e = 0;
  if (x < 2.2250738585072014e-308) {
    x *= 18014398509481984; // 2^54: subnormals become normal
    e = -54;
  }
  bitsView.setFloat64(0, x);
  const hi = bitsView.getUint32(0);
  e += ((hi >>> 20) & 0x7ff) - 1023;
  bitsView.setUint32(0, (hi & 0x000fffff) | 0x3ff00000); // same mantissa, exponent 0: m in [1, 2)
  let m = bitsView.getFloat64(0);
  if (m > SQRT2) {
    m *= 0.5;
    e += 1;
  }
  const f = m - 1;
  const t = f / (2 + f);
  const t2 = t * t;
  let p = ATANH_COEF[0];
  for (let i = 1; i < ATANH_COEF.length; i++) p = p * t2 + ATANH_COEF[i];
  // ln m = 2t + 2t * t2 * p  (p = 1/3 + t2/5 + ...)
  const lnm = 2 * t + 2 * t * t2 * p;
  return e * LN2_HI + (lnm + e * LN2_LO);
}

/** A stream of standard normals, reproducible from the seed (see the header for the method). */
export class GaussianStream {
  private readonly rng: Xoshiro128ss;
  private spare = 0;
  private hasSpare = false;

  constructor(seed: number) {
    this.rng = new Xoshiro128ss(seed);
  }

  next(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.rng.nextDouble() - 1;
      v = 2 * this.rng.nextDouble() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * ln(s)) / s);
    this.spare = v * f;
    this.hasSpare = true;
    return u * f;
  }
}

/** Fills `out` with standard normals from `seed`, element 0 first; returns `out`. */
export function fillGaussian(out: Float32Array, seed: number): Float32Array {
  const g = new GaussianStream(seed);
  for (let i = 0; i < out.length; i++) out[i] = g.next();
  return out;
}

/** `n` standard normals from `seed` as float32. */
export function gaussianNoise(n: number, seed: number): Float32Array {
  if (!Number.isInteger(n) || n < 0)
    throw new CamtrackError('bad-input', `Noise length must be a whole number (got ${n}).`);
  return fillGaussian(new Float32Array(n), seed);
}
