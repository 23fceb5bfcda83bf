import { describe, expect, it } from 'vitest';
import { createTrackEvaluator } from '../../../src-main/engine/camera/evaluate';
import { projectCv, rigidInverse, mat4Multiply, GL_CV_FLIP } from '../../../src-main/engine/geometry/conventions';
import { lookAtPose } from '../../../src-main/engine/camera/pose';
import type { Track } from '../../../src-main/engine/project/schema';
import {
  buildDepthGeometry,
  framePoints,
  frustumCorners,
  frustumSegments,
  frustumsAt,
  trackCurve,
  trackFrustums,
  transformPoint,
} from './sceneMath';
import { frameAtX, xOfFrame } from '../timeline/ruler';
import { tintHolePixels, HOLE_RGB } from './tint';
import { frameCountView } from '../timeline/frameCount';

const K = { width: 4, height: 3, fx: 2, fy: 2, cx: 2, cy: 1.5 };

describe('depth geometry', () => {
  it('unprojects pixel centres with the intrinsics into the GL world (y up, looking down -Z)', () => {
    const depth = new Float32Array(12).fill(2);
    const g = buildDepthGeometry({ depth, ...K });
    // Pixel (0, 0): centre (0.5, 0.5) -> cv ((0.5 - 2) / 2 * 2, (0.5 - 1.5) / 2 * 2, 2) = (-1.5, -1, 2) -> GL (-1.5, 1, -2).
    expect(Array.from(g.positions.slice(0, 3))).toEqual([-1.5, 1, -2]);
    // Pixel (3, 2): centre (3.5, 2.5) -> cv (1.5, 1, 2) -> GL (1.5, -1, -2).
    expect(Array.from(g.positions.slice(11 * 3, 11 * 3 + 3))).toEqual([1.5, -1, -2]);
    // uv: pixel centres over the whole photo, v up.
    expect(Array.from(g.uvs.slice(0, 2))).toEqual([0.125, Math.fround(1 - 0.5 / 3)]);
    // 3 x 2 quads, 2 triangles each.
    expect(g.triangles.length).toBe(3 * 2 * 6);
    expect(g.points.length).toBe(12);
    expect(g.medianDepth).toBe(2);
  });

  it("each vertex projects back onto its pixel centre through the source camera (the warp's unprojection)", () => {
    const depth = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const g = buildDepthGeometry({ depth, ...K }, Infinity);
    for (let i = 0; i < 12; i++) {
      const [x, y, z] = g.positions.slice(i * 3, i * 3 + 3);
      const [u, v, d] = projectCv(K, x, -y, -z); // GL world = source GL camera; flip to OpenCV
      expect(u).toBeCloseTo((i % 4) + 0.5, 5);
      expect(v).toBeCloseTo(Math.floor(i / 4) + 0.5, 5);
      expect(d).toBeCloseTo(depth[i], 6);
    }
  });

  it('drops quads touching invalid depth and tears quads across a depth jump', () => {
    const depth = new Float32Array(12).fill(2);
    depth[0] = NaN; // kills quad (0,0)
    depth[3] = 2.5; // a 25% jump: tears quad (2,0)
    const g = buildDepthGeometry({ depth, ...K }, 0.1);
    // 6 quads - 2 = 4 quads.
    expect(g.triangles.length).toBe(4 * 6);
    expect(g.points.length).toBe(11);
    expect(Array.from(g.triangles)).not.toContain(0);
    // A gentle slope (5%) stays connected.
    const slope = Float32Array.from({ length: 12 }, (_, i) => 2 * 1.05 ** (i % 4));
    expect(buildDepthGeometry({ depth: slope, ...K }, 0.1).triangles.length).toBe(6 * 6);
  });
});

