import { describe, expect, it } from 'vitest';
import { photoIntrinsics, withPhotoCamera } from '../camera/intrinsics';
import type { RoomShape } from '../project/schema';
import { isCamtrackError } from '../util/errors';
import {
  bakeShape,
  bakeSize,
  checkShape,
  defaultPlane,
  defaultRoom,
  roomCorners,
  shapeDepth,
  shapeDepthAt,
  shapeMedian,
  withFocus,
  SHAPE_BAKE_SIDE,
  SHAPE_MAPPING,
} from './shapes';
import { applyDepthMapping } from './mapping';

/** An off-centre room: the vanishing point left of and above the centre, the wall not centred on it. */
const ROOM: RoomShape = {
  kind: 'room',
  vanishingPoint: { x: 0.42, y: 0.4 },
  backWall: { left: 0.3, top: 0.28, right: 0.62, bottom: 0.55 },
  distance: 8,
};
const W = 320;
const H = 180;
const K = photoIntrinsics(withPhotoCamera({ width: W, height: H }));

/** The camera-frame point (OpenCV axes) that pixel (x, y) of a baked grid sees. */
function unproject(z: number, x: number, y: number): [number, number, number] {
  return [((x + 0.5 - K.cx) / K.fx) * z, ((y + 0.5 - K.cy) / K.fy) * z, z];
}

/** Least squares y = a x + b z + c over the points; returns the coefficients and the largest residual. */
function fitY(points: [number, number, number][]): { a: number; b: number; c: number; maxResidual: number } {
  // Normal equations for [x z 1] [a b c]^T = y.
  const m = [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];
  const r = [0, 0, 0];
  for (const [x, y, z] of points) {
    const row = [x, z, 1];
    for (let i = 0; i < 3; i++) {
      r[i] += row[i] * y;
      for (let j = 0; j < 3; j++) m[i][j] += row[i] * row[j];
    }
  }
  const det = (q: number[][]) =>
    q[0][0] * (q[1][1] * q[2][2] - q[1][2] * q[2][1]) -
    q[0][1] * (q[1][0] * q[2][2] - q[1][2] * q[2][0]) +
    q[0][2] * (q[1][0] * q[2][1] - q[1][1] * q[2][0]);
  const d = det(m);
  const col = (i: number) => m.map((row, k) => row.map((v, j) => (j === i ? r[k] : v)));
  const [a, b, c] = [0, 1, 2].map((i) => det(col(i)) / d);
  let maxResidual = 0;
  for (const [x, y, z] of points) maxResidual = Math.max(maxResidual, Math.abs(a * x + b * z + c - y));
  return { a, b, c, maxResidual };
}

