import { relativeCvTransform, type FrameCamera } from '../geometry/conventions';
import { meshKernel } from '../kernels/meshKernel';
import { EDGE_THRESHOLD, SHARPER } from '../warp/mesh';
import type { WarpSource } from '../warp/forward';
import { prepareWarp, type PreparedWarp, type WarpMethod } from '../warp/method';

/**
 * The preview's hidden layer: what lies behind the photo's foreground edges, invented once in the
 * photo's own view (a layered depth image, after Shih et al., "3D Photography using Context-aware
 * Layered Depth Inpainting", CVPR 2020, without its learned networks).
 *
 *  - Occluding edges are where the mesh warp tears (warp/mesh.ts, the same rule): of two torn
 *    neighbours the nearer is the foreground's edge, the farther the background's.
 *  - From each foreground edge pixel a band grows into the foreground (4-connected steps), over the
 *    pixels nearer than the background it hides, as deep as that edge's widest gap in the track's
 *    cameras (edgeReach): the part of the background a camera move can uncover there.
 *  - The band is filled from the far side only: every band pixel takes the nearest seam pixel
 *    (the background side of a torn pair, reached through the band) as its exemplar, with its
 *    depth (at least 2 x EDGE_THRESHOLD behind the foreground pixel it lies under) and the mean
 *    colour of its 3x3 pixels on the background's surface. No foreground colour can leak in.
 *  - The layer is the band plus the seam pixels themselves (copies), so its mesh joins the
 *    background's surface where it leaves it.
 * The warp draws it as a second mesh behind the photo in every frame: what a move uncovers there is
 * the same invented surface from every camera, instead of a fill made anew per frame that swims.
 */
export interface HiddenLayer {
  /** RGB, the photo's size; only where depth > 0. */
  rgb: Float32Array;
  /** z-depth, 0 where the layer has nothing. */
  depth: Float32Array;
  /** Pixels the layer invents (the band), and the band's depth in pixels (its deepest, with per-edge reaches). */
  invented: number;
  radius: number;
}

/** The band's depth when no cameras are given, and the most it may be, as fractions of the photo's larger side. */
export const DEFAULT_RADIUS_FRACTION = 0.04;
export const MAX_RADIUS_FRACTION = 0.25;

/** The foreground side of every torn pair of neighbours, and the background side (the seam). */
export interface Occlusions {
  /** The largest depth of a torn neighbour behind each pixel (0: the pixel is no foreground edge). */
  behind: Float32Array;
  /** 1 on the background side of a torn pair. */
  seam: Uint8Array;
}

