import path from 'node:path';
import { rigidPoseProblem } from '../camera/pose';
import type { DepthMapping, PixelIntrinsics } from '../project/schema';
import { CamtrackError } from '../util/errors';
import { positionProblem } from '../util/limits';

/**
 * nerfstudio's `transforms.json` (its data format for posed images, what `ns-process-data` writes):
 * camera fields at the top level and/or per frame (`fl_x`, `fl_y`, `cx`, `cy`, `w`, `h`; a frame's
 * own value wins), and `frames[]` with `file_path` (relative to the file), `transform_matrix`
 * (4x4 camera-to-world in OpenGL camera axes: our pose convention exactly) and optionally
 * `depth_file_path`: a .npy of z-depth in the scene's units, or a 16-bit PNG whose values times
 * `depth_unit_scale_factor` (top level, nerfstudio's default 1e-3: millimetres) are z-depth.
 * Lens distortion (k1, k2, p1, p2...) is not modelled: a file with nonzero coefficients is refused.
 *
 * Pure: this parses and checks; reading the images is the caller's (project.ts).
 */
export interface TransformsView {
  /** A display name: the image's file name. */
  name: string;
  imagePath: string;
  depthPath: string | null;
  /** How this view's depth file maps to z-depth. */
  mapping: DepthMapping;
  /** The size the intrinsics are for (`w`, `h`). */
  width: number;
  height: number;
  intrinsics: PixelIntrinsics;
  /** camera-to-world, GL axes, in the file's world. */
  c2w: number[];
}

/** nerfstudio's default depth_unit_scale_factor (depth PNGs in millimetres). */
export const NERFSTUDIO_DEPTH_UNIT_SCALE = 1e-3;
const DISTORTION = ['k1', 'k2', 'k3', 'k4', 'p1', 'p2'] as const;
/** Poses written with 4 decimals pass; a scaled or sheared matrix does not. */
const RIGID_TOLERANCE = 1e-3;

/**
 * `confine`: every file_path and depth_file_path must lead to a file inside the folder of the
 * transforms.json (the studio reads only the folder the person chose); `..` or an absolute path
 * is refused by name.
 */
export function parseTransforms(text: string, file: string, opts: { confine?: boolean } = {}): TransformsView[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw bad(file, `it is not JSON (${(e as Error).message})`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw bad(file, 'it is not a JSON object');
  const top = doc as Record<string, unknown>;
  if (!Array.isArray(top.frames) || top.frames.length === 0) throw bad(file, 'it has no "frames" list');
  const dir = path.dirname(path.resolve(file));
  const scaleField = top.depth_unit_scale_factor;
  if (scaleField !== undefined && !(typeof scaleField === 'number' && scaleField > 0))
    throw bad(file, `"depth_unit_scale_factor" must be a positive number (got ${JSON.stringify(scaleField)})`);
  const pngScale = (scaleField as number | undefined) ?? NERFSTUDIO_DEPTH_UNIT_SCALE;

  return top.frames.map((raw, i) => {
    const where = `frame ${i}`;
    if (typeof raw !== 'object' || raw === null) throw bad(file, `${where} is not an object`);
    const f = raw as Record<string, unknown>;
    const field = (name: string): unknown => f[name] ?? top[name];
    const inside = (key: string, p: string): string => {
      // A NUL cannot be in a file name: refused here, by name, rather than by the file system's own error.
      if (p.includes('\0')) throw bad(file, `${where}: "${key}" holds a NUL character, which no file name can`);
      const full = path.resolve(dir, p);
      const rel = path.relative(dir, full);
      if (opts.confine && (rel === '' || rel.startsWith('..') || path.isAbsolute(rel) || path.isAbsolute(p)))
        throw bad(
          file,
          `${where}: "${key}" ${p} leads outside the folder of the transforms.json; only files inside that folder are read`,
        );
      return full;
    };
    const num = (name: string, positive: boolean): number => {
      const v = field(name);
      if (typeof v !== 'number' || !Number.isFinite(v) || (positive && !(v > 0)))
        throw bad(
          file,
          `${where} needs "${name}" as a ${positive ? 'positive ' : ''}number (got ${JSON.stringify(v)})`,
        );
      return v;
    };
    for (const k of DISTORTION) {
      const v = field(k);
      if (v !== undefined && v !== 0)
        throw bad(
          file,
          `${where} has lens distortion ("${k}": ${JSON.stringify(v)}); undistort the images first (a pinhole camera is assumed)`,
        );
    }
    const width = num('w', true),
      height = num('h', true);
    if (!Number.isInteger(width) || !Number.isInteger(height))
      throw bad(file, `${where}: "w" and "h" must be whole numbers of pixels`);
    const intrinsics = { fx: num('fl_x', true), fy: num('fl_y', true), cx: num('cx', false), cy: num('cy', false) };
    if (typeof f.file_path !== 'string' || f.file_path === '') throw bad(file, `${where} has no "file_path"`);
    const m = f.transform_matrix;
    const flat =
      Array.isArray(m) && m.length === 4 && m.every((r) => Array.isArray(r) && r.length === 4)
        ? (m as unknown[][]).flat()
        : m;
    if (!Array.isArray(flat) || flat.length !== 16 || flat.some((v) => typeof v !== 'number'))
      throw bad(file, `${where} needs "transform_matrix" as a 4x4 list of numbers`);
    const problem = rigidPoseProblem(flat as number[], RIGID_TOLERANCE);
    if (problem) throw bad(file, `the "transform_matrix" of ${where} is not a rigid camera pose: ${problem}`);
    // As for camera paths: poses are re-expressed relative to the first view, which overflows (or loses all precision) far out.
    const far = positionProblem(where, [flat[3], flat[7], flat[11]] as number[]);
    if (far) throw bad(file, far);
    let depthPath: string | null = null;
    let mapping: DepthMapping = { kind: 'depth', scale: 1, near: 1e-4, far: 1e6 };
    if (f.depth_file_path !== undefined) {
      if (typeof f.depth_file_path !== 'string' || f.depth_file_path === '')
        throw bad(file, `${where}: "depth_file_path" must be a file name`);
      depthPath = inside('depth_file_path', f.depth_file_path);
      const ext = path.extname(depthPath).toLowerCase();
      if (ext === '.png') mapping = { ...mapping, scale: pngScale };
      else if (ext !== '.npy')
        throw bad(
          file,
          `${where}: "depth_file_path" must be a .npy (z-depth) or a 16-bit .png (times depth_unit_scale_factor); got ${f.depth_file_path}`,
        );
    }
    return {
      name: path.basename(f.file_path),
      imagePath: inside('file_path', f.file_path),
      depthPath,
      mapping,
      width,
      height,
      intrinsics,
      c2w: flat as number[],
    };
  });
}

function bad(file: string, what: string): CamtrackError {
  return new CamtrackError('bad-file', `${file} cannot be read as a nerfstudio transforms.json: ${what}.`);
}
