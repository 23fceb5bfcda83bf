/**
 * IEEE 754 binary16 to a JS number, exactly (every half value is a float32 and a float64):
 * 1 sign bit, 5 exponent bits (bias 15), 10 fraction bits. Exponent 0 holds zero and the
 * subnormals (fraction * 2^-24); exponent 31 holds the infinities and NaN.
 */
export function decodeFloat16(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1024 + frac) * 2 ** (exp - 25);
}
