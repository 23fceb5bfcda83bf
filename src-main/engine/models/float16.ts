/**
 * IEEE 754 half-precision conversion. Node 20 has no Float16Array, and onnxruntime passes float16
 * tensors as Uint16Array bit patterns, so float16 models are fed and read through these.
 * Rounding is round-to-nearest-even, as hardware and numpy do; overflow goes to +-Infinity.
 */
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

export function float32ToFloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // Inf or NaN (quiet)
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // overflow
  if (e <= 0) {
    // Subnormal half (or zero): shift the implicit-one mantissa into place, rounding to nearest even.
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    let m = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    if (rest > half || (rest === half && m & 1)) m++;
    return sign | m;
  }
  let h = sign | (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && h & 1)) h++; // may carry into the exponent: still correct
  return h;
}

export function float16BitsToFloat32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/**
 * Array conversion: reads the float32 bit patterns through a Uint32Array view. Normal halves
 * (|v| in [2^-14, 2^16)) take a branch-free path: adding 0xfff plus the lowest kept bit rounds
 * the 13 dropped mantissa bits to nearest-even in place, carrying into the exponent when it must
 * (up to Infinity at 65520); subtracting 112 << 23 re-biases the exponent. The rest (zeros,
 * subnormals, overflow, NaN) go through float32ToFloat16Bits. Bit-identical to it for every input.
 */
export function toFloat16(src: ArrayLike<number>, out: Uint16Array = new Uint16Array(src.length)): Uint16Array {
  const f = src instanceof Float32Array ? src : Float32Array.from(src);
  const bits = new Uint32Array(f.buffer, f.byteOffset, f.length);
  for (let i = 0; i < bits.length; i++) {
    const x = bits[i];
    const a = x & 0x7fffffff;
    if (a >= 0x38800000 && a < 0x47800000)
      out[i] = ((x >>> 16) & 0x8000) | ((a + 0x0fff + ((a >>> 13) & 1) - 0x38000000) >>> 13);
    else out[i] = float32ToFloat16Bits(f[i]);
  }
  return out;
}

let halfTable: Float32Array | null = null;

/** Half to float32 through a 65536-entry table (256 KB, built once): every half is exact in float32. */
export function fromFloat16(src: Uint16Array, out: Float32Array = new Float32Array(src.length)): Float32Array {
  if (!halfTable) {
    halfTable = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) halfTable[h] = float16BitsToFloat32(h);
  }
  const t = halfTable;
  for (let i = 0; i < src.length; i++) out[i] = t[src[i]];
  return out;
}
