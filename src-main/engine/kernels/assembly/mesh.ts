// AssemblyScript (compiled to WebAssembly by scripts/build-kernels.mjs; not part of the TypeScript
// project). The mesh warp's loops (../../warp/mesh.ts says what they compute and why): the photo
// as a triangle mesh over its pixel centres, torn where the depth jumps, projected into the target
// camera and rasterised with a z-buffer. All addresses are byte offsets into this module's memory,
// laid out by ../meshKernel.ts.

const Z_EPSILON: f64 = 1e-6;

/** Link bits of a source pixel to its neighbours: right (u+1, v), down (u, v+1), down-right, down-left. */
const RIGHT: u8 = 1;
const DOWN: u8 = 2;
const DOWN_RIGHT: u8 = 4;
const DOWN_LEFT: u8 = 8;
/** Set on a pixel with depth at the image's border or torn from one of its eight neighbours. */
const EDGE: u8 = 16;

/** Disparity (1/z) of a depth, 0 for none: linear across any plane in the image, so its steps compare. */
@inline function disparity(z: f32): f32 {
  return z > 0 ? 1 / z : 0;
}

/**
 * Whether neighbours p and q (q = p + s) are one surface, given the pixels before p and after q
 * along s (depth 0: none). Both need depth; they are torn apart when the depth jumps by more than
 * tau of the nearer AND the jump in disparity is more than SHARPER times the surface's step on
 * either side of it (SHARPER 0: the relative test alone). A plane seen at a grazing angle, whose
 * every step is large, has equal disparity steps and stays whole; at an edge the step is far
 * larger than the surfaces' on both sides, and it tears.
 */
@inline function joined(zPrev: f32, zp: f32, zq: f32, zNext: f32, tau: f32, sharper: f32): bool {
  if (!(zp > 0) || !(zq > 0)) return false;
  const jump = zp < zq ? zq - zp <= tau * zp : zp - zq <= tau * zq;
  if (jump) return true;
  if (sharper == 0) return false;
  const dp = disparity(zp), dq = disparity(zq);
  const before: f32 = zPrev > 0 ? Mathf.abs(disparity(zPrev) - dp) : 0;
  const after: f32 = zNext > 0 ? Mathf.abs(dq - disparity(zNext)) : 0;
  return Mathf.abs(dp - dq) <= sharper * max(before, after);
}

@inline function depthAt(depth: usize, sw: i32, sh: i32, u: i32, v: i32): f32 {
  return u < 0 || v < 0 || u >= sw || v >= sh ? 0 : load<f32>(depth + (<usize>(v * sw + u) << 2));
}

/**
 * Whether the pixel (u, v) is joined to (u + du, v + dv), from the four depths along that line.
 */
@inline function link(depth: usize, sw: i32, sh: i32, u: i32, v: i32, du: i32, dv: i32, tau: f32, sharper: f32): bool {
  return joined(
    depthAt(depth, sw, sh, u - du, v - dv),
    depthAt(depth, sw, sh, u, v),
    depthAt(depth, sw, sh, u + du, v + dv),
    depthAt(depth, sw, sh, u + 2 * du, v + 2 * dv),
    tau,
    sharper,
  );
}

/**
 * Which neighbours each source pixel is joined to (joined above), and which pixels with depth are
 * EDGE pixels: on the image's border, or not joined to one of their eight neighbours.
 */
export function computeLinks(depth: usize, sw: i32, sh: i32, tau: f32, sharper: f32, links: usize): void {
  for (let v = 0; v < sh; v++) {
    for (let u = 0; u < sw; u++) {
      let l: u8 = 0;
      if (link(depth, sw, sh, u, v, 1, 0, tau, sharper)) l |= RIGHT;
      if (link(depth, sw, sh, u, v, 0, 1, tau, sharper)) l |= DOWN;
      if (link(depth, sw, sh, u, v, 1, 1, tau, sharper)) l |= DOWN_RIGHT;
      if (link(depth, sw, sh, u, v, -1, 1, tau, sharper)) l |= DOWN_LEFT;
      store<u8>(links + <usize>(v * sw + u), l);
    }
  }
  const ssw = <usize>sw;
  for (let v = 0; v < sh; v++) {
    for (let u = 0; u < sw; u++) {
      const i = <usize>(v * sw + u);
      if (!(load<f32>(depth + (i << 2)) > 0)) continue;
      const l = load<u8>(links + i);
      let edge = u == 0 || v == 0 || u == sw - 1 || v == sh - 1;
      // The four links stored here, then the four stored at the left, upper-left, upper and upper-right neighbours.
      edge = edge || (l & (RIGHT | DOWN | DOWN_RIGHT | DOWN_LEFT)) != (RIGHT | DOWN | DOWN_RIGHT | DOWN_LEFT);
      edge = edge || (load<u8>(links + i - 1) & RIGHT) == 0 || (load<u8>(links + i - ssw) & DOWN) == 0;
      edge = edge || (load<u8>(links + i - ssw - 1) & DOWN_RIGHT) == 0 || (load<u8>(links + i - ssw + 1) & DOWN_LEFT) == 0;
      if (edge) store<u8>(links + i, l | EDGE);
    }
  }
}

