import { readRegularText } from '../util/readBytes';
import { mat4Multiply, rigidInverse, type Mat4 } from '../geometry/conventions';
import { fovYFromFocal } from '../camera/intrinsics';
import { importCameraPath } from '../camera/nerfstudio';
import { poseFromPositionQuaternion, positionQuaternionFromPose } from '../camera/pose';
import { createProject, DEFAULT_NUM_FRAMES } from '../project/create';
import { depthAssetFromFile, imageAssetFromFile } from './fromFiles';
import type { NewAsset } from '../project/assets';
import { projectNameFromDir } from '../project/layout';
import type { Keyframe, PixelIntrinsics, ProjectDoc, RenderSettings, SourceView, Track } from '../project/schema';
import { saveProject, type SavedProject } from '../project/store';
import { CamtrackError } from '../util/errors';
import { LIMITS } from '../util/limits';
import { TWO_VIEW_LAMBDA_FLOOR } from './anchors';
import { readMvsnetFolder } from './mvsnetFolder';
import { parseTransforms, type TransformsView } from './transforms';

/**
 * A project from several posed views (sparse views). The first view becomes the project's photo
 * and depth, the camera of frame 0 at the identity pose; every other view is a source view placed
 * relative to it. Without a camera path the track runs through the views' cameras in order, one
 * key each, evenly spaced: the first frame at the first view, the last at the last (the
 * reference's two-view setting); a camera path (nerfstudio camera_path.json, in the same world as
 * the views) replaces that track.
 */
export interface ProjectFromViewsOptions {
  /** camera_path.json text, in the views' world. */
  cameraPath?: string;
  numFrames?: number;
  fps?: number;
  render?: Partial<RenderSettings>;
  name?: string;
  now?: Date;
}

/** Views as read from an importer: a photo, its depth and its camera in the importer's world. */
export type ViewFiles = TransformsView;

/** `confine`: files named in the transforms.json must lie inside its folder (see parseTransforms). */
export async function writeProjectFromTransforms(
  dir: string,
  transformsPath: string,
  opts: ProjectFromViewsOptions & { confine?: boolean } = {},
): Promise<SavedProject> {
  let text: string;
  try {
    text = await readRegularText(transformsPath);
  } catch (e) {
    throw new CamtrackError(
      'not-found',
      `The transforms file ${transformsPath} cannot be read: ${(e as Error).message}`,
      { cause: e },
    );
  }
  const views = parseTransforms(text, transformsPath, { confine: !!opts.confine });
  return writeProjectFromViews(dir, views, opts);
}

/** A project from an MVSNet / DTU folder (mvsnetFolder.ts): `views` in order, the first the photo. */
export async function writeProjectFromMvsnet(
  dir: string,
  folder: string,
  opts: ProjectFromViewsOptions & { views?: readonly number[] } = {},
): Promise<SavedProject> {
  const views = await readMvsnetFolder(folder, {
    ...(opts.views && { views: opts.views }),
    // Counted when the cameras are listed, before any depth map is read.
    checkCount: (n) => checkViewCount(n, opts),
  });
  return writeProjectFromViews(dir, views, opts);
}