export function buildHiddenLayer(
  src: WarpSource,
  opts: { radius?: number; reach?: Int32Array; threshold?: number; edges?: Occlusions } = {},
): HiddenLayer {
  const { width: w, height: h } = src.image;
  const n = w * h;
  const z = src.depth;
  const threshold = opts.threshold ?? EDGE_THRESHOLD;
  const edges = opts.edges ?? occlusions(src, threshold);
  const radius = Math.max(1, Math.round(opts.radius ?? DEFAULT_RADIUS_FRACTION * Math.max(w, h)));

  // The band: from each foreground edge pixel, its reach (or `radius`) in steps into the pixels nearer
  // than the background it hides.
  const dist = new Int32Array(n).fill(-1);
  const hidden = new Float32Array(n);
  const limit = new Int32Array(n);
  const queue = new Int32Array(n);
  let head = 0,
    tail = 0;
  for (let p = 0; p < n; p++) {
    if (edges.behind[p] > 0 && (!opts.reach || opts.reach[p] > 0)) {
      dist[p] = 1;
      hidden[p] = edges.behind[p];
      limit[p] = opts.reach ? opts.reach[p] : radius;
      queue[tail++] = p;
    }
  }
  let deepest = 0;
  while (head < tail) {
    const p = queue[head++];
    if (dist[p] > deepest) deepest = dist[p];
    if (dist[p] >= limit[p]) continue;
    const x = p % w;
    for (let k = 0; k < 4; k++) {
      const q = k === 0 ? (x > 0 ? p - 1 : -1) : k === 1 ? (x + 1 < w ? p + 1 : -1) : k === 2 ? p - w : p + w;
      if (q < 0 || q >= n || dist[q] !== -1) continue;
      if (!(z[q] > 0 && z[q] * (1 + threshold) < hidden[p])) continue;
      dist[q] = dist[p] + 1;
      hidden[q] = hidden[p];
      limit[q] = limit[p];
      queue[tail++] = q;
    }
  }

  // Each band pixel takes the background from the nearest seam pixel (the background side of a torn
  // pair), reached through the band: its 3x3 background mean colour and its depth, extended unchanged.
  const from = new Int32Array(n).fill(-1);
  head = tail = 0;
  for (let p = 0; p < n; p++) {
    if (edges.seam[p] && dist[p] === -1) {
      from[p] = p;
      queue[tail++] = p;
    }
  }
  while (head < tail) {
    const p = queue[head++];
    const x = p % w;
    for (let dy = -w; dy <= w; dy += w)
      for (let dx = -1; dx <= 1; dx++) {
        const q = p + dy + dx;
        if (q < 0 || q >= n || x + dx < 0 || x + dx >= w || from[q] !== -1 || !(dist[q] > 0)) continue;
        from[q] = from[p];
        queue[tail++] = q;
      }
  }
  const rgb = new Float32Array(n * 3);
  const depth = new Float32Array(n);
  // Each seam pixel's background colour, made once for all the band pixels that take it.
  const mean = new Float32Array(n * 3);
  const meanDone = new Uint8Array(n);
  let invented = 0;
  for (let p = 0; p < n; p++) {
    if (!(dist[p] > 0) || from[p] < 0) continue;
    invented++;
    const s = from[p];
    depth[p] = Math.max(z[s], z[p] * (1 + 2 * threshold));
    if (!meanDone[s]) {
      backgroundMean(src.image.data, z, s, w, n, threshold, mean, s);
      meanDone[s] = 1;
    }
    rgb[p * 3] = mean[s * 3];
    rgb[p * 3 + 1] = mean[s * 3 + 1];
    rgb[p * 3 + 2] = mean[s * 3 + 2];
  }
  // The seam itself, as it is, so the layer's mesh joins the background's surface where it leaves it.
  for (let p = 0; p < n; p++) {
    if (depth[p] > 0 || !edges.seam[p] || dist[p] !== -1) continue;
    depth[p] = z[p];
    rgb.set(src.image.data.subarray(p * 3, p * 3 + 3), p * 3);
  }
  return { rgb, depth, invented, radius: opts.reach ? deepest : radius };
}

/** The mean colour of the 3x3 pixels around seam pixel s that lie on its surface or behind it, into out at pixel p. */
function backgroundMean(
  image: Float32Array,
  z: Float32Array,
  s: number,
  w: number,
  n: number,
  threshold: number,
  out: Float32Array,
  p: number,
): void {
  let r = 0,
    g = 0,
    b = 0,
    k = 0;
  const x = s % w;
  for (let dy = -w; dy <= w; dy += w)
    for (let dx = -1; dx <= 1; dx++) {
      const q = s + dy + dx;
      if (q < 0 || q >= n || x + dx < 0 || x + dx >= w || !(z[q] * (1 + threshold) >= z[s])) continue;
      r += image[q * 3];
      g += image[q * 3 + 1];
      b += image[q * 3 + 2];
      k++;
    }
  out[p * 3] = r / k;
  out[p * 3 + 1] = g / k;
  out[p * 3 + 2] = b / k;
}

/** Where the photo's mesh tears (warp/mesh.ts, the same rule), as foreground and background sides. */
export function occlusions(src: WarpSource, threshold = EDGE_THRESHOLD): Occlusions {
  const { width: w, height: h } = src.image;
  const z = src.depth;
  const links = meshKernel().links(z, w, h, threshold, SHARPER);
  const behind = new Float32Array(w * h);
  const seam = new Uint8Array(w * h);
  const pair = (p: number, q: number) => {
    if (!(z[p] > 0 && z[q] > 0) || z[p] === z[q]) return;
    const [near, far] = z[p] < z[q] ? [p, q] : [q, p];
    behind[near] = Math.max(behind[near], z[far]);
    seam[far] = 1;
  };
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = y * w + x;
      const l = links[p];
      if (x + 1 < w && !(l & 1)) pair(p, p + 1);
      if (y + 1 < h) {
        if (!(l & 2)) pair(p, p + w);
        if (x + 1 < w && !(l & 4)) pair(p, p + w + 1);
        if (x > 0 && !(l & 8)) pair(p, p + w - 1);
      }
    }
  }
  return { behind, seam };
}

