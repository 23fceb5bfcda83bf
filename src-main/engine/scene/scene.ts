import { glPoseToCv, type FrameCamera } from '../geometry/conventions';
import { createRgbImage, type RgbImage } from '../image/types';

/**
 * A small synthetic scene of the project's own: planes, axis-aligned boxes and spheres with smooth
 * procedural textures and view-independent (diffuse) shading, ray-cast from any FrameCamera. It
 * gives an exact photo and an exact z-depth (OpenCV z along the optical axis, 0 where a ray
 * misses everything), so a warp from one camera can be compared with the direct render of another.
 * Textures are band-limited (smoothed edges) so that PSNR measures geometry, not aliasing.
 */
export type Vec3 = readonly [number, number, number];
export type Rgb = readonly [number, number, number];

export type Texture =
  | { kind: 'checker'; period: number; a: Rgb; b: Rgb; sharpness?: number }
  | { kind: 'stripes'; period: number; a: Rgb; b: Rgb }
  | { kind: 'gradient'; length: number; a: Rgb; b: Rgb };

export type SceneObject =
  /** Infinite plane; texture coordinates along uAxis and normal x uAxis. */
  | { kind: 'plane'; point: Vec3; normal: Vec3; uAxis: Vec3; texture: Texture }
  | { kind: 'sphere'; centre: Vec3; radius: number; texture: Texture }
  | { kind: 'box'; min: Vec3; max: Vec3; texture: Texture };

export interface Scene {
  objects: SceneObject[];
  /** Colour of rays that hit nothing (those pixels have no depth). */
  background: Rgb;
  /** Direction towards the light (world), for diffuse shading. */
  light: Vec3;
}

export interface SceneRender {
  image: RgbImage;
  /** z-depth per pixel (pixel centre ray), 0 = no hit. */
  depth: Float32Array;
}

interface Hit {
  t: number;
  obj: number;
  nx: number;
  ny: number;
  nz: number;
}

/** Renders `scene` from `camera`: colour averaged over supersample^2 rays per pixel, depth from the centre ray. */
export function renderScene(scene: Scene, camera: FrameCamera, supersample = 2): SceneRender {
  const k = camera.intrinsics;
  const { width, height } = k;
  const m = glPoseToCv(camera.c2w);
  const ox = m[3],
    oy = m[7],
    oz = m[11];
  const image = createRgbImage(width, height);
  const depth = new Float32Array(width * height);
  const L = normalize(scene.light);
  const hit: Hit = { t: 0, obj: -1, nx: 0, ny: 0, nz: 0 };
  const c: [number, number, number] = [0, 0, 0];
  const ss = Math.max(1, Math.floor(supersample));
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) {
      let r = 0,
        g = 0,
        b = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          // Camera-frame ray with z = 1, so the hit distance t is the z-depth.
          const xc = (u + (sx + 0.5) / ss - k.cx) / k.fx;
          const yc = (v + (sy + 0.5) / ss - k.cy) / k.fy;
          const dx = m[0] * xc + m[1] * yc + m[2];
          const dy = m[4] * xc + m[5] * yc + m[6];
          const dz = m[8] * xc + m[9] * yc + m[10];
          shade(scene, L, ox, oy, oz, dx, dy, dz, hit, c);
          r += c[0];
          g += c[1];
          b += c[2];
        }
      }
      const p = v * width + u;
      const inv = 1 / (ss * ss);
      image.data[p * 3] = r * inv;
      image.data[p * 3 + 1] = g * inv;
      image.data[p * 3 + 2] = b * inv;
      const xc = (u + 0.5 - k.cx) / k.fx;
      const yc = (v + 0.5 - k.cy) / k.fy;
      intersect(
        scene,
        ox,
        oy,
        oz,
        m[0] * xc + m[1] * yc + m[2],
        m[4] * xc + m[5] * yc + m[6],
        m[8] * xc + m[9] * yc + m[10],
        hit,
      );
      depth[p] = hit.obj >= 0 ? hit.t : 0;
    }
  }
  return { image, depth };
}

