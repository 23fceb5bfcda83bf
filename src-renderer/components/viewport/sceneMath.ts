import type { DepthPreview } from '../../../src-main/api/contract';
import type { FrameCamera, Intrinsics, Mat4 } from '../../../src-main/engine/geometry/conventions';
import type { TrackEvaluator } from '../../../src-main/engine/camera/evaluate';

/**
 * Geometry of the 3D view as plain typed arrays (pure, tested without WebGL): the photo lifted
 * by its depth, camera frustums and the track's curve. Points are unprojected exactly as the warp
 * does: pixel centre (u + 0.5, v + 0.5), OpenCV camera axes, then GL world = diag(1, -1, -1) * cv
 * because the source camera is the identity pose (conventions.ts).
 */

/** The engine's depth preview (z-depth, NaN where there is none, and the photo's intrinsics on that grid). */
export type DepthGrid = Omit<DepthPreview, 'report'>;

export interface DepthGeometry {
  /** xyz per grid pixel (GL world); pixels without depth sit at the origin and are never indexed. */
  positions: Float32Array;
  /** uv per grid pixel into the whole photo (v up, as three.js textures). */
  uvs: Float32Array;
  /** Triangles of the mesh: quads with all four corners valid and no depth discontinuity. */
  triangles: Uint32Array;
  /** Every valid pixel, for the point cloud. */
  points: Uint32Array;
  /** Median z of the valid pixels (a natural orbit target and preset depth). */
  medianDepth: number;
}

/**
 * Relative depth jump above which a quad is torn rather than stretched across a silhouette:
 * (zmax - zmin) / zmin > this. 0.1 keeps slanted ground planes (neighbouring pixels differ by a
 * few percent at 256 px) and tears foreground edges (jumps of tens of percent).
 */
export const DEFAULT_TEAR = 0.1;

export function buildDepthGeometry(g: DepthGrid, tear = DEFAULT_TEAR): DepthGeometry {
  const { width: w, height: h, depth } = g;
  const n = w * h;
  const positions = new Float32Array(n * 3);
  const uvs = new Float32Array(n * 2);
  const valid = new Uint8Array(n);
  const pts: number[] = [];
  for (let v = 0; v < h; v++) {
    const ry = (v + 0.5 - g.cy) / g.fy;
    for (let u = 0; u < w; u++) {
      const i = v * w + u;
      uvs[i * 2] = (u + 0.5) / w;
      uvs[i * 2 + 1] = 1 - (v + 0.5) / h;
      const z = depth[i];
      if (!(z > 0) || !Number.isFinite(z)) continue;
      valid[i] = 1;
      pts.push(i);
      positions[i * 3] = ((u + 0.5 - g.cx) / g.fx) * z;
      positions[i * 3 + 1] = -ry * z;
      positions[i * 3 + 2] = -z;
    }
  }
  const tris = new Uint32Array((w - 1) * (h - 1) * 6);
  let t = 0;
  for (let v = 0; v + 1 < h; v++) {
    for (let u = 0; u + 1 < w; u++) {
      const a = v * w + u,
        b = a + 1,
        c = a + w,
        d = c + 1;
      if (!(valid[a] && valid[b] && valid[c] && valid[d])) continue;
      const za = depth[a],
        zb = depth[b],
        zc = depth[c],
        zd = depth[d];
      const lo = Math.min(za, zb, zc, zd);
      const hi = Math.max(za, zb, zc, zd);
      if ((hi - lo) / lo > tear) continue;
      // Counter-clockwise seen from the source camera (front faces towards it).
      tris[t++] = a;
      tris[t++] = c;
      tris[t++] = b;
      tris[t++] = b;
      tris[t++] = c;
      tris[t++] = d;
    }
  }
  const zs = pts.map((i) => depth[i]).sort((x, y) => x - y);
  return {
    positions,
    uvs,
    triangles: tris.slice(0, t),
    points: Uint32Array.from(pts),
    medianDepth: zs.length ? zs[zs.length >> 1] : NaN,
  };
}

/** Corners of the image plane at distance `s` in front of a camera, in world coordinates: top-left, top-right, bottom-right, bottom-left. */
export function frustumCorners(k: Intrinsics, c2w: Mat4, s: number): [number, number, number][] {
  const px: [number, number][] = [
    [0, 0],
    [k.width, 0],
    [k.width, k.height],
    [0, k.height],
  ];
  return px.map(([x, y]) => {
    // OpenCV camera point, then GL camera axes (y and z flipped), then the pose.
    const cx = ((x - k.cx) / k.fx) * s;
    const cy = -((y - k.cy) / k.fy) * s;
    const cz = -s;
    return transformPoint(c2w, cx, cy, cz);
  });
}

