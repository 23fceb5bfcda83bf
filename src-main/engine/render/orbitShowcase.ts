import { SVD_FRAME_COUNTS } from '../camera/frame-count';
import { fovYFromFocal } from '../camera/intrinsics';
import { presetTrack, type OrbitDirection } from '../camera/presets';
import { isPreviewModel } from '../preview';
import type { ProjectDoc } from '../project/schema';
import { CamtrackError } from '../util/errors';
import { loadRenderInputs } from './inputs';

/** Frames of the 360° showcase unless told: 4 s at 24 fps, about 4 SVD-XT windows. */
export const ORBIT360_DEFAULT_FRAMES = 96;

/** The median of the known (positive) depths: the scene's focus point, straight ahead of the photo. */
export function focusDepth(depth: Float32Array): number {
  const known = Float32Array.from(depth.filter((z) => z > 0 && Number.isFinite(z))).sort();
  if (known.length === 0)
    throw new CamtrackError(
      'bad-input',
      'The depth map has no known depth: a full orbit needs a point to turn around.',
    );
  return known[Math.floor(known.length / 2)];
}

/**
 * The showcase: the project's track made a full 360° orbit around the scene's focus point (the
 * median depth straight ahead), over the track's frames (so the lambda table keeps its shape;
 * `camtrack project new --orbit 360` makes the project with ORBIT360_DEFAULT_FRAMES). A preview or draft render (which take any frame
 * count) gets SVD-XT's 25-frame windows unless render.windowFrames is set, so it renders in
 * windows as the model will; a model folder windows by its own frame count.
 */
export async function orbit360Doc(
  projectDir: string,
  doc: ProjectDoc,
  opts: { direction?: OrbitDirection } = {},
): Promise<ProjectDoc> {
  const inputs = await loadRenderInputs(projectDir, doc);
  const k = inputs.intrinsics;
  const track = presetTrack(
    { kind: 'orbit360', ...(opts.direction && { direction: opts.direction }) },
    {
      numFrames: doc.track.numFrames,
      fps: doc.track.fps,
      sourceFovY: fovYFromFocal(k.fy, k.height),
      targetDepth: focusDepth(inputs.depth),
    },
  );
  const anyCount = isPreviewModel(doc.render.model) || doc.render.model === 'draft';
  const render =
    anyCount && doc.render.windowFrames === undefined
      ? { ...doc.render, windowFrames: SVD_FRAME_COUNTS['svd-xt'] }
      : doc.render;
  const rot = doc.track.rotationInterpolation;
  return { ...doc, track: { ...track, ...(rot && { rotationInterpolation: rot }) }, render };
}
