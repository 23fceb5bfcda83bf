import { defaultLambda } from '../lambda/search';
import { sigmasForSteps } from '../schedule/sigmas';
import {
  DEFAULT_RENDER_SETTINGS,
  PROJECT_SCHEMA_VERSION,
  type Depth,
  type Keyframe,
  type LambdaDoc,
  type ProjectDoc,
  type RenderSettings,
  type SourceImageV3,
} from './schema';
import { assertValidDoc } from './parse';
import { withSourceFovY } from '../camera/edit';
import { sourceFovY, withPhotoCamera } from '../camera/intrinsics';

/**
 * A new project document with working defaults. No file I/O (the UI's File > New uses it too).
 *
 * - Track: 25 frames, SVD-XT's native clip length, at 7 fps, the rate SVD-XT's conditioning is
 *   usually given (added_time_ids carries fps - 1 = 6), so a fresh project renders the model's
 *   natural motion speed. One key at frame 0: the source camera (identity pose, looking down -Z).
 * - Lambda: the reference's default table for these steps and frames (NVS-Solver's search_hypers,
 *   engine/lambda/search.ts), lambda_min 0: no floor, as the reference's gradient-free sampler
 *   (step_single_dgs is called with weight_clamp=None; its 0.2 to 0.4 belong to the gradient variant
 *   and the two-view path). Projects that stored another floor keep it: a re-render must not change.
 * - Render settings: DEFAULT_RENDER_SETTINGS.
 */
export const DEFAULT_NUM_FRAMES = 25;
export const DEFAULT_FPS = 7;
export const DEFAULT_LAMBDA_MIN = 0;

export interface CreateProjectOptions {
  numFrames?: number;
  fps?: number;
  /**
   * Frame 0's vertical field of view in degrees at the render size: sets the photo's camera
   * (needs `image`). Without it the photo keeps the camera it has, else the default (camera/intrinsics).
   */
  fovY?: number;
  lambdaMin?: number;
  /** Overrides of DEFAULT_RENDER_SETTINGS (`steps` also sets the lambda table's rows). */
  render?: Partial<RenderSettings>;
  /** The photo; one without a camera gets the default one. */
  image?: SourceImageV3 | null;
  depth?: Depth | null;
  /** Clock for createdAt/modifiedAt (tests). */
  now?: Date;
}

/**
 * The source key: frame 0, at the origin, looking down -Z with +Y up (camera conventions). Its
 * fovY shows the photo's camera; frame 0 renders that camera whatever the key says.
 */
export function sourceCameraKey(fovY: number): Keyframe {
  return {
    id: 'source',
    frame: 0,
    position: [0, 0, 0],
    orientation: { kind: 'quaternion', q: [0, 0, 0, 1] },
    fovY,
    easing: 'linear',
  };
}

/** The default lambda table for `steps` denoising steps and `frames` frames, as a document. */
export function defaultLambdaDoc(steps: number, frames: number, lambdaMin: number = DEFAULT_LAMBDA_MIN): LambdaDoc {
  const d = defaultLambda(sigmasForSteps(steps), frames);
  return {
    steps: d.table.steps,
    frames: d.table.frames,
    values: Array.from(d.table.data),
    lambdaMin,
    preset: { kind: 'default', v1: d.v1, v2: d.v2, v3: d.v3 },
  };
}

export function createProject(name: string, opts: CreateProjectOptions = {}): ProjectDoc {
  const now = (opts.now ?? new Date()).toISOString();
  const render: RenderSettings = { ...DEFAULT_RENDER_SETTINGS, ...opts.render };
  const numFrames = opts.numFrames ?? DEFAULT_NUM_FRAMES;
  const image = opts.image ? withPhotoCamera(opts.image) : null;
  let doc: ProjectDoc = {
    schemaVersion: PROJECT_SCHEMA_VERSION,
    name,
    createdAt: now,
    modifiedAt: now,
    image,
    depth: opts.depth ?? null,
    sources: [],
    track: { numFrames, fps: opts.fps ?? DEFAULT_FPS, keyframes: [sourceCameraKey(sourceFovY({ image, render }))] },
    lambda: defaultLambdaDoc(render.steps, numFrames, opts.lambdaMin),
    render,
  };
  if (opts.fovY !== undefined) doc = withSourceFovY(doc, opts.fovY);
  // Options come from people and the CLI: refuse a bad value here, not at the first save.
  return assertValidDoc(doc, `The new project "${name}" is not valid`);
}
