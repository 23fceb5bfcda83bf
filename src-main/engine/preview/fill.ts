/**
 * Hole filling for the preview render: a multi-scale push-pull fill (Gortler et al., "The
 * Lumigraph", 1996) that leans towards the background.
 *
 * Pull: an image pyramid where every coarser pixel averages its 2x2 children that carry colour,
 * weighted by their confidence and by a background weight (depth / farthest depth)^BACKGROUND_POWER,
 * so a disocclusion (which reveals what was behind the foreground) is filled from its far side and
 * the foreground does not bleed into it. Confidence is the clamped sum of the children's.
 * Push: from the coarsest level down, each level's colour is blended with the bilinear upsampling
 * of the level below it by (1 - alpha), alpha = confidence x min(1, own mass / coarser mass): a
 * patch that saw only foreground while the wider view also holds background gives way to the
 * wider, background-weighted colour, so the fill next to a foreground edge comes from the far
 * side. At full resolution only hole pixels are written.
 *
 * Pure arithmetic on the given arrays in a fixed order: the same warped frame always gives the same
 * filled frame (no flicker), and pixels that are not holes are returned exactly as given.
 * OpenCV's Telea / Navier-Stokes inpainting (through the opencv.js WebAssembly build) was judged
 * and not used: a 10 MB module to load, a cost that grows with the hole radius, and no notion of
 * depth, so foreground colour smears into every disocclusion.
 */
export interface FillInput {
  width: number;
  height: number;
  /** RGB float32, width * height * 3; hole pixels are ignored. */
  image: Float32Array;
  /** 1 = hole, width * height. */
  holes: Uint8Array;
  /** Target-frame depth per pixel (0 = unknown): farther pixels weigh more. Without it, all weigh alike. */
  depth?: Float32Array;
}

/** 2^-8 per halving of depth: a surface twice as far outweighs the foreground 256 to 1. */
export const BACKGROUND_POWER = 8;
/** A background weight never drops below this, so a hole surrounded by foreground alone still fills. */
const MIN_WEIGHT = 1e-12;

interface Level {
  w: number;
  h: number;
  /** Normalised colour, RGB. */
  rgb: Float32Array;
  /** Confidence in [0, 1]. */
  conf: Float32Array;
  /** Background-weighted mass (for averaging children). */
  mass: Float64Array;
}

/** The filled image: a new array; hole pixels filled, every other pixel copied exactly. */
export function pushPullFill(input: FillInput): Float32Array {
  const { width, height, image, holes, depth } = input;
  const n = width * height;
  if (image.length !== n * 3 || holes.length !== n) throw new Error(`fill: ${width}x${height} needs ${n * 3} colours and ${n} hole flags`);
  const out = image.slice();
  let holeCount = 0;
  for (let i = 0; i < n; i++) holeCount += holes[i];
  if (holeCount === 0) return out;
  if (holeCount === n) return out.fill(0);

  // Level 0: known pixels with confidence 1 and their background weight (depth / farthest)^8.
  let zMax = 0;
  if (depth) for (let i = 0; i < n; i++) if (!holes[i] && depth[i] > zMax) zMax = depth[i];
  const base: Level = { w: width, h: height, rgb: image, conf: new Float32Array(n), mass: new Float64Array(n) };
  const invZ = zMax > 0 ? 1 / zMax : 0;
  const weighing = invZ > 0 ? depth : undefined;
  for (let i = 0; i < n; i++) {
    if (holes[i]) continue;
    base.conf[i] = 1;
    base.mass[i] = backgroundMass(weighing, i, invZ);
  }
  const levels: Level[] = [base];
  // Pull: halve until one pixel is left.
  for (let cur = levels[0]; cur.w > 1 || cur.h > 1; ) {
    const next = pull(cur);
    levels.push(next);
    cur = next;
  }

  // Push: coarsest to finest; each level's holes take the upsampled colour of the level below.
  // Level 0's own pixels are final; only its holes take level 1's colour.
  let below = levels[levels.length - 1].rgb;
  for (let l = levels.length - 2; l >= 1; l--) {
    pushInto(levels[l].rgb, levels[l], levels[l + 1], below);
    below = levels[l].rgb;
  }
  pushIntoHoles(out, width, height, holes, levels[1]);
  return out;
}

