/**
 * Viridis, the perceptually uniform colour map (lightness rises steadily from 0 to 1, readable in
 * grey and by most colour-blind viewers), computed from a 6th-degree polynomial fit of the
 * matplotlib table (Matt Zucker's fit; within 2% of the table everywhere) instead of shipping it.
 */
const C: readonly (readonly [number, number, number])[] = [
  [0.2777273272234177, 0.005407344544966578, 0.3340998053353061],
  [0.1050930431085774, 1.404613529898575, 1.384590162594685],
  [-0.3308618287255563, 0.214847559468213, 0.09509516302823659],
  [-4.634230498983486, -5.799100973351585, -19.33244095627987],
  [6.228269936347081, 14.17993336680509, 56.69055260068105],
  [4.776384997670288, -13.74514537774601, -65.35303263337234],
  [-5.435455855934631, 4.645852612178535, 26.3124352495832],
];

/** Viridis at t in [0, 1] (clamped) as 0..1 RGB. */
export function viridis(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t));
  const out: [number, number, number] = [0, 0, 0];
  for (let ch = 0; ch < 3; ch++) {
    let v = C[6][ch];
    for (let k = 5; k >= 0; k--) v = C[k][ch] + x * v;
    out[ch] = Math.min(1, Math.max(0, v));
  }
  return out;
}

/** Entries of a lookup table: values are quantised to 1/1023, far below what an eye tells apart. */
export const LUT_SIZE = 1024;

/** RGB bytes for LUT_SIZE evenly spaced values of [0, 1] (3 bytes each). */
export function viridisLut(): Uint8Array {
  const lut = new Uint8Array(LUT_SIZE * 3);
  for (let i = 0; i < LUT_SIZE; i++) {
    const [r, g, b] = viridis(i / (LUT_SIZE - 1));
    lut[i * 3] = Math.round(r * 255);
    lut[i * 3 + 1] = Math.round(g * 255);
    lut[i * 3 + 2] = Math.round(b * 255);
  }
  return lut;
}

/** Index of a value in the lookup table (values outside [0, 1] take the ends). */
export function lutIndex(v: number): number {
  if (!(v > 0)) return 0;
  if (v >= 1) return LUT_SIZE - 1;
  return Math.round(v * (LUT_SIZE - 1));
}

/** CSS colour of a value, for the legend and the profile graph. */
export function cssColour(v: number): string {
  const [r, g, b] = viridis(v);
  return `rgb(${Math.round(r * 255)}, ${Math.round(g * 255)}, ${Math.round(b * 255)})`;
}

/** Relative luminance (sRGB, Rec. 709 weights on linearised channels). */
export function luminance([r, g, b]: readonly [number, number, number]): number {
  const lin = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}