export function transformPoint(m: Mat4, x: number, y: number, z: number): [number, number, number] {
  return [
    m[0] * x + m[1] * y + m[2] * z + m[3],
    m[4] * x + m[5] * y + m[6] * z + m[7],
    m[8] * x + m[9] * y + m[10] * z + m[11],
  ];
}

/** Segments (pairs of xyz) of a frustum: apex to the 4 corners, the image rectangle, and a tick above the top edge marking "up". */
export function frustumSegments(cam: FrameCamera, s: number, out: number[] = []): number[] {
  const o = transformPoint(cam.c2w, 0, 0, 0);
  const c = frustumCorners(cam.intrinsics, cam.c2w, s);
  const seg = (a: readonly number[], b: readonly number[]) => out.push(a[0], a[1], a[2], b[0], b[1], b[2]);
  for (const p of c) seg(o, p);
  for (let i = 0; i < 4; i++) seg(c[i], c[(i + 1) % 4]);
  // The up marker: a small triangle over the top edge (top-left -> apex above the middle -> top-right).
  const k = cam.intrinsics;
  const up = transformPoint(cam.c2w, 0, (k.cy / k.fy) * 1.35 * s, -s);
  seg(c[0], up);
  seg(up, c[1]);
  return out;
}

/** Frustum segments of the given frames only (e.g. the keys), one flat array. */
export function frustumsAt(ev: TrackEvaluator, frames: readonly number[], s: number): Float32Array {
  const out: number[] = [];
  for (const f of new Set(frames)) if (f >= 0 && f < ev.numFrames) frustumSegments(ev.at(f), s, out);
  return Float32Array.from(out);
}

/**
 * Where a free view should stand to show `points` (xyz triples) whole: their bounding box centre
 * and a distance along `direction` at which a sphere around the box fits a vertical field of view
 * `fovDeg` with 15% margin. `minRadius` keeps a short path (a small dolly) from filling the screen.
 */
export function framePoints(
  points: ArrayLike<number>,
  fovDeg: number,
  direction: readonly [number, number, number],
  minRadius: number,
): { target: [number, number, number]; position: [number, number, number] } {
  const lo = [Infinity, Infinity, Infinity],
    hi = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i + 2 < points.length; i += 3) {
    for (let a = 0; a < 3; a++) {
      const v = points[i + a];
      if (v < lo[a]) lo[a] = v;
      if (v > hi[a]) hi[a] = v;
    }
  }
  if (!(lo[0] <= hi[0]))
    return {
      target: [0, 0, 0],
      position: [direction[0] * minRadius * 3, direction[1] * minRadius * 3, direction[2] * minRadius * 3],
    };
  const target: [number, number, number] = [(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, (lo[2] + hi[2]) / 2];
  const radius = Math.max(minRadius, Math.hypot(hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]) / 2);
  const dist = (radius * 1.15) / Math.sin(((fovDeg / 2) * Math.PI) / 180);
  const n = Math.hypot(direction[0], direction[1], direction[2]) || 1;
  return {
    target,
    position: [
      target[0] + (direction[0] / n) * dist,
      target[1] + (direction[1] / n) * dist,
      target[2] + (direction[2] / n) * dist,
    ],
  };
}

/** Frustum segments of frames [0, numFrames) (every `step`-th frame and the last), one flat array. */
export function trackFrustums(ev: TrackEvaluator, s: number, step = 1): Float32Array {
  const out: number[] = [];
  for (let f = 0; f < ev.numFrames; f += step) frustumSegments(ev.at(f), s, out);
  if ((ev.numFrames - 1) % step !== 0) frustumSegments(ev.at(ev.numFrames - 1), s, out);
  return Float32Array.from(out);
}

/** Camera positions along the track at `perFrame` samples per frame (at most `maxPoints`), as xyz. */
export function trackCurve(ev: TrackEvaluator, perFrame = 8, maxPoints = 4000): Float32Array {
  const last = ev.numFrames - 1;
  const n = Math.max(2, Math.min(maxPoints, last * perFrame + 1));
  const out = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    const p = ev.sample((i / (n - 1)) * last).position;
    out[i * 3] = p[0];
    out[i * 3 + 1] = p[1];
    out[i * 3 + 2] = p[2];
  }
  return out;
}

/** A plane standing in for the photo when there is no depth: its four corners at distance `d` (the source frustum's image plane). */
export function photoPlaneCorners(k: Intrinsics, d: number): [number, number, number][] {
  return frustumCorners(k, [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], d);
}
