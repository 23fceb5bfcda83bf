import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from '../util/zod';
import { makeLambdaTable, type LambdaTable } from '../lambda/table';
import {
  Depth,
  ExecutionProviderName,
  LambdaPreset,
  RecordedRenderSettings,
  RenderSettings,
  SourceImageV3,
  SourceView,
  Track,
  VideoInput,
} from '../project/schema';
import { RHO, SIGMA_MAX, SIGMA_MIN } from '../schedule/karras';
import { appVersion } from '../util/appRoot';
import { withPhotoCamera } from '../camera/intrinsics';
import { tempPathBeside, writeFileAtomic } from '../util/atomic';
import { commitGroup, discardStaged, type StagedFile } from '../video/commit';
import { CamtrackError, toErrorInfo } from '../util/errors';

/**
 * The render sidecar: `<output>.json` beside every render (clip.mp4 -> clip.mp4.json, a PNG
 * folder frames/ -> frames.json), holding everything needed to render the same frames again:
 * the inputs (photo and depth by hash, track, lambda table, seed, settings), what was derived
 * from them (sigma schedule, evaluated frame count) and what the machine actually did (model
 * file hashes, execution provider and why it fell back, timings).
 *
 * Lambda tables up to LAMBDA_INLINE_MAX values are stored inline; larger ones go to
 * `<output>.lambda.json` beside it, referenced by name, with the sha256 of the values in both
 * cases (so two renders can be compared by hash without reading the table).
 *
 * Bump SIDECAR_VERSION on any change an older reader would misread.
 */
export const SIDECAR_VERSION = 1;
export const SIDECAR_KIND = 'camtrack-render';
/** 100 x 100: anything larger is written to its own file. */
export const LAMBDA_INLINE_MAX = 100 * 100;

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits');
const PlainFile = z
  .string()
  .min(1)
  .refine((f) => !/[\\/]/.test(f) && f !== '.' && f !== '..', 'must be a plain file name');
const Count = z.number().int().min(1);
const IsoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO date-time');

export const SidecarOutput = z.object({
  /** The video file or PNG folder, by name, beside the sidecar. */
  file: PlainFile,
  format: RenderSettings.shape.format,
  /** Size written (mp4 may be padded to even sides). */
  width: Count,
  height: Count,
  frames: Count,
  fps: finite.refine((v) => v > 0, 'fps must be > 0'),
  /** Quality used for mp4/webm; null for gif/png. */
  crf: z.number().int().min(0).max(63).nullable(),
  bytes: z.number().int().nonnegative(),
});
export type SidecarOutput = z.infer<typeof SidecarOutput>;

export const SidecarCamera = z.object({
  /** The project's track, as designed. */
  track: Track,
  /** Frames the track was evaluated at (num_frames of the render). */
  evaluatedFrames: z.number().int().min(2),
  /** Camera-to-world 4x4 poses (GL axes, row-major) per frame, when the renderer records them. */
  poses: z.array(z.array(finite).length(16)).optional(),
});

export const SidecarSchedule = z.object({
  kind: z.literal('karras'),
  steps: Count,
  sigmaMin: finite,
  sigmaMax: finite,
  rho: finite,
  /** steps + 1 values (float32-rounded), ending in 0. */
  sigmas: z.array(finite),
});
export type SidecarSchedule = z.infer<typeof SidecarSchedule>;

/** The record of a Karras schedule (steps + 1 sigmas, the last 0) with the constants it was made with. */
export function karrasScheduleRecord(sigmas: ArrayLike<number>): SidecarSchedule {
  return {
    kind: 'karras',
    steps: sigmas.length - 1,
    sigmaMin: SIGMA_MIN,
    sigmaMax: SIGMA_MAX,
    rho: RHO,
    sigmas: Array.from(sigmas),
  };
}