/**
 * A coordinate within SNAP of a pixel centre lands on it: the identity warp's rounding would
 * otherwise put a border vertex a hair outside the border pixel, which no triangle then covers.
 */
const SNAP: f64 = 1e-6;
@inline function snap(x: f64): f32 {
  const r = Math.round(x);
  return <f32>(Math.abs(x - r) < SNAP ? r : x);
}

/**
 * Every source pixel centre with depth, moved into the target camera and projected: x, y in
 * target pixel-index coordinates (K's cx, cy less 0.5) and 1/z, as float32 triples in verts;
 * 1/z = 0 for a pixel without depth or at or behind the camera. rayX holds (u + 0.5 - cx) / fx per
 * source column; T is the 3x4 source-to-target transform, row-major float64.
 */
export function projectVertices(
  depth: usize, sw: i32, sh: i32, sfy: f64, cy: f64, T: usize, rayX: usize,
  fx: f64, fy: f64, tcx: f64, tcy: f64, verts: usize,
): void {
  const r00 = load<f64>(T), r01 = load<f64>(T, 8), r02 = load<f64>(T, 16), t0 = load<f64>(T, 24);
  const r10 = load<f64>(T, 32), r11 = load<f64>(T, 40), r12 = load<f64>(T, 48), t1 = load<f64>(T, 56);
  const r20 = load<f64>(T, 64), r21 = load<f64>(T, 72), r22 = load<f64>(T, 80), t2 = load<f64>(T, 88);
  for (let v = 0; v < sh; v++) {
    const ry = (<f64>v + 0.5 - cy) / sfy;
    const b0 = r01 * ry + r02, b1 = r11 * ry + r12, b2 = r21 * ry + r22;
    const row = <usize>(v * sw);
    for (let u = 0; u < sw; u++) {
      const i = row + <usize>u;
      const o = verts + i * 12;
      const z = <f64>load<f32>(depth + (i << 2));
      if (!(z > 0)) {
        store<f32>(o, 0, 8);
        continue;
      }
      const rx = load<f64>(rayX + (<usize>u << 3));
      const Z = z * (r20 * rx + b2) + t2;
      if (!(Z > Z_EPSILON)) {
        store<f32>(o, 0, 8);
        continue;
      }
      const iz = 1 / Z;
      store<f32>(o, snap(fx * (z * (r00 * rx + b0) + t0) * iz + tcx));
      store<f32>(o, snap(fy * (z * (r10 * rx + b1) + t1) * iz + tcy), 4);
      store<f32>(o, <f32>iz, 8);
    }
  }
}

// The four triangles of the quad a = (u, v), b = (u + 1, v), c = (u, v + 1), d = (u + 1, v + 1),
// each leaving one corner out: T0 = (a, b, c), T1 = (b, d, c), T2 = (a, b, d), T3 = (a, d, c).
// T0 + T1 split the quad along b-c, T2 + T3 along a-d.

/**
 * One triangle into the z-buffer: every target pixel centre inside it or on its edges (edge
 * functions in a form whose value on a shared edge is exactly negated in the neighbour, so two
 * triangles sharing an edge leave no gap between them) whose interpolated 1/z is larger (nearer)
 * than what the pixel holds takes the triangle: its code and its perspective-correct barycentric
 * weights of the second and third corner (0 and 0 for a `flat` one, which has its first corner's colour).
 */