/** The background weight of a known pixel at depth z: (z / zMax)^BACKGROUND_POWER, at least MIN_WEIGHT; 1 without depth. */
function backgroundMass(depth: Float32Array | undefined, i: number, invZ: number): number {
  if (!depth) return 1;
  const r = depth[i] * invZ;
  const r2 = r * r, r4 = r2 * r2;
  const m = r4 * r4; // r^BACKGROUND_POWER
  return m > MIN_WEIGHT ? m : MIN_WEIGHT;
}

/** rgb[j] = the mass-weighted mean colour of the 2x2 children at i00 (dy: the row step, 0 on an odd last row); a child without mass is left out. */
function storeAverage(rgb: Float32Array, j: number, frgb: Float32Array, i00: number, dy: number, m00: number, m01: number, m10: number, m11: number, inv: number): void {
  const p00 = i00 * 3, p01 = p00 + 3, p10 = (i00 + dy) * 3, p11 = p10 + 3;
  for (let c = 0; c < 3; c++) {
    rgb[j * 3 + c] = (frgb[p00 + c] * m00 + (m01 ? frgb[p01 + c] * m01 : 0) + (m10 ? frgb[p10 + c] * m10 : 0) + (m11 ? frgb[p11 + c] * m11 : 0)) * inv;
  }
}

function pull(fine: Level): Level {
  const w = (fine.w + 1) >> 1;
  const h = (fine.h + 1) >> 1;
  const rgb = new Float32Array(w * h * 3);
  const conf = new Float32Array(w * h);
  const mass = new Float64Array(w * h);
  const fw = fine.w, fh = fine.h;
  const fc = fine.conf, fm = fine.mass, frgb = fine.rgb;
  for (let y = 0; y < h; y++) {
    const r0 = 2 * y * fw;
    // An odd last row (or column) has one child instead of two: it is visited once (dy/dx = 0).
    const dy = 2 * y + 1 < fh ? fw : 0;
    for (let x = 0; x < w; x++) {
      const i00 = r0 + 2 * x;
      const dx = 2 * x + 1 < fw ? 1 : 0;
      const c00 = fc[i00];
      const c01 = dx ? fc[i00 + 1] : 0;
      const c10 = dy ? fc[i00 + dy] : 0;
      const c11 = dx && dy ? fc[i00 + dy + 1] : 0;
      const c = c00 + c01 + c10 + c11;
      if (c <= 0) continue;
      const m00 = fm[i00] * c00, m01 = c01 > 0 ? fm[i00 + 1] * c01 : 0, m10 = c10 > 0 ? fm[i00 + dy] * c10 : 0, m11 = c11 > 0 ? fm[i00 + dy + 1] * c11 : 0;
      const m = m00 + m01 + m10 + m11;
      if (!(m > 0)) continue;
      const j = y * w + x;
      storeAverage(rgb, j, frgb, i00, dy, m00, m01, m10, m11, 1 / m);
      conf[j] = c > 1 ? 1 : c;
      // Mean mass of the children that carried colour: keeps the background weight per level.
      mass[j] = m / c;
    }
  }
  return { w, h, rgb, conf, mass };
}

/** Bilinear taps from fine pixel centres to a coarse axis of `n` pixels: (i0, i1, weight of i1) per fine index. */
function taps(fine: number, n: number): { i0: Int32Array; i1: Int32Array; f: Float32Array } {
  const i0 = new Int32Array(fine), i1 = new Int32Array(fine), f = new Float32Array(fine);
  for (let x = 0; x < fine; x++) {
    let s = (x + 0.5) / 2 - 0.5;
    if (s < 0) s = 0;
    if (s > n - 1) s = n - 1;
    const a = Math.floor(s);
    i0[x] = a;
    i1[x] = a + 1 < n ? a + 1 : a;
    f[x] = s - a;
  }
  return { i0, i1, f };
}

