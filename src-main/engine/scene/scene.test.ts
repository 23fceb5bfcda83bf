import { describe, expect, it } from 'vitest';
import { IDENTITY4 } from '../geometry/conventions';
import { poseAt } from './poses';
import { renderScene, type Scene } from './scene';

const K = { width: 40, height: 30, fx: 30, fy: 30, cx: 20, cy: 15 };
const flat = { kind: 'gradient', length: 1, a: [0.5, 0.5, 0.5], b: [0.5, 0.5, 0.5] } as const;

describe('synthetic scene', () => {
  it('gives z-depth along the optical axis, not ray length: a facing wall is flat', () => {
    const scene: Scene = {
      background: [0, 0, 0],
      light: [0, 0, 1],
      objects: [{ kind: 'plane', point: [0, 0, -5], normal: [0, 0, 1], uAxis: [1, 0, 0], texture: flat }],
    };
    const { depth } = renderScene(scene, { c2w: IDENTITY4, intrinsics: K }, 1);
    for (const z of depth) expect(z).toBeCloseTo(5, 10);
    // Turned 30 degrees left, the wall is slanted: the ray (x, y, 1) reaches it at z-depth 5 / (cos30 + x sin30).
    const turned = renderScene(scene, { c2w: poseAt([0, 0, 0], 30), intrinsics: K }, 1);
    const u = 5,
      x = (u + 0.5 - K.cx) / K.fx;
    const a = Math.PI / 6;
    expect(turned.depth[15 * 40 + u]).toBeCloseTo(5 / (Math.cos(a) + x * Math.sin(a)), 5);
  });

  it('hits the nearest surface: a sphere before a wall, a box face, and no depth where nothing is hit', () => {
    const scene: Scene = {
      background: [0.1, 0.2, 0.3],
      light: [0, 0, 1],
      objects: [
        { kind: 'sphere', centre: [0, 0, -4], radius: 1, texture: flat },
        { kind: 'box', min: [-10, -10, -9], max: [10, 10, -8], texture: flat },
      ],
    };
    // A camera whose centre ray goes exactly through the sphere centre: principal point on a pixel centre.
    const k = { ...K, cx: 20.5, cy: 15.5 };
    const r = renderScene(scene, { c2w: IDENTITY4, intrinsics: k }, 1);
    expect(r.depth[15 * 40 + 20]).toBeCloseTo(3, 10);
    expect(r.depth[0]).toBeCloseTo(8, 10);
    const empty = renderScene({ ...scene, objects: [scene.objects[0]] }, { c2w: IDENTITY4, intrinsics: k }, 1);
    expect(empty.depth[0]).toBe(0);
    expect(Array.from(empty.image.data.slice(0, 3))).toEqual([0.1, 0.2, 0.3].map(Math.fround));
  });

  it('moves content by the parallax of a camera translation: fx * t / z pixels', () => {
    const scene: Scene = {
      background: [0, 0, 0],
      light: [0, 0, 1],
      objects: [{ kind: 'sphere', centre: [0, 0, -6], radius: 1, texture: flat }],
    };
    const left = (c2w: readonly number[]) => {
      const { depth } = renderScene(scene, { c2w, intrinsics: K }, 1);
      for (let u = 0; u < 40; u++) if (depth[15 * 40 + u] > 0) return u;
      return -1;
    };
    // Moving the camera 0.8 right moves the sphere 30 * 0.8 / ~5.9 = ~4 pixels left.
    expect(left(IDENTITY4) - left(poseAt([0.8, 0, 0]))).toBe(4);
  });
});
