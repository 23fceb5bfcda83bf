/**
 * Exact k-th smallest of non-negative float32 keys by radix selection on their bit patterns.
 *
 * For float32 values >= +0 (including +Infinity and NaNs with the sign bit clear) the IEEE bit
 * pattern read as an unsigned integer orders exactly as the values do, so the k-th smallest value
 * is found digit by digit: a histogram of the top 11 bits (bits 30..20; bit 31 is 0) picks the
 * bucket holding rank k, the keys in that bucket are gathered, and the next 10 bits (19..10) and
 * the last 10 (9..0) settle the rest. Each pass is one linear scan, so the cost is O(n) in the
 * worst case (no quickselect pivot luck), about two reads of the keys plus small tails, and it
 * also yields how many keys are strictly below the answer, which the tie-break needs.
 */

/** Scratch buffers for `selectKth`, grown on demand and reused across calls. */
export class SelectScratch {
  candidates = new Uint32Array(0);
  readonly hist = new Uint32Array(2048);

  ensure(n: number): void {
    if (this.candidates.length < n) this.candidates = new Uint32Array(n);
  }
}

export interface KthResult {
  /** Bit pattern of the k-th smallest key (as in a Uint32Array view of the float32 keys). */
  bits: number;
  /** How many keys are strictly smaller than it. */
  less: number;
}

/**
 * The k-th smallest (1-based, 1 <= k <= n) of the first `n` keys, given as the Uint32Array view of
 * non-negative float32 values. `keys` is not modified.
 */
export function selectKth(keys: Uint32Array, n: number, k: number, scratch: SelectScratch): KthResult {
  if (!(k >= 1 && k <= n)) throw new RangeError(`selectKth: k = ${k} outside 1..${n}`);
  scratch.ensure(n);
  const hist = scratch.hist;
  const cand = scratch.candidates;

  // Pass 1: bits 30..20 over all keys.
  hist.fill(0);
  for (let i = 0; i < n; i++) hist[keys[i] >>> 20]++;
  let rank = k; // rank still wanted inside the chosen bucket, 1-based
  let less = 0;
  let b = 0;
  while (hist[b] < rank) {
    rank -= hist[b];
    less += hist[b];
    b++;
  }
  const prefix1 = b;
  let m = 0;
  for (let i = 0; i < n; i++) {
    const v = keys[i];
    if (v >>> 20 === prefix1) cand[m++] = v;
  }

  // Pass 2: bits 19..10 over the bucket.
  hist.fill(0, 0, 1024);
  for (let i = 0; i < m; i++) hist[(cand[i] >>> 10) & 0x3ff]++;
  b = 0;
  while (hist[b] < rank) {
    rank -= hist[b];
    less += hist[b];
    b++;
  }
  const prefix2 = (prefix1 << 10) | b;
  let m2 = 0;
  for (let i = 0; i < m; i++) {
    const v = cand[i];
    if (v >>> 10 === prefix2) cand[m2++] = v;
  }

  // Pass 3: bits 9..0.
  hist.fill(0, 0, 1024);
  for (let i = 0; i < m2; i++) hist[cand[i] & 0x3ff]++;
  b = 0;
  while (hist[b] < rank) {
    rank -= hist[b];
    less += hist[b];
    b++;
  }
  return { bits: ((prefix2 << 10) | b) >>> 0, less };
}
