// AssemblyScript (compiled to WebAssembly by scripts/build-kernels.mjs; not part of the TypeScript
// project). The inner loops of the forward warp's bilinear splatting (../../warp/forward.ts says
// what they compute and why): V8 ran them at about 60% of this speed, bound by Math.exp/log calls
// out of optimised code and bounds checks on five accumulator arrays. All addresses are byte
// offsets into this module's memory, laid out by ../splatKernel.ts.

const Z_EPSILON: f64 = 1e-6;
const SNAP: f64 = 1e-6;
const SOFT_Z: f64 = 50;
const Z_CLAMP: f64 = 5000;

/**
 * Pass 1: each source pixel's depth in the target camera into zt (0 = no point, or behind it);
 * returns the largest. rayX holds (u + 0.5 - cx) / fx per source column; T is the 3x4 relative
 * transform, row-major float64.
 */
export function targetDepths(depth: usize, sw: i32, sh: i32, sfy: f64, cy: f64, T: usize, rayX: usize, zt: usize): f64 {
  const r20 = load<f64>(T, 64), r21 = load<f64>(T, 72), r22 = load<f64>(T, 80), t2 = load<f64>(T, 88);
  let maxZ: f64 = 0;
  for (let v = 0; v < sh; v++) {
    const b2 = r21 * ((<f64>v + 0.5 - cy) / sfy) + r22;
    const row = <usize>(v * sw);
    for (let u = 0; u < sw; u++) {
      const i = row + <usize>u;
      const z = <f64>load<f32>(depth + (i << 2));
      let Z: f64 = 0;
      if (z > 0) Z = z * (r20 * load<f64>(rayX + (<usize>u << 3)) + b2) + t2;
      if (Z > Z_EPSILON) {
        if (Z > maxZ) maxZ = Z;
      } else Z = 0;
      store<f64>(zt + (i << 3), Z);
    }
  }
  return maxZ;
}

/** The soft z-buffer weight exp(-50 log(1 + Z) / maxLog) of each point into zw (Z clamped to 5000). */
export function softZWeights(zt: usize, zw: usize, n: i32, maxLog: f64): void {
  const k = maxLog > 0 ? -SOFT_Z / maxLog : 0;
  for (let i: usize = 0; i < <usize>n; i++) {
    const Z = load<f64>(zt + (i << 3));
    if (Z != 0) store<f64>(zw + (i << 3), Math.exp(k * Math.log(1 + (Z < Z_CLAMP ? Z : Z_CLAMP))));
  }
}

/** Adds one bilinear share b of a point (colour times weight cr, cg, cb; weight w; target z Z) to pixel p. */
@inline function deposit(acc: usize, zacc: usize, p: i32, b: f64, cr: f64, cg: f64, cb: f64, w: f64, Z: f64): void {
  const j = acc + <usize>p * 40;
  store<f64>(j, load<f64>(j) + b * cr);
  store<f64>(j, load<f64>(j, 8) + b * cg, 8);
  store<f64>(j, load<f64>(j, 16) + b * cb, 16);
  store<f64>(j, load<f64>(j, 24) + b * w, 24);
  store<f64>(j, load<f64>(j, 32) + b, 32);
  if (zacc) {
    const q = zacc + (<usize>p << 3);
    store<f64>(q, load<f64>(q) + b * w * Z);
  }
}

/**
 * Pass 2: every point projected into the target (pixel-index coordinates, K's cx/cy less 0.5) and
 * its colour splatted onto the 4 pixels around it into acc (r, g, b, weight, coverage per pixel),
 * with zacc (0 = none) summing target z times the colour weight. Within SNAP of a pixel centre a
 * point lands on it exactly, so the identity warp gives weights 1 and 0.
 */