function shade(
  scene: Scene,
  L: Vec3,
  ox: number,
  oy: number,
  oz: number,
  dx: number,
  dy: number,
  dz: number,
  hit: Hit,
  out: [number, number, number],
): void {
  intersect(scene, ox, oy, oz, dx, dy, dz, hit);
  if (hit.obj < 0) {
    out[0] = scene.background[0];
    out[1] = scene.background[1];
    out[2] = scene.background[2];
    return;
  }
  const obj = scene.objects[hit.obj];
  const px = ox + hit.t * dx,
    py = oy + hit.t * dy,
    pz = oz + hit.t * dz;
  const [tu, tv] = texCoords(obj, px, py, pz, hit);
  const tex = texture(obj.texture, tu, tv);
  const lambert = Math.max(0, hit.nx * L[0] + hit.ny * L[1] + hit.nz * L[2]);
  const s = 0.55 + 0.45 * lambert;
  out[0] = tex[0] * s;
  out[1] = tex[1] * s;
  out[2] = tex[2] * s;
}

function intersect(
  scene: Scene,
  ox: number,
  oy: number,
  oz: number,
  dx: number,
  dy: number,
  dz: number,
  hit: Hit,
): void {
  hit.t = Infinity;
  hit.obj = -1;
  const tMin = 1e-6;
  for (let i = 0; i < scene.objects.length; i++) {
    const o = scene.objects[i];
    if (o.kind === 'plane') {
      const n = normalize(o.normal);
      const den = n[0] * dx + n[1] * dy + n[2] * dz;
      if (Math.abs(den) < 1e-12) continue;
      const t = (n[0] * (o.point[0] - ox) + n[1] * (o.point[1] - oy) + n[2] * (o.point[2] - oz)) / den;
      if (t > tMin && t < hit.t) {
        const sgn = den < 0 ? 1 : -1; // normal facing the ray
        hit.t = t;
        hit.obj = i;
        hit.nx = n[0] * sgn;
        hit.ny = n[1] * sgn;
        hit.nz = n[2] * sgn;
      }
    } else if (o.kind === 'sphere') {
      const lx = ox - o.centre[0],
        ly = oy - o.centre[1],
        lz = oz - o.centre[2];
      const a = dx * dx + dy * dy + dz * dz;
      const b = 2 * (lx * dx + ly * dy + lz * dz);
      const c = lx * lx + ly * ly + lz * lz - o.radius * o.radius;
      const disc = b * b - 4 * a * c;
      if (disc < 0) continue;
      const sq = Math.sqrt(disc);
      let t = (-b - sq) / (2 * a);
      if (t <= tMin) t = (-b + sq) / (2 * a);
      if (t > tMin && t < hit.t) {
        hit.t = t;
        hit.obj = i;
        hit.nx = (lx + t * dx) / o.radius;
        hit.ny = (ly + t * dy) / o.radius;
        hit.nz = (lz + t * dz) / o.radius;
      }
    } else {
      // Slab test; the entry face gives the normal.
      let t0 = -Infinity,
        t1 = Infinity,
        axis = 0,
        sign = 1;
      const orig = [ox, oy, oz],
        dir = [dx, dy, dz];
      let miss = false;
      for (let a = 0; a < 3; a++) {
        if (Math.abs(dir[a]) < 1e-15) {
          if (orig[a] < o.min[a] || orig[a] > o.max[a]) {
            miss = true;
            break;
          }
          continue;
        }
        let ta = (o.min[a] - orig[a]) / dir[a],
          tb = (o.max[a] - orig[a]) / dir[a];
        let s = -1;
        if (ta > tb) {
          const tmp = ta;
          ta = tb;
          tb = tmp;
          s = 1;
        }
        if (ta > t0) {
          t0 = ta;
          axis = a;
          sign = s;
        }
        if (tb < t1) t1 = tb;
      }
      if (miss || t0 > t1 || t0 <= tMin) continue;
      if (t0 < hit.t) {
        hit.t = t0;
        hit.obj = i;
        hit.nx = axis === 0 ? sign : 0;
        hit.ny = axis === 1 ? sign : 0;
        hit.nz = axis === 2 ? sign : 0;
      }
    }
  }
}

