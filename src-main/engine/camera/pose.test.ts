import { Matrix4, PerspectiveCamera, Vector3 } from 'three';
import { describe, expect, it } from 'vitest';
import { CamtrackError } from '../util/errors';
import { glPoseToCv, intrinsicsFromFovY, projectCv, relativeCvTransform, IDENTITY4 } from '../geometry/conventions';
import { fitIntrinsics, intrinsicsFromPerspective, perspectiveFromIntrinsics, sourceIntrinsics } from './intrinsics';
import { mat3ToQuat, quatAngle, quatToMat3, type Quat, type Vec3 } from './math';
import {
  lookAtPose,
  lookAtRotation,
  poseFromPositionQuaternion,
  positionQuaternionFromPose,
  rigidPoseProblem,
} from './pose';
import { frustumCorners, unprojectPixel } from './frustum';
import { applyFrameCamera, matrix4ToPose, poseToMatrix4, projectionMatrixFromIntrinsics } from './three-bridge';

const rot = (q: Quat) => quatToMat3(q);
function expectClose(a: readonly number[], b: readonly number[], tol = 1e-12) {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(Math.abs(v - b[i]), `entry ${i}: ${v} vs ${b[i]}`).toBeLessThan(tol));
}

describe('lookAtRotation', () => {
  it('is the identity for a camera at the origin looking at (0, 0, -1)', () => {
    expectClose(rot(lookAtRotation([0, 0, 0], [0, 0, -1])), [1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });

  it('looking at (1, 0, 0) from the origin is a -90 degree yaw (camera -Z onto world +X)', () => {
    // Columns are the camera axes in world: X_cam = (0,0,1), Y_cam = (0,1,0), Z_cam = (-1,0,0).
    expectClose(rot(lookAtRotation([0, 0, 0], [1, 0, 0])), [0, 0, -1, 0, 1, 0, 1, 0, 0]);
  });

  it('a camera at (d, 0, -d) looking at (0, 0, -d) (a 90 degree orbit) is a +90 degree yaw', () => {
    const d = 3.7;
    expectClose(rot(lookAtRotation([d, 0, -d], [0, 0, -d])), [0, 0, 1, 0, 1, 0, -1, 0, 0]);
  });

  it('matches three.js PerspectiveCamera.lookAt for general positions', () => {
    const cases: [Vec3, Vec3][] = [
      [
        [1, 2, 3],
        [-0.5, 0.3, -4],
      ],
      [
        [0.2, -1, 0.5],
        [2, 1, -1],
      ],
      [
        [-3, 0.5, -2],
        [0, 0, -5],
      ],
    ];
    for (const [p, t] of cases) {
      const cam = new PerspectiveCamera();
      cam.position.set(...p);
      cam.lookAt(new Vector3(...t));
      cam.updateMatrixWorld(true);
      expectClose(matrix4ToPose(cam.matrixWorld), lookAtPose(p, t), 1e-6); // three is float64 but goes through Euler-free quaternions
    }
  });

  it('looking straight down or up keeps the camera top where a pitch from the source puts it', () => {
    // Down: X_cam = +X, Y_cam = -Z, Z_cam = +Y.
    expectClose(rot(lookAtRotation([0, 5, 0], [0, 0, 0])), [1, 0, 0, 0, 0, 1, 0, -1, 0]);
    // Up: X_cam = +X, Y_cam = +Z, Z_cam = -Y.
    expectClose(rot(lookAtRotation([0, 0, 0], [0, 4, 0])), [1, 0, 0, 0, 0, -1, 0, 1, 0]);
    // Continuous with an almost vertical view pitched down from the source.
    expect(quatAngle(lookAtRotation([0, 0, 0], [0, -1, -1e-7]), lookAtRotation([0, 0, 0], [0, -1, 0]))).toBeLessThan(
      1e-6,
    );
    // A custom up: looking along it falls back to a perpendicular and stays a rotation.
    const q = lookAtRotation([0, 0, 0], [1, 0, 0], [1, 0, 0]);
    expect(Math.hypot(...q)).toBeCloseTo(1, 12);
  });

  it('refuses a target on the camera and a zero up vector', () => {
    expect(() => lookAtRotation([1, 1, 1], [1, 1, 1])).toThrow(CamtrackError);
    expect(() => lookAtRotation([0, 0, 0], [0, 0, -1], [0, 0, 0])).toThrow(/up vector/);
  });
});

describe('poses', () => {
  it('position + quaternion -> pose -> position + quaternion round trips', () => {
    const q = mat3ToQuat(rot(lookAtRotation([1, 2, 3], [0, -1, 0])));
    const pose = poseFromPositionQuaternion([1, 2, 3], q);
    expect(rigidPoseProblem(pose)).toBeNull();
    const back = positionQuaternionFromPose(pose);
    expectClose(back.position, [1, 2, 3]);
    expect(quatAngle(back.quaternion, q)).toBeLessThan(1e-7);
  });

  it('rigidPoseProblem names what is wrong', () => {
    expect(rigidPoseProblem([...IDENTITY4])).toBeNull();
    expect(rigidPoseProblem([2, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])).toMatch(/orthonormal/);
    expect(rigidPoseProblem([-1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])).toMatch(/reflection/);
    expect(rigidPoseProblem([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 1])).toMatch(/last row/);
    expect(rigidPoseProblem([1, 0, 0, NaN, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])).toMatch(/finite/);
    expect(rigidPoseProblem([1, 0, 0])).toMatch(/3 numbers/);
  });

  it('a lookAt pose in OpenCV axes has its +Z (forward) column pointing at the target', () => {
    const p: Vec3 = [1, 0.5, 2];
    const t: Vec3 = [-1, 0, -3];
    const cv = glPoseToCv(lookAtPose(p, t));
    const fwd = [cv[2], cv[6], cv[10]];
    const dir = [t[0] - p[0], t[1] - p[1], t[2] - p[2]];
    const n = Math.hypot(...dir);
    expectClose(
      fwd,
      dir.map((v) => v / n),
    );
  });
});

describe('three.js bridge', () => {
  it('a pose survives Matrix4 both ways, and matrixWorld of a camera set from it equals it', () => {
    const pose = lookAtPose([0.3, -0.2, 1.5], [0, 0, -2]);
    expect(matrix4ToPose(poseToMatrix4(pose))).toEqual(pose);
    const cam = new PerspectiveCamera();
    applyFrameCamera(cam, { c2w: pose, intrinsics: sourceIntrinsics(1024, 576) });
    cam.updateMatrixWorld(true); // recomposes from position/quaternion: must give the same matrix
    expectClose(matrix4ToPose(cam.matrixWorld), pose, 1e-12);
  });

  it("three's projection with our intrinsics lands on projectCv's pixel (relativeCvTransform oracle)", () => {
    const k = { width: 640, height: 480, fx: 500, fy: 520, cx: 300, cy: 250 };
    const target = lookAtPose([0.4, 0.3, 0.5], [0, 0, -3]);
    const cam = new PerspectiveCamera(50, 1, 0.01, 100);
    applyFrameCamera(cam, { c2w: target, intrinsics: k });
    // A world point; the source camera is the identity, so its world coordinates are its GL source coordinates.
    const world: Vec3 = [0.3, -0.4, -2.5];
    const ndc = new Vector3(...world).project(cam);
    const px = [((ndc.x + 1) / 2) * k.width, ((1 - ndc.y) / 2) * k.height];
    const r = relativeCvTransform(IDENTITY4, target);
    const xs = [world[0], -world[1], -world[2]]; // GL -> OpenCV source camera axes
    const xt = [0, 1, 2].map((i) => r[i * 4] * xs[0] + r[i * 4 + 1] * xs[1] + r[i * 4 + 2] * xs[2] + r[i * 4 + 3]);
    const [u, v] = projectCv(k, xt[0], xt[1], xt[2]);
    expectClose(px, [u, v], 1e-6);
  });

  it('projectionMatrixFromIntrinsics equals three.js own matrix for a centred principal point', () => {
    const k = intrinsicsFromFovY(40, 1024, 576);
    const cam = new PerspectiveCamera(40, 1024 / 576, 0.1, 50);
    const ours = projectionMatrixFromIntrinsics(k, 0.1, 50, new Matrix4());
    expectClose(ours.elements, cam.projectionMatrix.elements, 1e-12);
  });
});

describe('frustum', () => {
  it('unprojects image corners through the pinhole into world coordinates', () => {
    const k = { width: 640, height: 480, fx: 400, fy: 410, cx: 300, cy: 250 };
    const src = frustumCorners({ c2w: [...IDENTITY4], intrinsics: k }, 2);
    expectClose(src.apex, [0, 0, 0]);
    expectClose(src.corners[0], [(-300 / 400) * 2, (250 / 410) * 2, -2]); // top-left: left and up in GL
    expectClose(src.corners[2], [(340 / 400) * 2, (-230 / 410) * 2, -2]);
    // A moved camera: the unprojected point projects back to the same pixel (conventions.ts oracle).
    const pose = lookAtPose([1, 0.5, 0.2], [0, 0, -3]);
    const w = unprojectPixel({ c2w: pose, intrinsics: k }, 123, 45, 3.5);
    const inv = relativeCvTransform(IDENTITY4, pose); // source (world) CV axes -> this camera's CV axes
    const xs = [w[0], -w[1], -w[2]];
    const xt = [0, 1, 2].map(
      (i) => inv[i * 4] * xs[0] + inv[i * 4 + 1] * xs[1] + inv[i * 4 + 2] * xs[2] + inv[i * 4 + 3],
    );
    expectClose(projectCv(k, xt[0], xt[1], xt[2]), [123, 45, 3.5], 1e-9);
  });
});

describe('intrinsics', () => {
  it('defaults to a 60 degree horizontal field of view, centred', () => {
    const k = sourceIntrinsics(1024, 576);
    expect(k.fx).toBeCloseTo(512 / Math.tan(Math.PI / 6), 9);
    expect(k.fy).toBe(k.fx);
    expect([k.cx, k.cy]).toEqual([512, 288]);
    expect(sourceIntrinsics(1024, 576, { fovYDeg: 50 }).fy).toBeCloseTo(288 / Math.tan((25 * Math.PI) / 180), 9);
    expect(() => sourceIntrinsics(1024, 576, { fovXDeg: 200 })).toThrow(CamtrackError);
    expect(() => sourceIntrinsics(10.5, 576)).toThrow(/positive whole numbers/);
  });

  it('uses the EXIF 35mm-equivalent focal length by the diagonal', () => {
    // 3:2 has the full frame's shape: 50mm on 6000 px wide is 50 / 36 * 6000.
    expect(sourceIntrinsics(6000, 4000, { focalLength35mm: 50 }).fx).toBeCloseTo((50 / 36) * 6000, 9);
    // 16:9 at 1920x1080, 26mm: f = 26 * hypot(1920, 1080) / hypot(36, 24).
    expect(sourceIntrinsics(1920, 1080, { focalLength35mm: 26 }).fy).toBeCloseTo(
      (26 * Math.hypot(1920, 1080)) / Math.hypot(36, 24),
      9,
    );
  });

  it('fits to a render size by cropping or padding', () => {
    const k = sourceIntrinsics(4000, 3000, { fovXDeg: 70 });
    const c = fitIntrinsics(k, 1024, 576, 'crop'); // scale 0.256, 768 tall, 96 cut top and bottom
    expect(c.fx).toBeCloseTo(k.fx * 0.256, 9);
    expect([c.cx, c.cy]).toEqual([512, 288]);
    const p = fitIntrinsics(k, 1024, 576, 'pad'); // scale 0.192, 768 wide, 128 padded each side
    expect(p.fy).toBeCloseTo(k.fy * 0.192, 9);
    expect(p.cx).toBeCloseTo(512, 9);
  });

  it('converts to and from three.js (vertical fov, aspect)', () => {
    const k = intrinsicsFromFovY(35, 1024, 576);
    const { fov, aspect } = perspectiveFromIntrinsics(k);
    expect(fov).toBeCloseTo(35, 12);
    expect(aspect).toBeCloseTo(1024 / 576, 12);
    const back = intrinsicsFromPerspective(fov, aspect, 1024, 576);
    expectClose([back.fx, back.fy, back.cx, back.cy], [k.fx, k.fy, k.cx, k.cy], 1e-9);
    // Non-square pixels survive through the aspect.
    const ns = { ...k, fx: k.fy * 1.1 };
    const b2 = intrinsicsFromPerspective(
      perspectiveFromIntrinsics(ns).fov,
      perspectiveFromIntrinsics(ns).aspect,
      1024,
      576,
    );
    expect(b2.fx).toBeCloseTo(ns.fx, 9);
    expect(() => intrinsicsFromPerspective(0, 1, 10, 10)).toThrow(CamtrackError);
  });
});