export function splatPoints(
  rgb: usize, depth: usize, sw: i32, sh: i32, sfy: f64, cy: f64, T: usize, rayX: usize, zt: usize, zw: usize,
  tw: i32, th: i32, fx: f64, fy: f64, tcx: f64, tcy: f64, blend: f64, acc: usize, zacc: usize,
): void {
  const r00 = load<f64>(T), r01 = load<f64>(T, 8), r02 = load<f64>(T, 16), t0 = load<f64>(T, 24);
  const r10 = load<f64>(T, 32), r11 = load<f64>(T, 40), r12 = load<f64>(T, 48), t1 = load<f64>(T, 56);
  const maxX = tw - 1, maxY = th - 1;
  const ftw = <f64>tw, fth = <f64>th;
  for (let v = 0; v < sh; v++) {
    const ry = (<f64>v + 0.5 - cy) / sfy;
    const b0 = r01 * ry + r02, b1 = r11 * ry + r12;
    const row = <usize>(v * sw);
    for (let u = 0; u < sw; u++) {
      const i = row + <usize>u;
      const Z = load<f64>(zt + (i << 3));
      if (Z == 0) continue;
      const z = <f64>load<f32>(depth + (i << 2));
      const rx = load<f64>(rayX + (<usize>u << 3));
      const iz = 1 / Z;
      const px = fx * (z * (r00 * rx + b0) + t0) * iz + tcx;
      const py = fy * (z * (r10 * rx + b1) + t1) * iz + tcy;
      if (!(px > -1 && px < ftw && py > -1 && py < fth)) continue;
      let x0 = <i32>Math.floor(px), y0 = <i32>Math.floor(py);
      let ax = px - <f64>x0, ay = py - <f64>y0;
      if (ax < SNAP) ax = 0;
      else if (ax > 1 - SNAP) { ax = 0; x0++; }
      if (ay < SNAP) ay = 0;
      else if (ay > 1 - SNAP) { ay = 0; y0++; }
      const w = load<f64>(zw + (i << 3)) * blend;
      const c = rgb + i * 12;
      const cr = <f64>load<f32>(c) * w, cg = <f64>load<f32>(c, 4) * w, cb = <f64>load<f32>(c, 8) * w;
      const bx0 = 1 - ax, by0 = 1 - ay;
      // Four neighbours; a zero bilinear weight adds nothing, so it is skipped (exact identity).
      const p = y0 * tw + x0;
      const left = x0 >= 0 && x0 <= maxX, right = ax > 0 && x0 < maxX;
      if (y0 >= 0 && y0 <= maxY) {
        if (left) deposit(acc, zacc, p, bx0 * by0, cr, cg, cb, w, Z);
        if (right) deposit(acc, zacc, p + 1, ax * by0, cr, cg, cb, w, Z);
      }
      if (ay > 0 && y0 < maxY) {
        if (left) deposit(acc, zacc, p + tw, bx0 * ay, cr, cg, cb, w, Z);
        if (right) deposit(acc, zacc, p + tw + 1, ax * ay, cr, cg, cb, w, Z);
      }
    }
  }
}

/**
 * Colours from the sums: weighted colour / weight where the pixel's coverage reaches `threshold`
 * and its weight is positive, else a raw hole (raw = 1, colour 0). image is float32 RGB.
 */
export function resolveColours(acc: usize, n: i32, threshold: f64, image: usize, raw: usize): void {
  for (let j: usize = 0; j < <usize>n; j++) {
    const a = acc + j * 40;
    const w = load<f64>(a, 24);
    const px = image + j * 12;
    if (load<f64>(a, 32) < threshold || !(w > 0)) {
      store<u8>(raw + j, 1);
      store<f32>(px, 0);
      store<f32>(px, 0, 4);
      store<f32>(px, 0, 8);
      continue;
    }
    store<u8>(raw + j, 0);
    const inv = 1 / w;
    store<f32>(px, <f32>(load<f64>(a) * inv));
    store<f32>(px, <f32>(load<f64>(a, 8) * inv), 4);
    store<f32>(px, <f32>(load<f64>(a, 16) * inv), 8);
  }
}

/**
 * Zeroes the colour of every hole (after dilation) and returns how many there are; with zacc
 * (0 = none), writes each other pixel's depth (weighted z / weight) into zOut, 0 in holes.
 */
export function applyHoles(image: usize, holes: usize, n: i32, acc: usize, zacc: usize, zOut: usize): i32 {
  let count = 0;
  for (let j: usize = 0; j < <usize>n; j++) {
    const hole = load<u8>(holes + j) != 0;
    if (hole) {
      count++;
      const px = image + j * 12;
      store<f32>(px, 0);
      store<f32>(px, 0, 4);
      store<f32>(px, 0, 8);
    }
    if (zacc) store<f32>(zOut + (j << 2), hole ? 0 : <f32>(load<f64>(zacc + (j << 3)) / load<f64>(acc + j * 40, 24)));
  }
  return count;
}

/** The first byte after the module's own data: the caller's buffers start here. */
export function heapBase(): usize {
  return __heap_base;
}
