import type { Intrinsics } from '../geometry/conventions';
import { DepthShape, roomProblem, type Depth, type DepthMapping, type RoomShape } from '../project/schema';
import { CamtrackError } from '../util/errors';
import { formatIssues } from '../util/issues';
import { MEDIAN_DEPTH } from './defaults';
import type { RawDepth } from './types';

/**
 * Depth shapes: depth for a photo without a depth file or model (pure geometry). The source camera
 * is the pinhole at the origin looking down +z (OpenCV axes: x right, y down); positions on the
 * photo are fractions (0..1 of its width and height, pixel centres at (x + 0.5) / width).
 *
 * - plane: every pixel at the same z (a fronto-parallel card).
 * - room ("Tour Into the Picture", Horry, Anjyo, Arai 1997): the back wall is the plane
 *   z = distance seen through the back-wall rectangle; floor, ceiling and side walls are the planes
 *   through its bottom, top, left and right edges that run along the direction d = K^-1 (vanishing
 *   point, 1), so their lines in 3D meet at the vanishing point in the image. For a pixel p outside
 *   the back wall, the ray from the vanishing point v through p leaves the wall's rectangle at a
 *   point q on the edge whose wall p shows, p = v + s (q - v) with s > 1, and that wall is at
 *   z = distance / s (along a floor row, z is the back wall's times (bottom - v.y) / (p.y - v.y):
 *   the ratio is the same in pixels and in camera coordinates, so the z-map needs no intrinsics;
 *   the 3D points, roomCorners and the warp do). z = distance / max(1, s_x, s_y) is a maximum of
 *   continuous functions: continuous everywhere, walls meeting along the radial lines through the
 *   wall's corners, and each wall a plane in 3D.
 */

/** Scene units of the default shapes: the median depth that relative disparity is mapped to. */
export const SHAPE_DEFAULT_DISTANCE = MEDIAN_DEPTH;

/** How baked shape values become z: they already are z in scene units. */
export const SHAPE_MAPPING: DepthMapping = Object.freeze({ kind: 'depth', scale: 1, near: 1e-3, far: 1e6 });

/** Longest side of a baked shape: finer than any render grid it is resampled to (nearest, as depth files are). */
export const SHAPE_BAKE_SIDE = 2048;

/**
 * The back wall's default size (a fraction of the photo on each axis): about a third, so a
 * centred room's floor and walls fill the rest of the photo and the photo's corners sit at a third
 * of the back wall's distance. A room's default distance puts its corners near the plane's.
 */
export const ROOM_DEFAULT_WALL = 1 / 3;
export const ROOM_DEFAULT_DISTANCE = 2 * SHAPE_DEFAULT_DISTANCE;

export function defaultPlane(distance = SHAPE_DEFAULT_DISTANCE): DepthShape {
  return checkShape({ kind: 'plane', distance });
}

/**
 * A room whose back wall is a rectangle of ROOM_DEFAULT_WALL of the photo around the vanishing
 * point (default: the photo's centre), moved inside the photo where the point is near an edge
 * and kept around the point.
 */
export function defaultRoom(
  vanishingPoint: { x: number; y: number } = { x: 0.5, y: 0.5 },
  distance = ROOM_DEFAULT_DISTANCE,
): RoomShape {
  const { x, y } = vanishingPoint;
  const around = (c: number): [number, number] => {
    if (!(c > 0 && c < 1)) return [0, 1]; // refused by checkShape below, with the point's numbers
    // Centred on the point, shifted inwards near an edge (the point stays inside: 0 < c < 1).
    const lo = Math.min(Math.max(c - ROOM_DEFAULT_WALL / 2, 0), 1 - ROOM_DEFAULT_WALL);
    return [lo, lo + ROOM_DEFAULT_WALL];
  };
  const [left, right] = around(x);
  const [top, bottom] = around(y);
  return checkShape({
    kind: 'room',
    vanishingPoint: { x, y },
    backWall: { left, top, right, bottom },
    distance,
  }) as RoomShape;
}

/** The shape, validated; a CamtrackError naming the problem and its numbers otherwise. */
export function checkShape(shape: unknown): DepthShape {
  const r = DepthShape.safeParse(shape);
  if (r.success) return r.data;
  const room = shape as RoomShape;
  const problem = room && room.kind === 'room' && room.vanishingPoint && room.backWall ? roomProblem(room) : null;
  throw new CamtrackError('bad-input', problem ?? `The depth shape is not valid: ${formatIssues(r.error.issues)}`);
}