export const SidecarLambdaTable = z.discriminatedUnion('storage', [
  z.object({ storage: z.literal('inline'), values: z.array(finite) }),
  z.object({ storage: z.literal('file'), file: PlainFile }),
]);

export const SidecarLambda = z.object({
  steps: Count,
  frames: Count,
  lambdaMin: finite.refine((v) => v >= 0 && v <= 1, 'lambdaMin must be in [0, 1]'),
  preset: LambdaPreset,
  /** sha256 of the values as little-endian float64, row-major [step][frame]: see lambdaValuesSha256. */
  sha256: Sha256,
  table: SidecarLambdaTable,
});
export type SidecarLambda = z.infer<typeof SidecarLambda>;

export const SidecarModel = z.object({
  name: z.string().min(1),
  /** 'svd', 'svd-xt', 'draft', ... */
  family: z.string().min(1),
  dtype: z.enum(['float16', 'float32']),
  /** The model folder as given in the settings ('draft' for the built-in one). */
  location: z.string().min(1),
  /** Every file of the model (none for a preview, which runs no model). */
  files: z.array(
    z.object({ file: z.string().min(1), sha256: Sha256, bytes: z.number().int().nonnegative().optional() }),
  ),
});
export type SidecarModel = z.infer<typeof SidecarModel>;

const ValueSource = z.enum(['model', 'settings']);
/** SVD's conditioning as the render used it, and where each value came from. */
export const SidecarConditioning = z.object({
  fps: z.number().int().min(1),
  motionBucketId: z.number().int().min(0).max(255),
  noiseAugStrength: finite.refine((v) => v >= 0, 'must be >= 0'),
  from: z.object({ fps: ValueSource, motionBucketId: ValueSource, noiseAugStrength: ValueSource }),
});
export type SidecarConditioning = z.infer<typeof SidecarConditioning>;

/** How the render fitted the provider's memory (models/memory.ts). */
export const SidecarMemory = z.object({
  cfgTwoPass: z.boolean(),
  cfgReason: z.string(),
  /** Frames per VAE decoder call actually used (the temporal decoder's output depends on it). */
  decodeChunk: z.number().int().min(1),
  freeBytes: z.number().nonnegative().nullable(),
});

export const UsedProvider = ExecutionProviderName.exclude(['auto']);
export const SidecarProvider = z.object({
  requested: ExecutionProviderName,
  used: UsedProvider,
  /** Why the requested (or first automatic) provider was not used; null when it was. */
  fallbackReason: z.string().nullable(),
});

export const SidecarTiming = z.object({
  stage: z.string().min(1),
  ms: finite.refine((v) => v >= 0, 'ms must be >= 0'),
});

