import { describe, expect, it } from 'vitest';
import { roomProblem, type RoomShape } from '../../../src-main/engine/project/schema';
import { dragCorner, dragVanishingPoint, exitPoint, moveWall, roomRegions, type Pt } from './roomEditor';

const ROOM: RoomShape = {
  kind: 'room',
  vanishingPoint: { x: 0.42, y: 0.4 },
  backWall: { left: 0.3, top: 0.28, right: 0.62, bottom: 0.55 },
  distance: 8,
};

/** Shoelace area of a polygon. */
function area(p: Pt[]): number {
  let a = 0;
  for (let i = 0; i < p.length; i++) {
    const q = p[(i + 1) % p.length];
    a += p[i].x * q.y - q.x * p[i].y;
  }
  return Math.abs(a) / 2;
}

describe('the room editor', () => {
  it('extends the radial lines to the border of the photo', () => {
    expect(exitPoint({ x: 0.5, y: 0.5 }, { x: 0.75, y: 0.75 })).toEqual({ x: 1, y: 1 });
    const e = exitPoint({ x: 0.4, y: 0.5 }, { x: 0.6, y: 0.6 });
    expect(e.x).toBeCloseTo(1, 12);
    expect(e.y).toBeCloseTo(0.8, 12);
  });

  it('cuts the photo into the back wall and four regions that cover it exactly once', () => {
    for (const room of [ROOM, moveWall(ROOM, 0.35, 0.4), dragCorner(ROOM, 'tl', { x: 0, y: 0 })]) {
      const regions = roomRegions(room);
      expect(regions.map((r) => r.name)).toEqual(['ceiling', 'right wall', 'floor', 'left wall']);
      const w = room.backWall;
      const total = regions.reduce((a, r) => a + area(r.points), 0) + (w.right - w.left) * (w.bottom - w.top);
      expect(total).toBeCloseTo(1, 9);
    }
  });

  it('keeps every drag a room that can be built', () => {
    const drags = [
      dragVanishingPoint(ROOM, { x: 2, y: -1 }),
      dragVanishingPoint(ROOM, { x: 0.1, y: 0.9 }),
      dragCorner(ROOM, 'br', { x: 0.2, y: 0.1 }),
      dragCorner(ROOM, 'tl', { x: 0.9, y: 0.9 }),
      dragCorner(ROOM, 'tr', { x: 1.5, y: -0.5 }),
      moveWall(ROOM, 5, 5),
      moveWall(ROOM, -5, -5),
    ];
    for (const r of drags) expect(roomProblem(r)).toBeNull();
    // The vanishing point stays inside the wall; a wall moved past the edge stops at it, the point along with it.
    expect(drags[0].vanishingPoint.x).toBeCloseTo(0.61, 12);
    expect(drags[5].backWall.right).toBe(1);
    expect(drags[5].vanishingPoint.x).toBeCloseTo(0.42 + (1 - 0.62), 12);
  });
});
