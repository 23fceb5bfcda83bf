/**
 * Exact k-th smallest of float32 keys by radix selection on their bit patterns.
 *
 * For float32 values >= +0 (including +Infinity) the IEEE bit pattern read as an unsigned integer
 * orders exactly as the values do; patterns with the sign bit set (never produced by |a - b|) sort
 * after all of them, which lets a caller park keys it wants excluded at 0xFFFFFFFF. The k-th
 * smallest pattern is found digit by digit: a histogram of the top 12 bits picks the bucket that
 * holds rank k, the keys in that bucket are gathered, and the next 10 bits (19..10) and the last
 * 10 (9..0) settle the rest. Each pass is one linear scan, so the cost is O(n) in the worst case
 * (no quickselect pivot luck): one read of the keys for the histogram, one to gather the bucket,
 * then small tails. It also yields how many keys are strictly below the answer, which the
 * tie-break needs.
 */

/** Scratch buffers for `selectKth`, grown on demand and reused across calls. */
export class SelectScratch {
  candidates = new Uint32Array(0);
  /** Four interleaved 4096-bin histograms for pass 1 (breaks the store-to-load chains of repeated bins). */
  readonly hist4 = new Uint32Array(4 * 4096);
  readonly hist = new Uint32Array(1024);

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
 * the float32 keys. `keys` is not modified.
 */
export function selectKth(keys: Uint32Array, n: number, k: number, scratch: SelectScratch): KthResult {
  const top = topBucket(keys, n, k, scratch);
  return kthInBucket(keys, n, top.bucket, k - top.less, top.less, scratch);
}

export interface TopBucket {
  /** The top 12 bits (bits 31..20) shared by the k-th smallest key. */
  bucket: number;
  /** Keys in lower buckets (all strictly smaller than the k-th). */
  less: number;
  /** Keys in this bucket. */
  count: number;
}

/** Pass 1 alone: which 12-bit bucket holds the k-th smallest of the first `n` keys. */
export function topBucket(keys: Uint32Array, n: number, k: number, scratch: SelectScratch): TopBucket {
  if (!(k >= 1 && k <= n)) throw new RangeError(`selectKth: k = ${k} outside 1..${n}`);
  const h4 = scratch.hist4;
  h4.fill(0);
  let i = 0;
  for (; i + 3 < n; i += 4) {
    h4[(keys[i] >>> 20) << 2]++;
    h4[((keys[i + 1] >>> 20) << 2) | 1]++;
    h4[((keys[i + 2] >>> 20) << 2) | 2]++;
    h4[((keys[i + 3] >>> 20) << 2) | 3]++;
  }
  for (; i < n; i++) h4[(keys[i] >>> 20) << 2]++;
  let rank = k;
  let less = 0;
  let b = 0;
  for (;;) {
    const q = b << 2;
    const count = h4[q] + h4[q + 1] + h4[q + 2] + h4[q + 3];
    if (count >= rank) return { bucket: b, less, count };
    rank -= count;
    less += count;
    b++;
  }
}

/** Passes 2 and 3: the key of rank `rank` (1-based) among the keys whose top 12 bits are `bucket`. */
function kthInBucket(
  keys: Uint32Array,
  n: number,
  bucket: number,
  rank: number,
  less: number,
  scratch: SelectScratch,
): KthResult {
  scratch.ensure(n);
  const hist = scratch.hist;
  const cand = scratch.candidates;
  const prefix1 = bucket;
  let m = 0;
  for (let j = 0; j < n; j++) {
    const v = keys[j];
    if (v >>> 20 === prefix1) cand[m++] = v;
  }

  // Pass 2: bits 19..10 over the bucket.
  hist.fill(0);
  for (let j = 0; j < m; j++) hist[(cand[j] >>> 10) & 0x3ff]++;
  let b = 0;
  while (hist[b] < rank) {
    rank -= hist[b];
    less += hist[b];
    b++;
  }
  const prefix2 = prefix1 * 1024 + b; // up to 22 bits
  let m2 = 0;
  for (let j = 0; j < m; j++) {
    const v = cand[j];
    if (v >>> 10 === prefix2) cand[m2++] = v;
  }

  // Pass 3: bits 9..0.
  hist.fill(0);
  for (let j = 0; j < m2; j++) hist[cand[j] & 0x3ff]++;
  b = 0;
  while (hist[b] < rank) {
    rank -= hist[b];
    less += hist[b];
    b++;
  }
  return { bits: prefix2 * 1024 + b, less };
}