/**
 * How deep the band must reach from each foreground edge pixel for a track: the widest gap that
 * edge opens in any of the cameras (the pixel at its own depth and at the depth behind it, both
 * projected), plus 2, within [1, MAX_RADIUS_FRACTION of the photo's larger side]; 0 elsewhere.
 * Each edge gets what its own parallax needs: a far edge a short band, a near one a deep band.
 */
export function edgeReach(
  src: WarpSource,
  cameras: readonly FrameCamera[],
  edges: Occlusions = occlusions(src),
): Int32Array {
  const { width: w, height: h } = src.image;
  const z = src.depth;
  const { behind } = edges;
  const k = src.intrinsics;
  const cap = Math.round(MAX_RADIUS_FRACTION * Math.max(w, h));
  const widest = new Float32Array(w * h);
  const edge: number[] = [];
  for (let p = 0; p < w * h; p++) if (behind[p] > 0) edge.push(p);
  for (const cam of cameras) {
    const T = relativeCvTransform(src.c2w, cam.c2w);
    const { fx, fy } = cam.intrinsics;
    for (const p of edge) {
      const rx = ((p % w) + 0.5 - k.cx) / k.fx,
        ry = (Math.floor(p / w) + 0.5 - k.cy) / k.fy;
      // The ray's point at depth d lands at (A d + B) / (C d + D) on each axis (T applied to (rx d, ry d, d)).
      const ax = T[0] * rx + T[1] * ry + T[2],
        ay = T[4] * rx + T[5] * ry + T[6],
        az = T[8] * rx + T[9] * ry + T[10];
      const za = az * z[p] + T[11],
        zb = az * behind[p] + T[11];
      if (!(za > 1e-6 && zb > 1e-6)) continue;
      const dx = fx * ((ax * z[p] + T[3]) / za - (ax * behind[p] + T[3]) / zb),
        dy = fy * ((ay * z[p] + T[7]) / za - (ay * behind[p] + T[7]) / zb);
      const gap = Math.hypot(dx, dy);
      if (gap > widest[p]) widest[p] = gap;
    }
  }
  const reach = new Int32Array(w * h);
  for (const p of edge) reach[p] = Math.max(1, Math.min(cap, Math.ceil(widest[p]) + 2));
  return reach;
}

/** The deepest band a track needs anywhere (edgeReach's largest). */
export function layerRadius(
  src: WarpSource,
  cameras: readonly FrameCamera[],
  edges: Occlusions = occlusions(src),
): number {
  return Math.max(
    1,
    edgeReach(src, cameras, edges).reduce((m, r) => Math.max(m, r), 0),
  );
}

/**
 * The photo prepared for the preview frames of `cameras`: the mesh warp with its hidden layer
 * (sized for those cameras), or the splatting warp as it is.
 */
export function preparePreview(photo: WarpSource, cameras: readonly FrameCamera[], method: WarpMethod): PreparedWarp {
  if (method !== 'mesh') return prepareWarp(photo, method);
  return prepareWarp(photo, method, { behind: hiddenLayerFor(photo, cameras) });
}

/** The hidden layer a preview of `cameras` draws behind the photo (as mesh source arrays). */
export function hiddenLayerFor(
  photo: WarpSource,
  cameras: readonly FrameCamera[],
): { rgb: Float32Array; depth: Float32Array } {
  const edges = occlusions(photo);
  const layer = buildHiddenLayer(photo, { reach: edgeReach(photo, cameras, edges), edges });
  return { rgb: layer.rgb, depth: layer.depth };
}