export const RenderSidecar = z
  .object({
    kind: z.literal(SIDECAR_KIND),
    sidecarVersion: z.literal(SIDECAR_VERSION),
    app: z.object({ name: z.string().min(1), version: z.string().min(1) }),
    createdAt: IsoTime,
    output: SidecarOutput,
    /** The photo with its camera; sidecars written before schema 4 have no K for an uncalibrated photo: the default one, which they used. */
    source: SourceImageV3.transform(withPhotoCamera),
    depth: Depth,
    /** Further source views (sparse views), as the project held them; absent or empty for one photo. */
    sources: z.array(SourceView).optional(),
    /** Frames anchored to a source view's photo, and the lambda floor the sampler used (sparse views). */
    anchors: z.object({ frames: z.array(z.number().int().min(0)), lambdaFloor: finite }).optional(),
    /** The source video (dynamic scene) as the project held it: frame k was warped from video frame k. */
    video: VideoInput.optional(),
    camera: SidecarCamera,
    schedule: SidecarSchedule,
    lambda: SidecarLambda,
    /** The project's render settings as rendered (seed, steps, size, fit, fps source, motion bucket, noise aug, guidance range, warp...). */
    settings: RecordedRenderSettings,
    /** SVD conditioning used (absent in sidecars written before it was recorded). */
    conditioning: SidecarConditioning.optional(),
    memory: SidecarMemory.optional(),
    model: SidecarModel,
    executionProvider: SidecarProvider,
    /** Wall time per stage, in the order the stages ran. */
    timings: z.array(SidecarTiming),
    host: z.object({ platform: z.string(), arch: z.string(), node: z.string() }).optional(),
    /** The project folder the render was made in (its assets/ hold the photo and depth by hash). */
    projectDir: z.string().min(1).optional(),
    /** 'preview': warped frames with filled holes, no model (schedule and lambda table recorded but unused). Absent: a model render. */
    renderKind: z.literal('preview').optional(),
    /** Tracks longer than the model: the windows rendered one after another (end exclusive), each overlapping the next by `overlap` frames or more. Absent: one window. */
    windows: z
      .object({
        overlap: z.number().int().min(1),
        list: z.array(z.object({ start: z.number().int().min(0), end: z.number().int().min(1) })).min(2),
        /** Each window's seed (initial and augmentation noise). Absent in sidecars written before windows had their own: every window then used the render seed. */
        seeds: z
          .array(
            z
              .number()
              .int()
              .min(0)
              .max(2 ** 32 - 1),
          )
          .optional(),
      })
      .optional(),
  })
  .superRefine((s, ctx) => {
    const bad = (pathParts: (string | number)[], message: string) =>
      ctx.addIssue({ code: 'custom', path: pathParts, message });
    if (s.schedule.steps !== s.settings.steps)
      bad(['schedule', 'steps'], `the schedule has ${s.schedule.steps} steps, the settings ${s.settings.steps}`);
    if (s.schedule.sigmas.length !== s.schedule.steps + 1)
      bad(
        ['schedule', 'sigmas'],
        `${s.schedule.steps} steps need ${s.schedule.steps + 1} sigmas, got ${s.schedule.sigmas.length}`,
      );
    const preview = s.renderKind === 'preview';
    if (!preview && s.model.files.length === 0) bad(['model', 'files'], 'a model render lists its model files');
    if (!preview && s.lambda.steps !== s.settings.steps)
      bad(['lambda', 'steps'], `the lambda table has ${s.lambda.steps} steps, the settings ${s.settings.steps}`);
    if (!preview && s.lambda.frames !== s.camera.evaluatedFrames)
      bad(
        ['lambda', 'frames'],
        `the lambda table has ${s.lambda.frames} frames, the track ${s.camera.evaluatedFrames}`,
      );
    if (s.windows && s.windows.list.at(-1)!.end !== s.camera.evaluatedFrames)
      bad(
        ['windows', 'list'],
        `the windows end at frame ${s.windows.list.at(-1)!.end}, the track has ${s.camera.evaluatedFrames}`,
      );
    if (s.windows?.seeds && s.windows.seeds.length !== s.windows.list.length)
      bad(['windows', 'seeds'], `${s.windows.seeds.length} seeds for ${s.windows.list.length} windows`);
    if (s.output.frames !== s.camera.evaluatedFrames)
      bad(['output', 'frames'], `the output has ${s.output.frames} frames, the track ${s.camera.evaluatedFrames}`);
    if (s.camera.poses && s.camera.poses.length !== s.camera.evaluatedFrames)
      bad(['camera', 'poses'], `${s.camera.poses.length} poses for ${s.camera.evaluatedFrames} frames`);
    if (s.output.format !== s.settings.format)
      bad(['output', 'format'], `the output is ${s.output.format}, the settings say ${s.settings.format}`);
    if (s.lambda.table.storage === 'inline' && s.lambda.table.values.length !== s.lambda.steps * s.lambda.frames)
      bad(
        ['lambda', 'table', 'values'],
        `a ${s.lambda.steps} x ${s.lambda.frames} table needs ${s.lambda.steps * s.lambda.frames} values, got ${s.lambda.table.values.length}`,
      );
  });