/** A project depth made of a shape: its parameters as the source, the identity mapping. */
export function shapeDepth(shape: DepthShape): Depth {
  return { source: { type: 'shape', shape: checkShape(shape) }, mapping: { ...SHAPE_MAPPING } };
}

/** z at a position on the photo (fractions), for a valid shape. */
export function shapeDepthAt(shape: DepthShape, fx: number, fy: number): number {
  if (shape.kind === 'plane') return shape.distance;
  const { vanishingPoint: v, backWall: w, distance } = shape;
  const sx = fx >= v.x ? (fx - v.x) / (w.right - v.x) : (v.x - fx) / (v.x - w.left);
  const sy = fy >= v.y ? (fy - v.y) / (w.bottom - v.y) : (v.y - fy) / (v.y - w.top);
  return distance / Math.max(1, sx, sy);
}

/** The shape as z-depth on a width x height grid over the whole photo (values in scene units: map with SHAPE_MAPPING). */
export function bakeShape(shape: DepthShape, width: number, height: number): RawDepth {
  const s = checkShape(shape);
  const values = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const fy = (y + 0.5) / height;
    for (let x = 0; x < width; x++) values[y * width + x] = shapeDepthAt(s, (x + 0.5) / width, fy);
  }
  return { width, height, values, origin: shapeName(s), encoding: 'float' };
}

/** The grid a shape is baked on for a photo: the photo's own, or its aspect at `side` on the long side. */
export function bakeSize(
  photoWidth: number,
  photoHeight: number,
  side: number = SHAPE_BAKE_SIDE,
): { width: number; height: number } {
  const s = Math.min(1, side / Math.max(photoWidth, photoHeight));
  return { width: Math.max(1, Math.round(photoWidth * s)), height: Math.max(1, Math.round(photoHeight * s)) };
}

/** The shape baked over a photo of this size, on the grid bakeSize gives: the depth every render, warp and farm job reads. */
export function bakeShapeForPhoto(
  shape: DepthShape,
  photoWidth: number,
  photoHeight: number,
  side: number = SHAPE_BAKE_SIDE,
): RawDepth {
  const size = bakeSize(photoWidth, photoHeight, side);
  return bakeShape(shape, size.width, size.height);
}

/** The median z of a shape over a photo of this size (its focus depth), from a grid of at most 256 on the long side. */
export function shapeMedian(shape: DepthShape, photoWidth: number, photoHeight: number): number {
  if (shape.kind === 'plane') return shape.distance;
  const raw = bakeShapeForPhoto(shape, photoWidth, photoHeight, 256);
  const sorted = Float32Array.from(raw.values).sort();
  return sorted[sorted.length >> 1];
}

/**
 * The shape at the distance that puts its median z at `focus` (z scales with the distance): a
 * shape chosen in place of another depth keeps the scene's focus, so the track still fits it.
 */
export function withFocus(shape: DepthShape, focus: number, photoWidth: number, photoHeight: number): DepthShape {
  if (!(focus > 0 && Number.isFinite(focus))) return shape;
  // Four significant digits: a distance a person reads and types, the focus within 0.05% (RESCALE_TOLERANCE is 2%).
  const distance = Number(((shape.distance * focus) / shapeMedian(shape, photoWidth, photoHeight)).toPrecision(4));
  return checkShape({ ...shape, distance });
}

/** "a plane at 4 units" / "a room, back wall at 8 units": for panels and messages. */
export function shapeName(shape: DepthShape): string {
  const d = Number(shape.distance.toPrecision(4));
  return shape.kind === 'plane' ? `a plane at ${d} units` : `a room, back wall at ${d} units`;
}

/**
 * The room's eight corners in the source camera's frame (OpenCV axes, scene units): the back
 * wall's four (top-left, top-right, bottom-right, bottom-left) at z = distance, and where the
 * floor, ceiling and walls leave the photo through its corners: the four points that the image's
 * corners see on the room. With `k` the photo's intrinsics.
 */
export function roomCorners(room: RoomShape, k: Intrinsics): { back: Vec3[]; front: Vec3[] } {
  const point = (fx: number, fy: number): Vec3 => {
    const z = shapeDepthAt(room, fx, fy);
    return [((fx * k.width - k.cx) / k.fx) * z, ((fy * k.height - k.cy) / k.fy) * z, z];
  };
  const { left, top, right, bottom } = room.backWall;
  return {
    back: [point(left, top), point(right, top), point(right, bottom), point(left, bottom)],
    front: [point(0, 0), point(1, 0), point(1, 1), point(0, 1)],
  };
}

type Vec3 = [number, number, number];