/** target = conf * own + (1 - conf) * bilinear(coarse), the confidence lowered where the coarser level holds more mass. */
function pushInto(target: Float32Array, lv: Level, coarseLevel: Level, coarse: Float32Array): void {
  const { w, h, conf, mass } = lv;
  const own = lv.rgb;
  const cw = coarseLevel.w, ch = coarseLevel.h;
  const cmass = coarseLevel.mass;
  const tx = taps(w, cw), ty = taps(h, ch);
  for (let y = 0; y < h; y++) {
    const r0 = ty.i0[y] * cw, r1 = ty.i1[y] * cw, fy = ty.f[y];
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      let a = conf[i];
      const x0 = tx.i0[x], x1 = tx.i1[x], fx = tx.f[x];
      const w00 = (1 - fx) * (1 - fy), w01 = fx * (1 - fy), w10 = (1 - fx) * fy, w11 = fx * fy;
      const q00 = r0 + x0, q01 = r0 + x1, q10 = r1 + x0, q11 = r1 + x1;
      const mUp = cmass[q00] * w00 + cmass[q01] * w01 + cmass[q10] * w10 + cmass[q11] * w11;
      if (a > 0 && mUp > mass[i]) a *= mass[i] / mUp;
      const k = 1 - a;
      // The pushed mass goes down with the colour, so a finer level compares against what it received.
      mass[i] = a * mass[i] + k * mUp;
      const p00 = q00 * 3, p01 = q01 * 3, p10 = q10 * 3, p11 = q11 * 3, o = i * 3;
      const u0 = coarse[p00] * w00 + coarse[p01] * w01 + coarse[p10] * w10 + coarse[p11] * w11;
      const u1 = coarse[p00 + 1] * w00 + coarse[p01 + 1] * w01 + coarse[p10 + 1] * w10 + coarse[p11 + 1] * w11;
      const u2 = coarse[p00 + 2] * w00 + coarse[p01 + 2] * w01 + coarse[p10 + 2] * w10 + coarse[p11 + 2] * w11;
      if (a > 0) {
        target[o] = a * own[o] + k * u0;
        target[o + 1] = a * own[o + 1] + k * u1;
        target[o + 2] = a * own[o + 2] + k * u2;
      } else {
        target[o] = u0;
        target[o + 1] = u1;
        target[o + 2] = u2;
      }
    }
  }
}

/** The frame's holes take the bilinear upsampling of level 1's pushed colour; other pixels are left as they are. */
function pushIntoHoles(out: Float32Array, w: number, h: number, holes: Uint8Array, coarseLevel: Level): void {
  const cw = coarseLevel.w, ch = coarseLevel.h;
  const coarse = coarseLevel.rgb;
  const tx = taps(w, cw), ty = taps(h, ch);
  for (let y = 0; y < h; y++) {
    const r0 = ty.i0[y] * cw, r1 = ty.i1[y] * cw, fy = ty.f[y];
    const row = y * w;
    for (let x = 0; x < w; x++) {
      if (!holes[row + x]) continue;
      const x0 = tx.i0[x], x1 = tx.i1[x], fx = tx.f[x];
      const w00 = (1 - fx) * (1 - fy), w01 = fx * (1 - fy), w10 = (1 - fx) * fy, w11 = fx * fy;
      const p00 = (r0 + x0) * 3, p01 = (r0 + x1) * 3, p10 = (r1 + x0) * 3, p11 = (r1 + x1) * 3, o = (row + x) * 3;
      out[o] = coarse[p00] * w00 + coarse[p01] * w01 + coarse[p10] * w10 + coarse[p11] * w11;
      out[o + 1] = coarse[p00 + 1] * w00 + coarse[p01 + 1] * w01 + coarse[p10 + 1] * w10 + coarse[p11 + 1] * w11;
      out[o + 2] = coarse[p00 + 2] * w00 + coarse[p01 + 2] * w01 + coarse[p10 + 2] * w10 + coarse[p11 + 2] * w11;
    }
  }
}