export type RenderSidecar = z.infer<typeof RenderSidecar>;

/** The lambda table as the renderer has it; writeSidecar decides inline or file and hashes it. */
export interface SidecarLambdaInput {
  steps: number;
  frames: number;
  /** Row-major [step][frame]. */
  values: ArrayLike<number>;
  lambdaMin: number;
  preset: z.infer<typeof LambdaPreset>;
}

export type RenderSidecarInput = Omit<
  RenderSidecar,
  'kind' | 'sidecarVersion' | 'lambda' | 'output' | 'app' | 'host'
> & {
  /** Default: Camtrack Studio and this build's version. */
  app?: RenderSidecar['app'];
  /** Default: this process's platform, arch and Node version. */
  host?: RenderSidecar['host'];
  lambda: SidecarLambdaInput;
  /** `file` is taken from the output path given to writeSidecar. */
  output: Omit<SidecarOutput, 'file'>;
};

/** `clip.mp4` -> `clip.mp4.json`; a PNG folder `frames/` -> `frames.json`. */
export function sidecarPathFor(output: string): string {
  return `${output.replace(/[\\/]+$/, '')}.json`;
}

/** Where a lambda table too large to inline goes: `clip.mp4` -> `clip.mp4.lambda.json`. */
export function lambdaFilePathFor(output: string): string {
  return `${output.replace(/[\\/]+$/, '')}.lambda.json`;
}