@inline function drawTriangle(
  verts: usize, i0: usize, i1: usize, i2: usize, code: i32, flat: bool,
  tw: i32, th: i32, maxExtent: f32, zbuf: usize, frag: usize, bary: usize,
): void {
  const p0 = verts + i0 * 12, p1 = verts + i1 * 12, p2 = verts + i2 * 12;
  const w0 = load<f32>(p0, 8), w1 = load<f32>(p1, 8), w2 = load<f32>(p2, 8);
  if (w0 == 0 || w1 == 0 || w2 == 0) return;
  const x0 = load<f32>(p0), y0 = load<f32>(p0, 4);
  const x1 = load<f32>(p1), y1 = load<f32>(p1, 4);
  const x2 = load<f32>(p2), y2 = load<f32>(p2, 4);
  const loX = min(x0, min(x1, x2)), hiX = max(x0, max(x1, x2));
  const loY = min(y0, min(y1, y2)), hiY = max(y0, max(y1, y2));
  // A triangle this large is a surface crossing the camera plane, not a piece of the photo.
  if (hiX - loX > maxExtent || hiY - loY > maxExtent) return;
  let minX = <i32>Mathf.ceil(loX), maxX = <i32>Mathf.floor(hiX);
  let minY = <i32>Mathf.ceil(loY), maxY = <i32>Mathf.floor(hiY);
  if (minX < 0) minX = 0;
  if (minY < 0) minY = 0;
  if (maxX > tw - 1) maxX = tw - 1;
  if (maxY > th - 1) maxY = th - 1;
  if (minX > maxX || minY > maxY) return;
  const area = (x1 - x0) * (y2 - y0) - (y1 - y0) * (x2 - x0);
  if (area == 0) return;
  for (let y = minY; y <= maxY; y++)
    for (let x = minX; x <= maxX; x++)
      fragment(x, y, x0, y0, w0, x1, y1, w1, x2, y2, w2, area, code, flat, tw, zbuf, frag, bary);
}

/**
 * The pixel centre (x, y) against the triangle (x0, y0, w0), (x1, y1, w1), (x2, y2, w2) of signed
 * `area`: when inside or on its edges, and nearer than what the pixel holds, the pixel takes it.
 * Returns whether the centre is inside.
 */
@inline function fragment(
  x: i32, y: i32, x0: f32, y0: f32, w0: f32, x1: f32, y1: f32, w1: f32, x2: f32, y2: f32, w2: f32, area: f32,
  code: i32, flat: bool, tw: i32, zbuf: usize, frag: usize, bary: usize,
): bool {
  // Inside: every edge function has the sign of the area (either winding: a fold seen from behind still
  // covers). float32 is exact enough: vertex positions are float32, and an edge function evaluated
  // from the two triangles sharing the edge is exactly negated in either precision.
  const sgn: f32 = area > 0 ? 1 : -1;
  const px = <f32>x, py = <f32>y;
  // e_k: twice the signed area opposite corner k, as (a - p) x (b - p) over the edge a -> b.
  const e0 = ((x1 - px) * (y2 - py) - (y1 - py) * (x2 - px)) * sgn;
  if (e0 < 0) return false;
  const e1 = ((x2 - px) * (y0 - py) - (y2 - py) * (x0 - px)) * sgn;
  if (e1 < 0) return false;
  const e2 = ((x0 - px) * (y1 - py) - (y0 - py) * (x1 - px)) * sgn;
  if (e2 < 0) return false;
  // 1/z is linear in the image: its barycentric mean; the area cancels from the perspective-correct weights.
  const m = e0 * w0 + e1 * w1 + e2 * w2;
  const iz = m / (area * sgn);
  const p = <usize>(y * tw + x);
  if (iz <= load<f32>(zbuf + (p << 2))) return true;
  store<f32>(zbuf + (p << 2), iz);
  store<i32>(frag + (p << 2), code);
  // In float64: a weight of exactly 1 (a pixel on a corner) must come out exactly 1.
  const s: f64 = flat ? 0 : 1 / <f64>m;
  store<f32>(bary + (p << 3), <f32>(<f64>e1 * <f64>w1 * s));
  store<f32>(bary + (p << 3), <f32>(<f64>e2 * <f64>w2 * s), 4);
  return true;
}

/**
 * A quad's two triangles (corners a, b, c, d; split along b-c, T0 = (a, b, c) and T1 = (b, d, c),
 * or along a-d, T2 = (a, b, d) and T3 = (a, d, c)) with one bounding box and one pass: each pixel
 * centre is tried against the first triangle, then the second. The common case (a surface's
 * inside), so it shares the setup that drawing them one by one repeats.
 */
