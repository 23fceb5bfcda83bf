import { MIN_BACK_WALL, type RoomShape } from '../../../src-main/engine/project/schema';

/**
 * The room editor's geometry, in fractions of the photo (x across, y down): where the lines from the
 * vanishing point through the back wall's corners leave the photo, the five regions they cut it
 * into, and the drags, each kept to a room that can be built (the vanishing point inside the
 * wall, the wall inside the photo and at least MIN_BACK_WALL on a side).
 */

export interface Pt {
  x: number;
  y: number;
}
type Wall = RoomShape['backWall'];

/** How far inside the wall the vanishing point stays, so no wall runs off to infinity. */
const VP_MARGIN = 0.01;

const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);

/** The back wall's corners, clockwise from the top left. */
export function wallCorners(w: Wall): [Pt, Pt, Pt, Pt] {
  return [
    { x: w.left, y: w.top },
    { x: w.right, y: w.top },
    { x: w.right, y: w.bottom },
    { x: w.left, y: w.bottom },
  ];
}

/** Where the ray from `from` through `through` leaves the unit square. */
export function exitPoint(from: Pt, through: Pt): Pt {
  const dx = through.x - from.x;
  const dy = through.y - from.y;
  let s = Infinity;
  if (dx > 0) s = Math.min(s, (1 - from.x) / dx);
  if (dx < 0) s = Math.min(s, -from.x / dx);
  if (dy > 0) s = Math.min(s, (1 - from.y) / dy);
  if (dy < 0) s = Math.min(s, -from.y / dy);
  if (!Number.isFinite(s)) return through;
  return { x: clamp(from.x + s * dx, 0, 1), y: clamp(from.y + s * dy, 0, 1) };
}

/** Position along the photo's border, clockwise from the top-left corner: 0..1 top, 1..2 right, 2..3 bottom, 3..4 left. */
function perimeter(p: Pt): number {
  const e = 1e-9;
  if (p.y <= e) return p.x;
  if (p.x >= 1 - e) return 1 + p.y;
  if (p.y >= 1 - e) return 3 - p.x;
  return 4 - p.y;
}
const SQUARE: Pt[] = [
  { x: 0, y: 0 },
  { x: 1, y: 0 },
  { x: 1, y: 1 },
  { x: 0, y: 1 },
];

export type RegionName = 'ceiling' | 'right wall' | 'floor' | 'left wall';

/**
 * The four regions around the back wall as polygons: each between two consecutive wall corners
 * (clockwise), out along their radial lines to the border and along the border between them.
 */
export function roomRegions(
  room: Pick<RoomShape, 'vanishingPoint' | 'backWall'>,
): { name: RegionName; points: Pt[] }[] {
  const c = wallCorners(room.backWall);
  const names: RegionName[] = ['ceiling', 'right wall', 'floor', 'left wall'];
  return names.map((name, i) => {
    const a = c[i];
    const b = c[(i + 1) % 4];
    const ea = exitPoint(room.vanishingPoint, a);
    const eb = exitPoint(room.vanishingPoint, b);
    const ta = perimeter(ea);
    let tb = perimeter(eb);
    if (tb < ta) tb += 4;
    const between: Pt[] = [];
    for (let k = Math.ceil(ta + 1e-9); k < tb - 1e-9; k++) between.push(SQUARE[k % 4]);
    return { name, points: [ea, ...between, eb, b, a] };
  });
}

/** The vanishing point dragged to `p`: kept inside the wall. */
export function dragVanishingPoint(room: RoomShape, p: Pt): RoomShape {
  const w = room.backWall;
  return {
    ...room,
    vanishingPoint: {
      x: clamp(p.x, w.left + VP_MARGIN, w.right - VP_MARGIN),
      y: clamp(p.y, w.top + VP_MARGIN, w.bottom - VP_MARGIN),
    },
  };
}

export type CornerName = 'tl' | 'tr' | 'br' | 'bl';

/** A wall corner dragged to `p`: its two edges follow, inside the photo, never past the vanishing point. */
export function dragCorner(room: RoomShape, corner: CornerName, p: Pt): RoomShape {
  const v = room.vanishingPoint;
  const w = { ...room.backWall };
  const min = Math.max(MIN_BACK_WALL, VP_MARGIN);
  if (corner === 'tl' || corner === 'bl') w.left = clamp(p.x, 0, Math.min(v.x - VP_MARGIN, w.right - min));
  else w.right = clamp(p.x, Math.max(v.x + VP_MARGIN, w.left + min), 1);
  if (corner === 'tl' || corner === 'tr') w.top = clamp(p.y, 0, Math.min(v.y - VP_MARGIN, w.bottom - min));
  else w.bottom = clamp(p.y, Math.max(v.y + VP_MARGIN, w.top + min), 1);
  return { ...room, backWall: w };
}

/** The wall and its vanishing point moved together by (dx, dy), stopping at the photo's edges. */
export function moveWall(room: RoomShape, dx: number, dy: number): RoomShape {
  const w = room.backWall;
  const mx = clamp(dx, -w.left, 1 - w.right);
  const my = clamp(dy, -w.top, 1 - w.bottom);
  return {
    ...room,
    vanishingPoint: { x: room.vanishingPoint.x + mx, y: room.vanishingPoint.y + my },
    backWall: { left: w.left + mx, top: w.top + my, right: w.right + mx, bottom: w.bottom + my },
  };
}
