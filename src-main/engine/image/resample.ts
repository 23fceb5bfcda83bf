import type { Placement } from './fit';
import { createRgbImage, type RgbImage } from './types';

/**
 * Resamples an image onto a placement's grid with a separable triangle filter that widens when
 * shrinking (antialiasing: its radius is max(1, 1/scale) source pixels). Output pixels whose
 * centres fall outside the source (the bars of 'pad') are black. With scale 1 and an integer
 * offset every output pixel centre lands on a source pixel centre and the copy is exact.
 */
export function resampleImage(src: RgbImage, p: Placement): RgbImage {
  if (src.width !== p.srcWidth || src.height !== p.srcHeight)
    throw new Error('resampleImage: placement is for another size');
  const cols = axisWeights(p.srcWidth, p.width, p.scaleX, p.offsetX);
  const rows = axisWeights(p.srcHeight, p.height, p.scaleY, p.offsetY);
  const sw = src.width;
  const tmp = new Float32Array(src.height * p.width * 3);
  const s = src.data;
  const cStart = cols.start,
    cCount = cols.count,
    cOff = cols.offset,
    cW = cols.weights;
  // Horizontal pass: every source row onto the output columns.
  for (let y = 0; y < src.height; y++) {
    const rowIn = y * sw * 3;
    const rowOut = y * p.width * 3;
    for (let u = 0; u < p.width; u++) {
      const start = cStart[u];
      const count = cCount[u];
      const w0 = cOff[u];
      let r = 0,
        g = 0,
        b = 0;
      for (let k = 0; k < count; k++) {
        const w = cW[w0 + k];
        const i = rowIn + (start + k) * 3;
        r += w * s[i];
        g += w * s[i + 1];
        b += w * s[i + 2];
      }
      const o = rowOut + u * 3;
      tmp[o] = r;
      tmp[o + 1] = g;
      tmp[o + 2] = b;
    }
  }
  const out = createRgbImage(p.width, p.height);
  const d = out.data;
  const stride = p.width * 3;
  for (let v = 0; v < p.height; v++) {
    const start = rows.start[v];
    const count = rows.count[v];
    const w0 = rows.offset[v];
    const o = v * stride;
    for (let k = 0; k < count; k++) {
      const w = rows.weights[w0 + k];
      const i = (start + k) * stride;
      for (let x = 0; x < stride; x++) d[o + x] += w * tmp[i + x];
    }
  }
  return out;
}

interface AxisWeights {
  start: Int32Array;
  count: Int32Array;
  offset: Int32Array;
  weights: Float64Array;
}

/** Filter taps for each output index along one axis; weights of an output index sum to 1 (or it has none). */
function axisWeights(srcLen: number, outLen: number, scale: number, offset: number): AxisWeights {
  const radius = Math.max(1, 1 / scale);
  const start = new Int32Array(outLen);
  const count = new Int32Array(outLen);
  const off = new Int32Array(outLen);
  const all: number[] = [];
  for (let u = 0; u < outLen; u++) {
    off[u] = all.length;
    const xs = (u + 0.5 + offset) / scale; // output pixel centre in source coordinates
    if (xs < 0 || xs >= srcLen) continue; // a pad bar: black
    const lo = Math.max(0, Math.ceil(xs - 0.5 - radius));
    const hi = Math.min(srcLen - 1, Math.floor(xs - 0.5 + radius));
    let sum = 0;
    const taps: number[] = [];
    for (let j = lo; j <= hi; j++) {
      const w = Math.max(0, 1 - Math.abs(j + 0.5 - xs) / radius);
      taps.push(w);
      sum += w;
    }
    // Trim zero taps at both ends so an exact hit reads one pixel.
    let a = 0;
    let b = taps.length - 1;
    while (a <= b && taps[a] === 0) a++;
    while (b >= a && taps[b] === 0) b--;
    start[u] = lo + a;
    count[u] = b - a + 1;
    for (let k = a; k <= b; k++) all.push(taps[k] / sum);
  }
  return { start, count, offset: off, weights: Float64Array.from(all) };
}