export async function writeProjectFromViews(
  dir: string,
  views: readonly ViewFiles[],
  opts: ProjectFromViewsOptions = {},
): Promise<SavedProject> {
  if (views.length === 0) throw new CamtrackError('bad-input', 'A project needs at least one view.');
  // Everything that can be refused from the file's text is, before any photo or depth is decoded.
  checkViewCount(views.length, opts);
  for (const v of views) {
    const problem = focalProblem(v);
    if (problem) throw new CamtrackError('bad-file', `The view ${v.name}: ${problem}`);
  }
  const missing = views.find((v) => !v.depthPath);
  if (missing)
    throw new CamtrackError(
      'bad-input',
      `The view ${missing.name} has no depth file: every view of a sparse-view project needs one (depth_file_path).`,
    );
  const assets: NewAsset[] = [];
  const origin = views[0].c2w;
  const toOrigin = rigidInverse(origin);
  const placed = [];
  for (const v of views) {
    const photo = await imageAssetFromFile(v.imagePath);
    const depth = await depthAssetFromFile(v.depthPath as string, v.mapping);
    assets.push(photo.asset, depth.asset);
    // K is for v.width x v.height; the stored image may be a scaled copy.
    const sx = photo.image.width / v.width,
      sy = photo.image.height / v.height;
    const intrinsics: PixelIntrinsics = {
      fx: v.intrinsics.fx * sx,
      fy: v.intrinsics.fy * sy,
      cx: v.intrinsics.cx * sx,
      cy: v.intrinsics.cy * sy,
    };
    placed.push({
      view: v,
      image: { ...photo.image, intrinsics },
      depth: depth.depth,
      c2w: rigid(mat4Multiply(toOrigin, v.c2w)),
    });
  }

  const first = placed[0];
  let track: Track | undefined;
  if (opts.cameraPath !== undefined) {
    track = importCameraPath(opts.cameraPath, { origin, width: first.image.width, height: first.image.height }).track;
    if (opts.fps !== undefined) track = { ...track, fps: opts.fps };
  }
  const numFrames = track?.numFrames ?? opts.numFrames ?? DEFAULT_NUM_FRAMES;
  const doc: ProjectDoc = createProject(opts.name ?? projectNameFromDir(dir), {
    numFrames,
    ...(opts.fps !== undefined && { fps: opts.fps }),
    ...(opts.render && { render: opts.render }),
    ...(opts.now && { now: opts.now }),
    // The reference's two-view floor, shown in the lambda editor from the start (the render enforces it too).
    ...(views.length > 1 && { lambdaMin: TWO_VIEW_LAMBDA_FLOOR }),
    image: first.image,
    depth: first.depth,
  });
  doc.track = track ?? {
    ...doc.track,
    keyframes: keysThroughViews(
      placed.map((p) => ({ c2w: p.c2w, fy: p.image.intrinsics.fy, height: p.image.height })),
      numFrames,
    ),
  };
  doc.sources = placed.slice(1).map((p, i): SourceView => ({
    id: `view-${i + 1}`,
    name: p.view.name,
    image: p.image,
    depth: p.depth,
    c2w: p.c2w,
    enabled: true,
  }));
  return saveProject(dir, doc, assets, opts.now ? { now: () => opts.now as Date } : {});
}

/** One quaternion key per view camera, the first on frame 0 and the last on the last frame. */
export function keysThroughViews(
  views: readonly { c2w: Mat4; fy: number; height: number }[],
  numFrames: number,
): Keyframe[] {
  checkViewCount(views.length, { numFrames });
  return views.map((v, i) => {
    const { position, quaternion } = positionQuaternionFromPose(v.c2w);
    const frame = views.length === 1 ? 0 : Math.round((i * (numFrames - 1)) / (views.length - 1));
    return {
      id: i === 0 ? 'source' : `view-${i}`,
      frame,
      position,
      orientation: { kind: 'quaternion', q: quaternion },
      fovY: fovYFromFocal(v.fy, v.height),
      easing: 'linear',
    };
  });
}

/**
 * More views than a project holds, or (when the track runs through the views) than the track has
 * frames, are refused by count: each view is a photo and a depth map decoded in memory.
 */
export function checkViewCount(count: number, opts: Pick<ProjectFromViewsOptions, 'cameraPath' | 'numFrames'>): void {
  if (count > LIMITS.views.max)
    throw new CamtrackError(
      'bad-input',
      `${count} views: a project holds at most ${LIMITS.views.max} (the photo included). Choose fewer views.`,
    );
  const numFrames = opts.numFrames ?? DEFAULT_NUM_FRAMES;
  if (opts.cameraPath === undefined && count > numFrames)
    throw new CamtrackError(
      'bad-input',
      `${count} views do not fit on a ${numFrames}-frame track (one key per view). Give more frames, or a camera path.`,
    );
}

/** Why a view's focal lengths are refused: the field of view they give must be one a keyframe can have (1 to 179 degrees). */
export function focalProblem(v: Pick<ViewFiles, 'intrinsics' | 'width' | 'height'>): string | null {
  for (const [name, f, size] of [
    ['fx', v.intrinsics.fx, v.width],
    ['fy', v.intrinsics.fy, v.height],
  ] as const) {
    const fov = fovYFromFocal(f, size);
    if (!(fov > 1 && fov < 179))
      return `its focal length ${name} = ${f} pixels on a ${size}-pixel side is a field of view of ${fov.toPrecision(3)} degrees; a camera's must be between 1 and 179.`;
  }
  return null;
}

/** Exactly rigid again after the products (through position + quaternion). */
function rigid(m: Mat4): number[] {
  const { position, quaternion } = positionQuaternionFromPose(m);
  return poseFromPositionQuaternion(position, quaternion);
}