/** sha256 of the values as little-endian float64: the same on every machine and for inline or file storage. */
export function lambdaValuesSha256(values: ArrayLike<number>): string {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat64(i * 8, values[i], true);
  return createHash('sha256').update(bytes).digest('hex');
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`;
}

/** Validates a complete sidecar object; refusals name the first wrong field. */
export function validateSidecar(value: unknown, where: string): RenderSidecar {
  const v = value as { kind?: unknown; sidecarVersion?: unknown } | null;
  if (
    v &&
    typeof v === 'object' &&
    v.kind === SIDECAR_KIND &&
    typeof v.sidecarVersion === 'number' &&
    v.sidecarVersion > SIDECAR_VERSION
  )
    throw new CamtrackError(
      'newer-version',
      `${where} was written by a newer Camtrack Studio (sidecar version ${v.sidecarVersion}; this one reads ${SIDECAR_VERSION}). Update the app to use it.`,
    );
  const r = RenderSidecar.safeParse(value);
  if (!r.success)
    throw new CamtrackError('bad-file', `${where} is not a valid render sidecar: ${describeIssue(r.error)}.`, {
      detail: r.error.message,
    });
  return r.data;
}

/** Parses sidecar text (pure). */
export function parseSidecar(text: string, where: string): RenderSidecar {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new CamtrackError('bad-file', `${where} is not valid JSON: ${(e as Error).message}`);
  }
  return validateSidecar(raw, where);
}

/** What stageSidecar wrote: the final paths, the sidecar, and the temporaries to commit (table file first, sidecar last). */
export interface StagedSidecar {
  path: string;
  lambdaFile: string | null;
  sidecar: RenderSidecar;
  staged: StagedFile[];
}

/**
 * Writes the sidecar (and, for a large lambda table, its table file) for `output` to temporaries
 * beside their targets, without putting them in place: a render commits them together with its
 * video (commitGroup), so the pair on disk is always the old one or the new one.
 */
export async function stageSidecar(output: string, input: RenderSidecarInput): Promise<StagedSidecar> {
  const { lambda } = input;
  if (lambda.values.length !== lambda.steps * lambda.frames)
    throw new CamtrackError(
      'shape-mismatch',
      `The lambda table given for the sidecar has ${lambda.values.length} values; ${lambda.steps} x ${lambda.frames} needs ${lambda.steps * lambda.frames}.`,
    );
  const values = Array.from(lambda.values);
  const sha256 = lambdaValuesSha256(values);
  const inline = values.length <= LAMBDA_INLINE_MAX;
  const lambdaFile = inline ? null : lambdaFilePathFor(output);
  const sidecar = validateSidecar(
    {
      kind: SIDECAR_KIND,
      sidecarVersion: SIDECAR_VERSION,
      ...input,
      app: input.app ?? { name: 'Camtrack Studio', version: appVersion() },
      host: input.host ?? { platform: process.platform, arch: process.arch, node: process.version },
      output: { ...input.output, file: path.basename(output.replace(/[\\/]+$/, '')) },
      lambda: {
        steps: lambda.steps,
        frames: lambda.frames,
        lambdaMin: lambda.lambdaMin,
        preset: lambda.preset,
        sha256,
        table: inline ? { storage: 'inline', values } : { storage: 'file', file: path.basename(lambdaFile!) },
      },
    } satisfies RenderSidecar,
    `The sidecar for ${output}`,
  );
  const file = sidecarPathFor(output);
  const staged: StagedFile[] = [];
  try {
    await ioErrors(async () => {
      if (lambdaFile) {
        const tmp = tempPathBeside(lambdaFile);
        staged.push({ tmp, target: lambdaFile });
        await writeFileAtomic(
          tmp,
          `${JSON.stringify({ steps: lambda.steps, frames: lambda.frames, sha256, values })}\n`,
        );
      }
      const tmp = tempPathBeside(file);
      staged.push({ tmp, target: file });
      await writeFileAtomic(tmp, `${JSON.stringify(sidecar, null, 2)}\n`);
    });
  } catch (e) {
    await discardStaged(staged);
    throw e;
  }
  return { path: file, lambdaFile, sidecar, staged };
}

/** Writes the sidecar (and its table file) beside `output` and commits them together. */
export async function writeSidecar(
  output: string,
  input: RenderSidecarInput,
): Promise<{ path: string; lambdaFile: string | null; sidecar: RenderSidecar }> {
  const { staged, ...written } = await stageSidecar(output, input);
  await commitGroup(staged);
  return written;
}

export async function readSidecar(sidecarPath: string): Promise<RenderSidecar> {
  const text = await ioErrors(() => fs.readFile(sidecarPath, 'utf8'));
  return parseSidecar(text, sidecarPath);
}

/** The sidecar's lambda table, read from its file when not inline; the hash and shape are checked. */
export async function readSidecarLambda(sidecarPath: string, sidecar: RenderSidecar): Promise<LambdaTable> {
  const { lambda } = sidecar;
  let values: number[];
  if (lambda.table.storage === 'inline') values = lambda.table.values;
  else {
    const file = path.join(path.dirname(sidecarPath), lambda.table.file);
    const text = await ioErrors(() => fs.readFile(file, 'utf8'));
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new CamtrackError('bad-file', `${file} is not valid JSON: ${(e as Error).message}`);
    }
    const r = z.object({ steps: Count, frames: Count, values: z.array(finite) }).safeParse(parsed);
    if (!r.success) throw new CamtrackError('bad-file', `${file} is not a lambda table: ${describeIssue(r.error)}.`);
    if (r.data.steps !== lambda.steps || r.data.frames !== lambda.frames)
      throw new CamtrackError(
        'shape-mismatch',
        `${file} holds a ${r.data.steps} x ${r.data.frames} table; the sidecar says ${lambda.steps} x ${lambda.frames}.`,
      );
    values = r.data.values;
  }
  if (lambdaValuesSha256(values) !== lambda.sha256)
    throw new CamtrackError(
      'bad-file',
      `The lambda table of ${sidecarPath} does not match its recorded sha256: it was changed after the render.`,
    );
  return makeLambdaTable(lambda.steps, lambda.frames, values);
}

async function ioErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof CamtrackError) throw e;
    const info = toErrorInfo(e);
    if (info.code === 'internal') throw e;
    throw new CamtrackError(info.code, info.message, { cause: e });
  }
}