@inline function drawQuad(
  verts: usize, a: usize, b: usize, c: usize, d: usize, alongAD: bool, code: i32,
  tw: i32, th: i32, maxExtent: f32, zbuf: usize, frag: usize, bary: usize,
): void {
  const pa = verts + a * 12, pb = verts + b * 12, pc = verts + c * 12, pd = verts + d * 12;
  const wa = load<f32>(pa, 8), wb = load<f32>(pb, 8), wc = load<f32>(pc, 8), wd = load<f32>(pd, 8);
  if (wa == 0 || wb == 0 || wc == 0 || wd == 0) {
    // A corner behind the camera: each triangle on its own (each drops itself).
    if (alongAD) {
      drawTriangle(verts, a, b, d, code | (2 << 1), false, tw, th, maxExtent, zbuf, frag, bary);
      drawTriangle(verts, a, d, c, code | (3 << 1), false, tw, th, maxExtent, zbuf, frag, bary);
    } else {
      drawTriangle(verts, a, b, c, code, false, tw, th, maxExtent, zbuf, frag, bary);
      drawTriangle(verts, b, d, c, code | (1 << 1), false, tw, th, maxExtent, zbuf, frag, bary);
    }
    return;
  }
  const xa = load<f32>(pa), ya = load<f32>(pa, 4), xb = load<f32>(pb), yb = load<f32>(pb, 4);
  const xc = load<f32>(pc), yc = load<f32>(pc, 4), xd = load<f32>(pd), yd = load<f32>(pd, 4);
  const loX = min(min(xa, xb), min(xc, xd)), hiX = max(max(xa, xb), max(xc, xd));
  const loY = min(min(ya, yb), min(yc, yd)), hiY = max(max(ya, yb), max(yc, yd));
  if (hiX - loX > maxExtent || hiY - loY > maxExtent) return;
  let minX = <i32>Mathf.ceil(loX), maxX = <i32>Mathf.floor(hiX);
  let minY = <i32>Mathf.ceil(loY), maxY = <i32>Mathf.floor(hiY);
  if (minX < 0) minX = 0;
  if (minY < 0) minY = 0;
  if (maxX > tw - 1) maxX = tw - 1;
  if (maxY > th - 1) maxY = th - 1;
  if (minX > maxX || minY > maxY) return;
  if (alongAD) {
    const area2 = (xb - xa) * (yd - ya) - (yb - ya) * (xd - xa);
    const area3 = (xd - xa) * (yc - ya) - (yd - ya) * (xc - xa);
    const c2 = code | (2 << 1), c3 = code | (3 << 1);
    for (let y = minY; y <= maxY; y++)
      for (let x = minX; x <= maxX; x++) {
        if (area2 != 0 && fragment(x, y, xa, ya, wa, xb, yb, wb, xd, yd, wd, area2, c2, false, tw, zbuf, frag, bary))
          continue;
        if (area3 != 0) fragment(x, y, xa, ya, wa, xd, yd, wd, xc, yc, wc, area3, c3, false, tw, zbuf, frag, bary);
      }
  } else {
    const area0 = (xb - xa) * (yc - ya) - (yb - ya) * (xc - xa);
    const area1 = (xd - xb) * (yc - yb) - (yd - yb) * (xc - xb);
    const c1 = code | (1 << 1);
    for (let y = minY; y <= maxY; y++)
      for (let x = minX; x <= maxX; x++) {
        if (area0 != 0 && fragment(x, y, xa, ya, wa, xb, yb, wb, xc, yc, wc, area0, code, false, tw, zbuf, frag, bary))
          continue;
        if (area1 != 0) fragment(x, y, xb, yb, wb, xd, yd, wd, xc, yc, wc, area1, c1, false, tw, zbuf, frag, bary);
      }
  }
}

/**
 * The triangles a quad draws (bit k = Tk): the pair along the diagonal whose depths differ less
 * when all five of its links hold; else the other pair when its links hold; else each single
 * triangle whose three links hold. A quad with a corner across a depth edge so keeps the triangle
 * on its own side, and the edge stays open.
 */
