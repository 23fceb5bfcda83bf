// AssemblyScript (compiled to WebAssembly by scripts/build-kernels.mjs; not part of the TypeScript
// project). The preview's push-pull hole fill; ../../preview/fill.ts says what it computes and why,
// ../fillKernel.ts lays out the memory. A level is w x h pixels with colour rgb (float32 RGB),
// confidence conf (float32, 0..1) and background-weighted mass (float64).

/** 2^-8 per halving of depth; a weight never drops below MIN_WEIGHT (see fill.ts). */
const MIN_WEIGHT: f64 = 1e-12;

/** Level 0 from the frame: confidence 1 and mass (z / zMax)^8 at known pixels (mass 1 without depth); returns the hole count. */
export function baseLevel(n: i32, holes: usize, depth: usize, conf: usize, mass: usize): i32 {
  let zMax: f64 = 0;
  let count = 0;
  for (let i: usize = 0; i < <usize>n; i++) {
    if (load<u8>(holes + i)) {
      count++;
      continue;
    }
    if (depth) {
      const z = <f64>load<f32>(depth + (i << 2));
      if (z > zMax) zMax = z;
    }
  }
  const invZ: f64 = zMax > 0 ? 1 / zMax : 0;
  for (let i: usize = 0; i < <usize>n; i++) {
    if (load<u8>(holes + i)) {
      store<f32>(conf + (i << 2), 0);
      store<f64>(mass + (i << 3), 0);
      continue;
    }
    store<f32>(conf + (i << 2), 1);
    let m: f64 = 1;
    if (depth && invZ > 0) {
      const r = <f64>load<f32>(depth + (i << 2)) * invZ;
      const r2 = r * r, r4 = r2 * r2;
      m = r4 * r4;
      if (!(m > MIN_WEIGHT)) m = MIN_WEIGHT;
    }
    store<f64>(mass + (i << 3), m);
  }
  return count;
}

/**
 * The coarser level: every pixel averages its 2x2 children that carry colour, weighted by
 * confidence times mass; its confidence is the clamped sum, its mass the mean of those children's.
 * An odd last row or column has one child instead of two.
 */
export function pull(fw: i32, fh: i32, frgb: usize, fconf: usize, fmass: usize, w: i32, h: i32, rgb: usize, conf: usize, mass: usize): void {
  for (let y = 0; y < h; y++) {
    const r0 = 2 * y * fw;
    const dy = 2 * y + 1 < fh ? fw : 0;
    for (let x = 0; x < w; x++) {
      const j = <usize>(y * w + x);
      const i00 = r0 + 2 * x;
      const dx = 2 * x + 1 < fw ? 1 : 0;
      const c00 = <f64>load<f32>(fconf + (<usize>i00 << 2));
      const c01: f64 = dx ? <f64>load<f32>(fconf + (<usize>(i00 + 1) << 2)) : 0;
      const c10: f64 = dy ? <f64>load<f32>(fconf + (<usize>(i00 + dy) << 2)) : 0;
      const c11: f64 = dx && dy ? <f64>load<f32>(fconf + (<usize>(i00 + dy + 1) << 2)) : 0;
      const c = c00 + c01 + c10 + c11;
      const px = rgb + j * 12;
      if (c <= 0) {
        store<f32>(px, 0); store<f32>(px, 0, 4); store<f32>(px, 0, 8);
        store<f32>(conf + (j << 2), 0);
        store<f64>(mass + (j << 3), 0);
        continue;
      }
      const m00 = load<f64>(fmass + (<usize>i00 << 3)) * c00;
      const m01: f64 = c01 > 0 ? load<f64>(fmass + (<usize>(i00 + 1) << 3)) * c01 : 0;
      const m10: f64 = c10 > 0 ? load<f64>(fmass + (<usize>(i00 + dy) << 3)) * c10 : 0;
      const m11: f64 = c11 > 0 ? load<f64>(fmass + (<usize>(i00 + dy + 1) << 3)) * c11 : 0;
      const m = m00 + m01 + m10 + m11;
      if (!(m > 0)) {
        store<f32>(px, 0); store<f32>(px, 0, 4); store<f32>(px, 0, 8);
        store<f32>(conf + (j << 2), 0);
        store<f64>(mass + (j << 3), 0);
        continue;
      }
      const inv = 1 / m;
      const p00 = frgb + <usize>i00 * 12, p01 = p00 + 12, p10 = frgb + <usize>(i00 + dy) * 12, p11 = p10 + 12;
      for (let k: usize = 0; k < 12; k += 4) {
        let v = <f64>load<f32>(p00 + k) * m00;
        if (m01 != 0) v += <f64>load<f32>(p01 + k) * m01;
        if (m10 != 0) v += <f64>load<f32>(p10 + k) * m10;
        if (m11 != 0) v += <f64>load<f32>(p11 + k) * m11;
        store<f32>(px + k, <f32>(v * inv));
      }
      store<f32>(conf + (j << 2), <f32>(c > 1 ? 1 : c));
      store<f64>(mass + (j << 3), m / c);
    }
  }
}