function texCoords(o: SceneObject, px: number, py: number, pz: number, hit: Hit): [number, number] {
  if (o.kind === 'plane') {
    const n = normalize(o.normal);
    const u = normalize(o.uAxis);
    const w = cross(n, u);
    const rx = px - o.point[0],
      ry = py - o.point[1],
      rz = pz - o.point[2];
    return [rx * u[0] + ry * u[1] + rz * u[2], rx * w[0] + ry * w[1] + rz * w[2]];
  }
  if (o.kind === 'sphere') {
    const nx = (px - o.centre[0]) / o.radius,
      ny = (py - o.centre[1]) / o.radius,
      nz = (pz - o.centre[2]) / o.radius;
    return [Math.atan2(nz, nx) * o.radius, Math.asin(Math.max(-1, Math.min(1, ny))) * o.radius];
  }
  // Box: the two coordinates across the face that was hit.
  if (hit.nx !== 0) return [pz, py];
  if (hit.ny !== 0) return [px, pz];
  return [px, py];
}

function texture(t: Texture, u: number, v: number): Rgb {
  let f: number;
  if (t.kind === 'checker') {
    const s = t.sharpness ?? 3;
    f = 0.5 + 0.5 * Math.tanh(s * Math.sin((2 * Math.PI * u) / t.period) * Math.sin((2 * Math.PI * v) / t.period));
  } else if (t.kind === 'stripes') {
    f = 0.5 + 0.5 * Math.sin((2 * Math.PI * (u + 0.5 * v)) / t.period);
  } else {
    f = Math.min(1, Math.max(0, 0.5 + u / t.length));
  }
  return [t.a[0] + f * (t.b[0] - t.a[0]), t.a[1] + f * (t.b[1] - t.a[1]), t.a[2] + f * (t.b[2] - t.a[2])];
}

function normalize(v: Vec3): Vec3 {
  const l = Math.hypot(v[0], v[1], v[2]);
  return [v[0] / l, v[1] / l, v[2] / l];
}

function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

/**
 * The project's sample scene, seen by the identity camera (which looks down world -Z): a floor,
 * a back wall, two boxes and two spheres between about 2.5 and 9 units away.
 */
export function sampleScene(): Scene {
  return {
    background: [0.55, 0.7, 0.9],
    light: [0.4, 0.8, 0.45],
    objects: [
      {
        kind: 'plane',
        point: [0, -1, 0],
        normal: [0, 1, 0],
        uAxis: [1, 0, 0],
        texture: { kind: 'checker', period: 1.2, a: [0.25, 0.22, 0.2], b: [0.85, 0.8, 0.7] },
      },
      {
        kind: 'plane',
        point: [0, 0, -9],
        normal: [0, 0, 1],
        uAxis: [1, 0, 0],
        texture: { kind: 'stripes', period: 1.5, a: [0.3, 0.45, 0.6], b: [0.8, 0.85, 0.9] },
      },
      {
        kind: 'box',
        min: [-2.4, -1, -6],
        max: [-1.0, 0.6, -4.6],
        texture: { kind: 'checker', period: 0.7, a: [0.7, 0.2, 0.15], b: [0.95, 0.75, 0.3] },
      },
      {
        kind: 'box',
        min: [1.2, -1, -7.5],
        max: [2.6, 1.4, -6.2],
        texture: { kind: 'stripes', period: 0.6, a: [0.15, 0.5, 0.25], b: [0.7, 0.9, 0.5] },
      },
      {
        kind: 'sphere',
        centre: [0.2, -0.35, -3.6],
        radius: 0.65,
        texture: { kind: 'checker', period: 0.5, a: [0.2, 0.2, 0.6], b: [0.9, 0.9, 0.95] },
      },
      {
        kind: 'sphere',
        centre: [-0.4, 0.9, -6.5],
        radius: 0.8,
        texture: { kind: 'gradient', length: 1.6, a: [0.9, 0.5, 0.1], b: [0.3, 0.1, 0.5] },
      },
    ],
  };
}