/** Largest difference between horizontally or vertically neighbouring pixels. */
function maxJump(values: ArrayLike<number>, w: number, h: number): number {
  let m = 0;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const v = values[y * w + x];
      if (x + 1 < w) m = Math.max(m, Math.abs(values[y * w + x + 1] - v));
      if (y + 1 < h) m = Math.max(m, Math.abs(values[(y + 1) * w + x] - v));
    }
  return m;
}

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(isCamtrackError(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('depth shapes', () => {
  it('a plane is the same z everywhere', () => {
    const raw = bakeShape(defaultPlane(3.5), 64, 36);
    expect(raw.encoding).toBe('float');
    expect(new Set(raw.values).size).toBe(1);
    expect(raw.values[0]).toBeCloseTo(3.5, 6);
  });

  it("a room's back wall is at its distance and the rest is nearer", () => {
    const raw = bakeShape(ROOM, W, H);
    let inside = 0;
    let wrong = 0;
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const fx = (x + 0.5) / W;
        const fy = (y + 0.5) / H;
        const z = raw.values[y * W + x];
        const inWall = fx >= 0.3 && fx <= 0.62 && fy >= 0.28 && fy <= 0.55;
        if (inWall) inside++;
        if (inWall ? Math.abs(z - 8) > 1e-5 : !(z < 8)) wrong++;
      }
    expect(inside).toBeGreaterThan(1000);
    expect(wrong).toBe(0);
    // Nearest at the photo's corners: the bottom-right corner is the farthest from the wall, along the floor or the right wall.
    const corner = shapeDepthAt(ROOM, 1, 1);
    expect(corner).toBeCloseTo(8 / Math.max((1 - 0.42) / (0.62 - 0.42), (1 - 0.4) / (0.55 - 0.4)), 6);
  });

  it("a room's floor is a plane in 3D: horizontal across, running towards the vanishing point", () => {
    const raw = bakeShape(ROOM, W, H);
    const floor: [number, number, number][] = [];
    const { vanishingPoint: v, backWall: b } = ROOM;
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const fx = (x + 0.5) / W;
        const fy = (y + 0.5) / H;
        if (fy <= b.bottom) continue;
        // The floor: below the wall, between the radial lines through its bottom corners.
        const sy = (fy - v.y) / (b.bottom - v.y);
        const sx = fx >= v.x ? (fx - v.x) / (b.right - v.x) : (v.x - fx) / (v.x - b.left);
        if (sy > sx + 1e-3) floor.push(unproject(raw.values[y * W + x], x, y));
      }
    expect(floor.length).toBeGreaterThan(5000);
    const fit = fitY(floor);
    // y = a x + b z + c with a = 0 (level across) and b = the vanishing direction's slope (it contains that direction).
    expect(fit.maxResidual).toBeLessThan(1e-4 * ROOM.distance);
    expect(Math.abs(fit.a)).toBeLessThan(1e-5);
    const slope = (v.y * H - K.cy) / K.fy;
    expect(fit.b).toBeCloseTo(slope, 5);
    // And it holds the back wall's bottom edge.
    const edgeY = ((b.bottom * H - K.cy) / K.fy) * ROOM.distance;
    expect(fit.b * ROOM.distance + fit.c).toBeCloseTo(edgeY, 5);
    // Seen from the camera the floor is below it (OpenCV y down: positive y).
    expect(fit.c).toBeGreaterThan(0);
  });

  it('the depth is continuous: at the wall edges and along the radial lines where the walls meet', () => {
    // A discontinuity keeps its jump at any resolution; a continuous z-map's largest neighbour step halves with the pixel.
    const coarse = bakeShape(ROOM, W, H);
    const fine = bakeShape(ROOM, 2 * W, 2 * H);
    const ratio = maxJump(fine.values, 2 * W, 2 * H) / maxJump(coarse.values, W, H);
    expect(ratio).toBeLessThan(0.55);
    expect(ratio).toBeGreaterThan(0.45);
    // Either side of the back wall's bottom edge, and of the radial line through its bottom-right corner.
    const eps = 1e-9;
    const { vanishingPoint: v, backWall: b } = ROOM;
    expect(shapeDepthAt(ROOM, 0.5, b.bottom - eps)).toBeCloseTo(shapeDepthAt(ROOM, 0.5, b.bottom + eps), 4);
    for (const t of [1.2, 1.8, 2.5]) {
      // A point on the line from the vanishing point through the corner, t times as far: nudged to the floor and to the wall.
      const px = v.x + t * (b.right - v.x);
      const py = v.y + t * (b.bottom - v.y);
      const onFloor = shapeDepthAt(ROOM, px - eps, py + eps);
      const onWall = shapeDepthAt(ROOM, px + eps, py - eps);
      expect(onFloor).toBeCloseTo(onWall, 4);
      expect(onFloor).toBeCloseTo(ROOM.distance / t, 4);
    }
  });

  it("gives the room's corners in 3D: the back wall at its distance, a rectangle", () => {
    const { back } = roomCorners(ROOM, K);
    for (const p of back) expect(p[2]).toBeCloseTo(8, 9);
    expect(back[0][1]).toBeCloseTo(back[1][1], 9); // top edge level
    expect(back[0][0]).toBeCloseTo(back[3][0], 9); // left edge upright
  });

  it('refuses a vanishing point outside the photo, a zero-size back wall, a point outside the wall, naming the numbers', () => {
    expect(message(() => defaultRoom({ x: 1.3, y: 0.5 }))).toMatch(
      /vanishing point \(1\.3, 0\.5\) lies outside the photo/,
    );
    expect(message(() => checkShape({ ...ROOM, vanishingPoint: { x: 0.5, y: -0.1 } }))).toMatch(/outside the photo/);
    expect(message(() => checkShape({ ...ROOM, backWall: { left: 0.4, top: 0.3, right: 0.4, bottom: 0.6 } }))).toMatch(
      /back wall is 0 x 0\.3 of the photo: it needs a width and a height of at least 0\.01/,
    );
    expect(message(() => checkShape({ ...ROOM, vanishingPoint: { x: 0.8, y: 0.4 } }))).toMatch(
      /\(0\.8, 0\.4\) must lie inside the back wall \(0\.3 to 0\.62 across/,
    );
    expect(message(() => checkShape({ kind: 'plane', distance: 0 }))).toMatch(/plane distance must be > 0/);
    expect(message(() => bakeShape({ ...ROOM, distance: -1 }, 4, 4))).toMatch(/back wall distance must be > 0/);
  });

  it('a default room keeps its back wall inside the photo and around the vanishing point, even near an edge', () => {
    for (const [x, y] of [
      [0.5, 0.5],
      [0.03, 0.97],
      [0.99, 0.01],
    ]) {
      const r = defaultRoom({ x, y });
      expect(r.backWall.left).toBeGreaterThanOrEqual(0);
      expect(r.backWall.right).toBeLessThanOrEqual(1);
      expect(r.backWall.left).toBeLessThan(x);
      expect(r.backWall.right).toBeGreaterThan(x);
      expect(r.backWall.top).toBeLessThan(y);
      expect(r.backWall.bottom).toBeGreaterThan(y);
    }
  });

  it('a shape put in place of another depth keeps the focus depth (the median z)', () => {
    const room = withFocus(defaultRoom(), 4, 1920, 1080);
    expect(shapeMedian(room, 1920, 1080)).toBeCloseTo(4, 2);
    const raw = bakeShape(room, 1920 / 4, 1080 / 4);
    const sorted = Float32Array.from(raw.values).sort();
    expect(sorted[sorted.length >> 1] / 4).toBeCloseTo(1, 2);
    expect(withFocus(defaultPlane(), 2.5, 1920, 1080)).toEqual({ kind: 'plane', distance: 2.5 });
  });

  it('bakes on the photo grid, capped on the long side, and maps through the identity', () => {
    expect(bakeSize(1920, 1080)).toEqual({ width: 1920, height: 1080 });
    expect(bakeSize(5472, 3648)).toEqual({ width: SHAPE_BAKE_SIDE, height: 1365 });
    expect(bakeSize(3000, 4000)).toEqual({ width: 1536, height: SHAPE_BAKE_SIDE });
    const d = shapeDepth(ROOM);
    expect(d.mapping).toEqual(SHAPE_MAPPING);
    const raw = bakeShape(ROOM, 80, 45);
    const { depth, report } = applyDepthMapping(raw, d.mapping);
    expect(Array.from(depth.z)).toEqual(Array.from(raw.values));
    expect(report.valid).toBe(80 * 45);
    expect(report.clippedNear + report.clippedFar).toBe(0);
  });
});