/** Bilinear tap from fine index x to a coarse axis of n pixels: the lower index (returned) and the upper one's weight (in tapF). */
let tapF: f64 = 0;
@inline function tap(x: i32, n: i32): i32 {
  let s = (<f64>x + 0.5) / 2 - 0.5;
  if (s < 0) s = 0;
  if (s > <f64>(n - 1)) s = <f64>(n - 1);
  const a = <i32>Math.floor(s);
  tapF = s - <f64>a;
  return a;
}

/**
 * One level of the push: rgb = a * own + (1 - a) * bilinear(coarse rgb), a its confidence lowered
 * where the coarser level holds more mass; the mass pushed down with the colour.
 */
export function push(w: i32, h: i32, rgb: usize, conf: usize, mass: usize, cw: i32, ch: i32, crgb: usize, cmass: usize): void {
  for (let y = 0; y < h; y++) {
    const y0 = tap(y, ch);
    const fy = tapF;
    const y1 = y0 + 1 < ch ? y0 + 1 : y0;
    for (let x = 0; x < w; x++) {
      const x0 = tap(x, cw);
      const fx = tapF;
      const x1 = x0 + 1 < cw ? x0 + 1 : x0;
      const i = <usize>(y * w + x);
      const w00 = (1 - fx) * (1 - fy), w01 = fx * (1 - fy), w10 = (1 - fx) * fy, w11 = fx * fy;
      const q00 = <usize>(y0 * cw + x0), q01 = <usize>(y0 * cw + x1), q10 = <usize>(y1 * cw + x0), q11 = <usize>(y1 * cw + x1);
      const mUp = load<f64>(cmass + (q00 << 3)) * w00 + load<f64>(cmass + (q01 << 3)) * w01 + load<f64>(cmass + (q10 << 3)) * w10 + load<f64>(cmass + (q11 << 3)) * w11;
      const own = load<f64>(mass + (i << 3));
      let a = <f64>load<f32>(conf + (i << 2));
      if (a > 0 && mUp > own) a *= own / mUp;
      const k = 1 - a;
      store<f64>(mass + (i << 3), a * own + k * mUp);
      const px = rgb + i * 12;
      for (let c: usize = 0; c < 12; c += 4) {
        const u = <f64>load<f32>(crgb + q00 * 12 + c) * w00 + <f64>load<f32>(crgb + q01 * 12 + c) * w01 + <f64>load<f32>(crgb + q10 * 12 + c) * w10 + <f64>load<f32>(crgb + q11 * 12 + c) * w11;
        store<f32>(px + c, <f32>(a > 0 ? a * <f64>load<f32>(px + c) + k * u : u));
      }
    }
  }
}

/** The frame's holes take the bilinear upsampling of level 1's pushed colour; other pixels are left as they are. */
export function pushHoles(w: i32, h: i32, holes: usize, rgb: usize, cw: i32, ch: i32, crgb: usize): void {
  for (let y = 0; y < h; y++) {
    const y0 = tap(y, ch);
    const fy = tapF;
    const y1 = y0 + 1 < ch ? y0 + 1 : y0;
    for (let x = 0; x < w; x++) {
      const i = <usize>(y * w + x);
      if (!load<u8>(holes + i)) continue;
      const x0 = tap(x, cw);
      const fx = tapF;
      const x1 = x0 + 1 < cw ? x0 + 1 : x0;
      const w00 = (1 - fx) * (1 - fy), w01 = fx * (1 - fy), w10 = (1 - fx) * fy, w11 = fx * fy;
      const q00 = <usize>(y0 * cw + x0) * 12, q01 = <usize>(y0 * cw + x1) * 12, q10 = <usize>(y1 * cw + x0) * 12, q11 = <usize>(y1 * cw + x1) * 12;
      const px = rgb + i * 12;
      for (let c: usize = 0; c < 12; c += 4) {
        store<f32>(px + c, <f32>(<f64>load<f32>(crgb + q00 + c) * w00 + <f64>load<f32>(crgb + q01 + c) * w01 + <f64>load<f32>(crgb + q10 + c) * w10 + <f64>load<f32>(crgb + q11 + c) * w11));
      }
    }
  }
}

/** The first byte after the module's own data: the caller's buffers start here. */
export function heapBase(): usize {
  return __heap_base;
}