@inline function quadTriangles(links: usize, depth: usize, a: usize, ssw: usize): u32 {
  const b = a + 1, c = a + ssw, d = c + 1;
  const la = load<u8>(links + a), lb = load<u8>(links + b), lc = load<u8>(links + c);
  const ab = (la & RIGHT) != 0, ac = (la & DOWN) != 0, ad = (la & DOWN_RIGHT) != 0;
  const bd = (lb & DOWN) != 0, bc = (lb & DOWN_LEFT) != 0, cd = (lc & RIGHT) != 0;
  const t0 = ab && ac && bc, t1 = bd && cd && bc, t2 = ab && bd && ad, t3 = ac && cd && ad;
  if (t0 && t1 && t2 && t3) {
    const za = load<f32>(depth + (a << 2)), zb = load<f32>(depth + (b << 2));
    const zc = load<f32>(depth + (c << 2)), zd = load<f32>(depth + (d << 2));
    return Mathf.abs(za - zd) < Mathf.abs(zb - zc) ? 0b1100 : 0b0011;
  }
  if (t0 && t1) return 0b0011;
  if (t2 && t3) return 0b1100;
  return (t0 ? 1 : 0) | (t1 ? 2 : 0) | (t2 ? 4 : 0) | (t3 ? 8 : 0);
}

/**
 * The mesh of one source (its projected vertices and links) into the z-buffer: each quad's
 * triangles (quadTriangles). Fragment codes: (quad << 3) | (triangle << 1) | layer.
 */
export function rasterise(
  verts: usize, links: usize, depth: usize, sw: i32, sh: i32, layer: i32,
  tw: i32, th: i32, maxExtent: f32, zbuf: usize, frag: usize, bary: usize,
): void {
  const ssw = <usize>sw;
  for (let v = 0; v + 1 < sh; v++) {
    for (let u = 0; u + 1 < sw; u++) {
      const a = <usize>(v * sw + u);
      const t = quadTriangles(links, depth, a, ssw);
      if (t == 0) continue;
      const b = a + 1, c = a + ssw, d = c + 1;
      const code = <i32>(a << 3) | layer;
      if (t == 0b0011 || t == 0b1100) {
        drawQuad(verts, a, b, c, d, t == 0b1100, code, tw, th, maxExtent, zbuf, frag, bary);
        continue;
      }
      if (t & 1) drawTriangle(verts, a, b, c, code, false, tw, th, maxExtent, zbuf, frag, bary);
      if (t & 2) drawTriangle(verts, b, d, c, code | (1 << 1), false, tw, th, maxExtent, zbuf, frag, bary);
      if (t & 4) drawTriangle(verts, a, b, d, code | (2 << 1), false, tw, th, maxExtent, zbuf, frag, bary);
      if (t & 8) drawTriangle(verts, a, d, c, code | (3 << 1), false, tw, th, maxExtent, zbuf, frag, bary);
    }
  }
}

/** How much farther than its pixel an edge pixel's square is drawn: the mesh wins wherever both cover. */
const SQUARE_BIAS: f64 = 1e-3;

/**
 * Each EDGE pixel's own square (its corners (u, v) to (u + 1, v + 1), at its depth, a hair
 * farther) in its flat colour. The mesh between pixel centres stops half a pixel short of where
 * a torn surface or the photo ends; the squares carry it to the pixel's edge, so a depth edge
 * opens only by the parallax between its sides, and a pixel joined to none (a speck, a
 * one-pixel wire) still shows. scratch: room for four vertices.
 */
export function drawSquares(
  depth: usize, links: usize, sw: i32, sh: i32, sfx: f64, sfy: f64, scx: f64, scy: f64, T: usize,
  fx: f64, fy: f64, tcx: f64, tcy: f64, layer: i32,
  tw: i32, th: i32, maxExtent: f32, zbuf: usize, frag: usize, bary: usize, scratch: usize,
): void {
  const r00 = load<f64>(T), r01 = load<f64>(T, 8), r02 = load<f64>(T, 16), t0 = load<f64>(T, 24);
  const r10 = load<f64>(T, 32), r11 = load<f64>(T, 40), r12 = load<f64>(T, 48), t1 = load<f64>(T, 56);
  const r20 = load<f64>(T, 64), r21 = load<f64>(T, 72), r22 = load<f64>(T, 80), t2 = load<f64>(T, 88);
  for (let v = 0; v < sh; v++) {
    for (let u = 0; u < sw; u++) {
      const i = <usize>(v * sw + u);
      if ((load<u8>(links + i) & EDGE) == 0) continue;
      const z = <f64>load<f32>(depth + (i << 2)) * (1 + SQUARE_BIAS);
      let behind = false;
      for (let k = 0; k < 4; k++) {
        const rx = (<f64>(u + (k & 1)) - scx) / sfx, ry = (<f64>(v + (k >> 1)) - scy) / sfy;
        const Z = z * (r20 * rx + r21 * ry + r22) + t2;
        const o = scratch + <usize>k * 12;
        if (!(Z > Z_EPSILON)) {
          behind = true;
          break;
        }
        const iz = 1 / Z;
        store<f32>(o, snap(fx * (z * (r00 * rx + r01 * ry + r02) + t0) * iz + tcx));
        store<f32>(o, snap(fy * (z * (r10 * rx + r11 * ry + r12) + t1) * iz + tcy), 4);
        store<f32>(o, <f32>iz, 8);
      }
      if (behind) continue;
      const code = <i32>(i << 3) | layer;
      drawTriangle(scratch, 0, 1, 2, code, true, tw, th, maxExtent, zbuf, frag, bary);
      drawTriangle(scratch, 1, 3, 2, code, true, tw, th, maxExtent, zbuf, frag, bary);
    }
  }
}

