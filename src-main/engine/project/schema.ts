import { LIMITS, positionProblem, renderPixelsProblem, type Range } from '../util/limits';
import { z } from '../util/zod';

/**
 * The project document: everything an artist edits, as plain JSON. It is the one vocabulary shared
 * by the UI store, the engine host, the CLI and the project file. Heavy data (the photo, its depth,
 * renders) lives in files beside it and is referenced by name.
 *
 * Bump PROJECT_SCHEMA_VERSION on any change that old readers would misread, and add a migration
 * from the previous version in `migrate.ts`.
 */
export const PROJECT_SCHEMA_VERSION = 4;

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
/** A whole number inside one of the limits (util/limits.ts). */
const whole = (r: Range) => z.number().int().min(r.min).max(r.max);
const imageSide = z.number().int().positive().max(LIMITS.imageSide);
export const Vec3 = z.tuple([finite, finite, finite]);
/**
 * A point of the scene a camera is at or looks at, within ±LIMITS.scenePoint on every axis (far
 * beyond, evaluating the track overflows, and poses lose all precision long before).
 */
export const ScenePoint = Vec3.superRefine((p, ctx) => {
  const problem = positionProblem('the point', p, LIMITS.scenePoint);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
export const Quat = z.tuple([finite, finite, finite, finite]);

/** An image or depth file stored inside the project folder, content-addressed by sha256. */
export const AssetRef = z.object({
  /** File name inside the project's `assets/` folder. */
  file: z.string().regex(/^[A-Za-z0-9._-]+$/, 'asset names are plain file names'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type AssetRef = z.infer<typeof AssetRef>;

/** A pinhole K in pixels for an image at its stored size (OpenCV axes: x right, y down). */
export const PixelIntrinsics = z.object({
  fx: finite.refine((v) => v > 0, 'fx must be > 0'),
  fy: finite.refine((v) => v > 0, 'fy must be > 0'),
  cx: finite,
  cy: finite,
});
export type PixelIntrinsics = z.infer<typeof PixelIntrinsics>;

export const SourceImage = z.object({
  asset: AssetRef,
  /** The name the artist imported it under, for display. */
  originalName: z.string(),
  /** Size of the stored (EXIF-oriented) image in pixels. */
  width: imageSide,
  height: imageSide,
  /**
   * The photo's camera: K at the stored size. Stored once, here; every frame-0 camera (3D view,
   * warps, renders, exports) comes from it through camera/intrinsics.ts renderIntrinsics. A
   * calibrated K, the first camera of an imported path, `--fov` or the source key's field of view
   * set it; a photo that says nothing gets DEFAULT_FOV_X_DEG across.
   */
  intrinsics: PixelIntrinsics,
  /**
   * A downscaled upright copy (JPEG, at most WORKING_COPY_SIDE on its long side) that the 3D view
   * and the look-through preview show instead of a large photo; renders always read `asset`.
   * Absent when the photo is small enough to show as it is.
   */
  working: AssetRef.optional(),
});
export type SourceImage = z.infer<typeof SourceImage>;

/** A photo as schema versions 0-3 (and sidecars and farm specs of those builds) stored it: K only when calibrated. */
export const SourceImageV3 = SourceImage.extend({ intrinsics: PixelIntrinsics.optional() });
export type SourceImageV3 = z.infer<typeof SourceImageV3>;

/**
 * How depth values in the file become metric z-depth along the optical axis:
 * kind 'depth': z = scale * v; kind 'disparity': z = scale / v. Then z is clipped to [near, far].
 * Depth Anything outputs relative disparity; the reference uses disparity, scale 10000, [1e-4, 500].
 */
export const DepthMapping = z
  .object({
    kind: z.enum(['depth', 'disparity']),
    scale: finite.refine((v) => v > 0, 'scale must be > 0'),
    near: finite.refine((v) => v > 0, 'near must be > 0'),
    far: finite,
  })
  .refine((m) => m.far > m.near, { message: 'far must be greater than near' });
export type DepthMapping = z.infer<typeof DepthMapping>;

/** A point or a length as a fraction of the photo: x of its width from the left, y of its height from the top. */
const Fraction = finite;
const positive = (what: string) => finite.refine((v) => v > 0, `${what} must be > 0`);

/**
 * Depth from a shape instead of a file (engine/depth/shapes.ts): stored as the shape's own
 * parameters and baked into a depth map when it is read, so it stays editable.
 * - plane: a fronto-parallel plane at `distance` (the photo as a card);
 * - room: "Tour Into the Picture" (Horry, Anjyo, Arai 1997): a back wall at `distance`, facing the
 *   camera, and floor, ceiling and side walls running from its edges towards the vanishing point.
 */
export const PlaneShape = z.object({ kind: z.literal('plane'), distance: positive('The plane distance') });
export const RoomShape = z
  .object({
    kind: z.literal('room'),
    vanishingPoint: z.object({ x: Fraction, y: Fraction }),
    backWall: z.object({ left: Fraction, top: Fraction, right: Fraction, bottom: Fraction }),
    distance: positive('The back wall distance'),
  })
  .superRefine((room, ctx) => {
    const problem = roomProblem(room);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
export const DepthShape = z.discriminatedUnion('kind', [PlaneShape, RoomShape]);
export type PlaneShape = z.infer<typeof PlaneShape>;
export type RoomShape = z.infer<typeof RoomShape>;
export type DepthShape = z.infer<typeof DepthShape>;

/** The back wall's smallest width and height, as a fraction of the photo. */
export const MIN_BACK_WALL = 0.01;

/** Why a room cannot be built (a sentence naming the numbers), or null when it can. */
export function roomProblem(room: Pick<RoomShape, 'vanishingPoint' | 'backWall'>): string | null {
  const { x, y } = room.vanishingPoint;
  const { left, top, right, bottom } = room.backWall;
  const f = (v: number) => Number(v.toFixed(3));
  if (!(x > 0 && x < 1 && y > 0 && y < 1))
    return `The vanishing point (${f(x)}, ${f(y)}) lies outside the photo: give it as fractions of the photo's width and height, each between 0 and 1.`;
  if (!(left >= 0 && top >= 0 && right <= 1 && bottom <= 1))
    return `The back wall (left ${f(left)}, top ${f(top)}, right ${f(right)}, bottom ${f(bottom)}) reaches outside the photo: its edges are fractions of the photo, between 0 and 1.`;
  if (!(right - left >= MIN_BACK_WALL && bottom - top >= MIN_BACK_WALL))
    return `The back wall is ${f(Math.max(0, right - left))} x ${f(Math.max(0, bottom - top))} of the photo: it needs a width and a height of at least ${MIN_BACK_WALL} (1% of the photo).`;
  if (!(x > left && x < right && y > top && y < bottom))
    return `The vanishing point (${f(x)}, ${f(y)}) must lie inside the back wall (${f(left)} to ${f(right)} across, ${f(top)} to ${f(bottom)} down): the room's edges run from the wall's corners towards it.`;
  return null;
}

export const DepthSource = z.discriminatedUnion('type', [
  z.object({ type: z.literal('file'), asset: AssetRef, originalName: z.string() }),
  z.object({ type: z.literal('model'), asset: AssetRef, model: z.string() }),
  z.object({ type: z.literal('shape'), shape: DepthShape }),
]);
export type DepthSource = z.infer<typeof DepthSource>;

/** Depth: its source and how the source's values become z-depth (for a shape: SHAPE_MAPPING, the identity). */
export const Depth = z.object({ source: DepthSource, mapping: DepthMapping });
export type Depth = z.infer<typeof Depth>;

/** The depth's file among the project's assets, or null for a shape (nothing stored but its parameters). */
export function depthAsset(d: Depth): AssetRef | null {
  return d.source.type === 'shape' ? null : d.source.asset;
}

/** A camera-to-world pose: 16 numbers, row-major 4x4, GL camera axes (geometry/conventions.ts). */
export const Pose = z.array(finite).length(16, 'a pose has 16 numbers (a row-major 4x4)');

/**
 * A further source view (sparse views, engine/sources): a photo, its depth and its camera. The
 * project's `image` and `depth` are the first view, the camera of frame 0 at the identity pose;
 * `c2w` places this one in that world. Every frame is warped from all enabled views at once.
 */
export const SourceView = z.object({
  id: z.string().min(1),
  name: z.string(),
  image: SourceImage,
  depth: Depth,
  c2w: Pose,
  /** Off: kept in the project, left out of warps and renders. */
  enabled: z.boolean(),
});
export type SourceView = z.infer<typeof SourceView>;

/**
 * A source video with per-frame depth (dynamic scenes, engine/video-input). Every frame was
 * decoded to a PNG asset; its depth file is stored as it came (.npy or 16-bit PNG). The project's
 * `image` and `depth` are frame 0. The video is taken as shot from the photo's camera (identity
 * pose, the photo's intrinsics): frame k of the track is warped from source frame k into the
 * track's camera k, and from the last source frame when the track is longer than the video.
 */
export const VideoFrame = z.object({ image: AssetRef, depth: AssetRef });
export type VideoFrame = z.infer<typeof VideoFrame>;

export const VideoInput = z.object({
  /** The file the artist imported, for display. */
  originalName: z.string(),
  /** The depth folder's name, for display. */
  depthFolder: z.string(),
  /** Frame size in pixels (every frame; the same as `image`). */
  width: imageSide,
  height: imageSide,
  /** The video's own frame rate (null when the container gives none). */
  fps: finite.refine((v) => v > 0, 'fps must be > 0').nullable(),
  frames: z.array(VideoFrame).min(1).max(LIMITS.videoFrames),
  /** How every depth file's values become z-depth (one mapping for the whole sequence). */
  mapping: DepthMapping,
});
export type VideoInput = z.infer<typeof VideoInput>;

export const Orientation = z.discriminatedUnion('kind', [
  /** Look at a target point, +Y world up unless `up` says otherwise. */
  z.object({ kind: z.literal('lookAt'), target: ScenePoint, up: Vec3.optional() }),
  /** Camera-to-world rotation (GL camera axes) as a unit quaternion [x, y, z, w]. */
  z.object({ kind: z.literal('quaternion'), q: Quat }),
]);
export type Orientation = z.infer<typeof Orientation>;

export const Easing = z.enum(['linear', 'easeIn', 'easeOut', 'easeInOut']);
export type Easing = z.infer<typeof Easing>;

export const Keyframe = z.object({
  id: z.string().min(1),
  /** Frame index on the timeline; frame 0 is the source camera. */
  frame: z.number().int().min(0),
  /** World position (GL world, +Y up). */
  position: ScenePoint,
  orientation: Orientation,
  /**
   * Vertical field of view in degrees of the render frame (the focal length, independent of
   * resolution). On frame 0 it only shows the photo's camera (`image.intrinsics`), which is what
   * frame 0 renders.
   */
  fovY: finite.refine((v) => v > 1 && v < 179, 'fovY must be between 1 and 179 degrees'),
  /** Easing of the segment that starts at this key. */
  easing: Easing.default('linear'),
});
export type Keyframe = z.infer<typeof Keyframe>;

export const Track = z.object({
  /** The track sets num_frames for the render. */
  numFrames: whole(LIMITS.frames),
  fps: finite.refine((v) => v > 0 && v <= 240, 'fps must be in (0, 240]'),
  keyframes: z.array(Keyframe),
  /** How orientations between quaternion keys are interpolated; absent means 'slerp'. */
  rotationInterpolation: z.enum(['slerp', 'squad']).optional(),
});
export type Track = z.infer<typeof Track>;

export const LambdaPreset = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('default'), v1: finite, v2: finite, v3: finite }),
  z.object({ kind: z.literal('constant'), value: finite }),
  z.object({ kind: z.literal('ramp'), axis: z.enum(['steps', 'frames']), from: finite, to: finite }),
  z.object({ kind: z.literal('custom') }),
]);
export type LambdaPreset = z.infer<typeof LambdaPreset>;

export const LambdaDoc = z
  .object({
    steps: whole(LIMITS.steps),
    frames: whole({ min: 1, max: LIMITS.frames.max }),
    /** Row-major [step][frame]. */
    values: z.array(finite).max(LIMITS.steps.max * LIMITS.frames.max),
    /** A user floor: every weight is raised to at least this (0 = none, the reference's DGS sampler). */
    lambdaMin: finite.refine((v) => v >= 0 && v <= 1, 'lambdaMin must be in [0, 1]'),
    /** Where the table came from; 'custom' once the artist has painted it. */
    preset: LambdaPreset,
  })
  .refine((l) => l.values.length === l.steps * l.frames, {
    message: 'the lambda table does not have steps x frames values',
  });
export type LambdaDoc = z.infer<typeof LambdaDoc>;

export const ExecutionProviderName = z.enum(['auto', 'cuda', 'dml', 'coreml', 'webgpu', 'cpu']);
export type ExecutionProviderName = z.infer<typeof ExecutionProviderName>;

export const WarpMethod = z.enum(['mesh', 'splat']);
export type WarpMethod = z.infer<typeof WarpMethod>;

export const OutputFormat = z.enum(['mp4', 'png', 'webm', 'gif']);
export type OutputFormat = z.infer<typeof OutputFormat>;

/**
 * How faithfully a model render follows the NVS-Solver reference code: 'reference' reproduces it
 * step for step (its warp and masks, its DGS count, latents / 5.6, the noise-augmented frame 0, its
 * two-view and video rules, 100 steps with its lambda table); 'studio' keeps the studio's choices
 * where they are better (docs/reference-deviations.md lists each difference with its measure).
 */
export const Fidelity = z.enum(['studio', 'reference']);
export type Fidelity = z.infer<typeof Fidelity>;

export const RenderSettings = z.object({
  /** Denoising steps N (the lambda table has N rows). */
  steps: whole(LIMITS.steps),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1),
  /** 'draft' for the built-in model, else a model folder path. */
  model: z.string().min(1),
  executionProvider: ExecutionProviderName,
  /** Render size; multiples of 64 for SVD. */
  width: whole(LIMITS.renderSide),
  height: whole(LIMITS.renderSide),
  /** How the photo fits the render size. */
  fit: z.enum(['crop', 'pad']),
  /**
   * SVD's conditioning: the fps the model is told (added_time_ids[0] + 1, NOT the export frame
   * rate), motion_bucket_id and noise_aug_strength. null takes the model folder's value
   * (model.json `conditioning`: 7, 127 and 0.02 for SVD-XT); a number overrides it.
   */
  conditioningFps: z.number().int().min(1).max(240).nullable().default(null),
  motionBucketId: z.number().int().min(0).max(255).nullable().default(null),
  noiseAugStrength: finite
    .refine((v) => v >= 0, 'noiseAugStrength must be >= 0')
    .nullable()
    .default(null),
  guidanceMin: finite,
  guidanceMax: finite,
  /**
   * Classifier-free guidance as one batch-2 UNet call or two batch-1 calls (half the activation
   * memory, same result): 'auto' splits when the estimated peak exceeds the provider's free memory.
   */
  cfgMode: z.enum(['auto', 'batch', 'two-pass']).default('auto'),
  /** Frames per VAE decoder call, at most: lowered to what the provider's free memory holds. */
  decodeChunk: z.number().int().min(1),
  format: OutputFormat,
  /** H.264/VP9 constant rate factor: lower is better quality. */
  crf: z.number().int().min(0).max(63),
  /**
   * Tracks longer than the model (engine/windows): frames per window. A model render uses the
   * model's frame count; a preview has none, so this sets it. Absent: one window for the track.
   */
  windowFrames: whole(LIMITS.windowFrames).optional(),
  /** Frames consecutive windows share at least (cross-faded); default 4. */
  windowOverlap: whole(LIMITS.windowOverlap).optional(),
  fidelity: Fidelity.default('studio'),
  /**
   * How the photo is carried into each frame's camera (engine/warp): 'mesh' renders it as a
   * triangle mesh torn at depth edges (no cracks when the camera moves in), 'splat' splats every
   * pixel bilinearly as the NVS-Solver reference does. Absent: 'mesh' (projects from before the
   * mesh warp get 'splat' written by their migration, so they keep their picture).
   */
  warp: WarpMethod.default('mesh'),
});
export type RenderSettings = z.infer<typeof RenderSettings>;

/**
 * Render settings as a render recorded them (its sidecar, a farm job). Those written before the
 * mesh warp name no warp: they splatted, and render so again.
 */
export const RecordedRenderSettings = RenderSettings.extend({ warp: WarpMethod.default('splat') });

/**
 * A change to some render settings (a queued job's overrides): every field optional and none
 * defaulted, so a patch that names only the seed changes only the seed (`.partial()` would fill
 * the defaulted fields in, and so reset them).
 */
export const RenderSettingsPatch: z.ZodType<Partial<RenderSettings>> = z.object(
  Object.fromEntries(
    Object.entries(RenderSettings.shape).map(([k, v]) => [k, (v instanceof z.ZodDefault ? v.unwrap() : v).optional()]),
  ),
) as unknown as z.ZodType<Partial<RenderSettings>>;
export type RenderSettingsPatch = Partial<RenderSettings>;

export const ProjectDoc = z
  .object({
    schemaVersion: z.literal(PROJECT_SCHEMA_VERSION),
    name: z.string(),
    createdAt: z.string(),
    modifiedAt: z.string(),
    image: SourceImage.nullable(),
    depth: Depth.nullable(),
    /** Further source views besides `image` (empty for a single photo). */
    sources: z.array(SourceView).max(LIMITS.views.max - 1),
    /** A source video (dynamic scene); absent for a photo project. */
    video: VideoInput.optional(),
    track: Track,
    lambda: LambdaDoc,
    render: RenderSettings,
  })
  // The render's whole size, refused where the document is read: nothing is allocated for it first.
  .superRefine((d, ctx) => {
    const problem = renderPixelsProblem(d.render.width, d.render.height, d.track.numFrames);
    if (problem) ctx.addIssue({ code: 'custom', path: ['render', 'width'], message: problem.replace(/\.$/, '') });
  });
export type ProjectDoc = z.infer<typeof ProjectDoc>;

export const DEFAULT_RENDER_SETTINGS: RenderSettings = {
  steps: 25,
  seed: 42,
  model: 'draft',
  executionProvider: 'auto',
  width: 1024,
  height: 576,
  fit: 'crop',
  conditioningFps: null,
  motionBucketId: null,
  noiseAugStrength: null,
  guidanceMin: 1,
  guidanceMax: 3,
  cfgMode: 'auto',
  decodeChunk: 8,
  format: 'mp4',
  crf: 18,
  fidelity: 'studio',
  warp: 'mesh',
};

/**
 * The reference's mapping of Depth Anything's output: 10000 / disparity clipped to [1e-4, 500]. Not
 * the studio's default any more: each kind of depth source has its own (engine/depth/defaults.ts).
 */
export const DEFAULT_DEPTH_MAPPING: DepthMapping = { kind: 'disparity', scale: 10000, near: 1e-4, far: 500 };