describe('frustums and the track curve', () => {
  it('puts the image corners on the rays through the image corners at distance s', () => {
    const c = frustumCorners(K, [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], 2);
    // Top-left pixel corner (0, 0): cv (-2/2*2, -1.5/2*2, 2) = (-2, -1.5, 2) -> GL (-2, 1.5, -2).
    expect(c[0]).toEqual([-2, 1.5, -2]);
    expect(c[2]).toEqual([2, -1.5, -2]);
  });

  it('a camera looking at a point sees it in the middle of its frustum', () => {
    const pose = lookAtPose([3, 1, 2], [0, 0, -4]);
    const k = { width: 100, height: 50, fx: 80, fy: 80, cx: 50, cy: 25 };
    const c = frustumCorners(k, pose, 1);
    const centre = [0, 1, 2].map((j) => (c[0][j] + c[2][j]) / 2);
    // The centre of the image rectangle lies on the view ray, 1 unit ahead.
    const cv = transformPoint(mat4Multiply(GL_CV_FLIP, rigidInverse(pose)), centre[0], centre[1], centre[2]);
    expect(cv[0]).toBeCloseTo(0, 12);
    expect(cv[1]).toBeCloseTo(0, 12);
    expect(cv[2]).toBeCloseTo(1, 12);
    expect(frustumSegments({ c2w: pose, intrinsics: k }, 1).length).toBe(10 * 6);
  });

  it('draws the curve through the evaluated positions and one frustum per sampled frame', () => {
    const track: Track = {
      numFrames: 5,
      fps: 7,
      keyframes: [
        {
          id: 'k',
          frame: 4,
          position: [2, 0, 0],
          orientation: { kind: 'quaternion', q: [0, 0, 0, 1] },
          fovY: 40,
          easing: 'linear',
        },
      ],
    };
    const ev = createTrackEvaluator(track, K);
    const curve = trackCurve(ev, 2);
    expect(curve.length).toBe(9 * 3);
    expect(Array.from(curve.slice(0, 3))).toEqual([0, 0, 0]);
    expect(Array.from(curve.slice(24, 27))).toEqual([2, 0, 0]);
    expect(curve[4 * 3]).toBeCloseTo(ev.sample(2).position[0], 6);
    expect(trackFrustums(ev, 0.1).length).toBe(5 * 60);
    expect(trackFrustums(ev, 0.1, 3).length).toBe(2 * 60 + 60); // frames 0, 3 and the last
  });

  it('draws frustums at the given frames only (each once), and frames a path whole', () => {
    const ev = createTrackEvaluator(
      {
        numFrames: 5,
        fps: 7,
        keyframes: [
          {
            id: 'k',
            frame: 4,
            position: [2, 0, 0],
            orientation: { kind: 'quaternion', q: [0, 0, 0, 1] },
            fovY: 40,
            easing: 'linear',
          },
        ],
      },
      K,
    );
    expect(frustumsAt(ev, [0, 4, 4, 9], 0.1).length).toBe(2 * 60); // frame 9 is past the track
    expect(Array.from(frustumsAt(ev, [4], 0.1))).toEqual(Array.from(trackFrustums(ev, 0.1).slice(4 * 60, 5 * 60)));
    // A path from (0,0,0) to (2,0,0): centre (1,0,0), radius 1; at 60 degrees the sphere fits at 1.15 / sin(30deg) = 2.3.
    const view = framePoints([0, 0, 0, 2, 0, 0], 60, [0, 0, 2], 0.1);
    expect(view.target).toEqual([1, 0, 0]);
    expect(view.position[0]).toBeCloseTo(1, 12);
    expect(view.position[2]).toBeCloseTo(2.3, 12);
    // A path shorter than minRadius is framed at minRadius; no points falls back to the origin.
    expect(framePoints([0, 0, 0, 0.01, 0, 0], 60, [1, 0, 0], 1).position[0]).toBeCloseTo(0.005 + 2.3, 12);
    expect(framePoints([], 60, [1, 0, 0], 1).target).toEqual([0, 0, 0]);
  });
});

describe('timeline ruler, hole tint and frame-count badges', () => {
  it('maps frames to x and back, clamped to the track', () => {
    expect(xOfFrame(0, 250, 24)).toBe(5);
    expect(xOfFrame(24, 250, 24)).toBe(245);
    for (let f = 0; f <= 24; f++) expect(frameAtX(xOfFrame(f, 250, 24), 250, 24)).toBe(f);
    expect(frameAtX(-40, 250, 24)).toBe(0);
    expect(frameAtX(900, 250, 24)).toBe(24);
  });

  it('tints only hole pixels', () => {
    const rgba = new Uint8ClampedArray([100, 100, 100, 255, 0, 0, 0, 255]);
    const mask = new Uint8ClampedArray([0, 0, 0, 255, 255, 255, 255, 255]);
    expect(tintHolePixels(rgba, mask, 1)).toBe(1);
    expect(Array.from(rgba)).toEqual([100, 100, 100, 255, ...HOLE_RGB, 255]);
  });

  it('flags a count the model cannot render, never for the draft model', () => {
    expect(frameCountView(25, { frameCounts: [25] }).problem).toBeNull();
    expect(frameCountView(14, { frameCounts: [25] }).problem).toMatch(/renders 25 frames, but the track has 14/);
    expect(frameCountView(31, { frameCounts: 'any' }).problem).toBeNull();
    expect(frameCountView(31, null)).toEqual({ native: [14, 25], problem: null, windows: null });
    // 60 frames with SVD-XT: renders in windows [0,25), [21,46), [35,60).
    expect(frameCountView(60, { frameCounts: [25] })).toMatchObject({
      problem: null,
      windows: "Longer than the model's 25 frames: renders in 3 overlapping windows of 25.",
    });
    // render.windowFrames decides the windows, as in the render; the preview ('any') windows only then.
    expect(frameCountView(96, { frameCounts: 'any' }, { windowFrames: 25, windowOverlap: 4 })).toMatchObject({
      problem: null,
      windows: 'Windows of 25 frames (render settings): renders in 5 overlapping windows of 25.',
    });
    expect(frameCountView(60, { frameCounts: [25] }, { windowFrames: 20 }).problem).toMatch(
      /renders 25 frames; the render settings ask for windows of 20/,
    );
    expect(frameCountView(60, { frameCounts: [25] }, { windowFrames: 25, windowOverlap: 25 }).problem).toMatch(
      /overlap \(25\) must be smaller/,
    );
  });
});