/**
 * Colours and depth from the z-buffer: each covered pixel interpolates its triangle's three corner
 * colours (of the layer it came from: rgb0 or rgb1) with its barycentric weights; a pixel no
 * triangle covers is a raw hole (raw = 1, colour 0). zOut (0 = none) gets each pixel's z (0 in holes).
 */
export function resolve(
  n: i32, zbuf: usize, frag: usize, bary: usize, sw: i32, rgb0: usize, rgb1: usize,
  image: usize, raw: usize, zOut: usize,
): void {
  const ssw = <usize>sw;
  for (let p: usize = 0; p < <usize>n; p++) {
    const iz = load<f32>(zbuf + (p << 2));
    const px = image + p * 12;
    if (iz == 0) {
      store<u8>(raw + p, 1);
      store<f32>(px, 0);
      store<f32>(px, 0, 4);
      store<f32>(px, 0, 8);
      if (zOut) store<f32>(zOut + (p << 2), 0);
      continue;
    }
    store<u8>(raw + p, 0);
    const code = load<i32>(frag + (p << 2));
    const a = <usize>(code >>> 3);
    const tri = (code >> 1) & 3;
    const rgb = (code & 1) != 0 ? rgb1 : rgb0;
    let i0 = a, i1 = a + 1, i2 = a + ssw;
    if (tri == 1) {
      i0 = a + 1;
      i1 = a + ssw + 1;
    } else if (tri == 2) {
      i2 = a + ssw + 1;
    } else if (tri == 3) {
      i1 = a + ssw + 1;
    }
    const l1 = <f64>load<f32>(bary + (p << 3)), l2 = <f64>load<f32>(bary + (p << 3), 4);
    const l0 = 1 - l1 - l2;
    const c0 = rgb + i0 * 12, c1 = rgb + i1 * 12, c2 = rgb + i2 * 12;
    if (l1 == 0 && l2 == 0) {
      // On the first corner (or a flat square, whose other corners may lie past the image): its colour exactly.
      memory.copy(px, c0, 12);
    } else {
      for (let k: usize = 0; k < 12; k += 4) {
        const v0 = <f64>load<f32>(c0 + k), v1 = <f64>load<f32>(c1 + k), v2 = <f64>load<f32>(c2 + k);
        // A weight of exactly 1 gives that corner's colour exactly (the identity warp reproduces the photo).
        store<f32>(px + k, <f32>(l0 * v0 + l1 * v1 + l2 * v2));
      }
    }
    if (zOut) store<f32>(zOut + (p << 2), <f32>(1 / <f64>iz));
  }
}

/** Zeroes the colour and depth of every hole (after dilation); returns how many there are. */
export function applyHoles(image: usize, holes: usize, n: i32, zOut: usize): i32 {
  let count = 0;
  for (let p: usize = 0; p < <usize>n; p++) {
    if (load<u8>(holes + p) == 0) continue;
    count++;
    const px = image + p * 12;
    store<f32>(px, 0);
    store<f32>(px, 0, 4);
    store<f32>(px, 0, 8);
    if (zOut) store<f32>(zOut + (p << 2), 0);
  }
  return count;
}

/** The first byte after the module's own data: the caller's buffers start here. */
export function heapBase(): usize {
  return __heap_base;
}
