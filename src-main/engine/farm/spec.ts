import path from 'node:path';
import { z } from '../util/zod';
import {
  LambdaDoc,
  RecordedRenderSettings,
  SourceImageV3,
  Depth,
  Track,
  PROJECT_SCHEMA_VERSION,
  type DepthSource,
  type OutputFormat,
  type ProjectDoc,
} from '../project/schema';
import { CamtrackError, type ErrorCode } from '../util/errors';
import { LIMITS, renderPixelsProblem } from '../util/limits';
import { FARM_ASSETS_DIR, FARM_RENDERS_DIR } from './paths';
import { withPhotoCamera } from '../camera/intrinsics';

/**
 * A farm job: everything a sidecar records that decides the frames (photo and depth by hash,
 * depth mapping, track, lambda table, schedule, seed, size, format and the other settings, the
 * model by name and file hashes), plus where the output goes. Any worker that has the same model
 * files renders the same frames from it. Pure: building a spec from a project, a project document
 * from a spec, and validation.
 */
export const FARM_SPEC_KIND = 'camtrack-farm-job';
export const FARM_SPEC_VERSION = 1;

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits');
/** A path as the queue carries it: checked against the farm root by the worker, never trusted. */
const FarmPath = z.string().min(1).max(1024);

export const FarmAsset = z.object({ path: FarmPath, sha256: Sha256 });
export type FarmAsset = z.infer<typeof FarmAsset>;

export const FarmModel = z.object({
  /** The manifest's name: workers look the model up by it. */
  name: z.string().min(1).max(200),
  family: z.string().min(1).max(200),
  files: z
    .array(z.object({ file: z.string().min(1).max(1024), sha256: Sha256 }))
    .min(1)
    .max(64),
});
export type FarmModel = z.infer<typeof FarmModel>;

export const FarmJobSpec = z
  .object({
    kind: z.literal(FARM_SPEC_KIND),
    specVersion: z.literal(FARM_SPEC_VERSION),
    /** The project's name, for display. */
    name: z.string().max(200),
    /** Where the output goes, relative to the farm root (renders/NAME.mp4, or a folder for png). */
    output: FarmPath,
    assets: z.object({ image: FarmAsset, depth: FarmAsset }),
    // The working copy is for the studio's views: a render reads the photo itself. A spec from
    // before schema 4 may lack the photo's camera: the default one, which it rendered with.
    source: SourceImageV3.omit({ asset: true, working: true }).transform(withPhotoCamera),
    depth: z.object({
      source: z.discriminatedUnion('type', [
        z.object({ type: z.literal('file'), originalName: z.string().max(1024) }),
        z.object({ type: z.literal('model'), model: z.string().max(4096) }),
      ]),
      mapping: Depth.shape.mapping,
    }),
    track: Track,
    lambda: LambdaDoc,
    /** The project's render settings; `model` is replaced by the worker's own copy of `model`. */
    settings: RecordedRenderSettings,
    /** The sigma schedule (steps + 1 values), as a sidecar records it. */
    sigmas: z
      .array(z.number())
      .min(2)
      .max(LIMITS.steps.max + 1),
    model: FarmModel,
    submittedAt: z.string().max(64),
    submittedFrom: z.string().max(255),
  })
  // Nothing in a job is trusted: its size is held to the same limits as a project's before a worker allocates anything.
  .superRefine((s, ctx) => {
    const problem = renderPixelsProblem(s.settings.width, s.settings.height, s.track.numFrames);
    if (problem) ctx.addIssue({ code: 'custom', path: ['settings', 'width'], message: problem.replace(/\.$/, '') });
  });
export type FarmJobSpec = z.infer<typeof FarmJobSpec>;

/** A job's data from the queue as a spec; a refusal names the first wrong field. */
export function parseFarmSpec(value: unknown): FarmJobSpec {
  const r = FarmJobSpec.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new CamtrackError(
      'bad-input',
      `The farm job is not a valid render spec: ${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}.`,
    );
  }
  // The output lands in renders/ under a name whose extension is the format's: never on a sidecar or a project file.
  const name = r.data.output.startsWith(`${FARM_RENDERS_DIR}/`)
    ? r.data.output.slice(FARM_RENDERS_DIR.length + 1)
    : null;
  const problem =
    name === null
      ? `The job's output "${r.data.output}" is not in the farm root's ${FARM_RENDERS_DIR}/ folder`
      : outputNameProblem(name, r.data.settings.format);
  if (problem) throw new CamtrackError('bad-input', `The farm job is not a valid render spec: ${problem}.`);
  if (r.data.sigmas.length !== r.data.settings.steps + 1)
    throw new CamtrackError(
      'shape-mismatch',
      `The farm job's schedule has ${r.data.sigmas.length - 1} steps, its settings ${r.data.settings.steps}.`,
    );
  return r.data;
}

/** The content-addressed name of an asset on the farm root: assets/<sha256><ext>. */
export function farmAssetPath(sha256: string, originalFile: string): string {
  const ext = path
    .extname(originalFile)
    .toLowerCase()
    .replace(/[^.a-z0-9]/g, '');
  return `${FARM_ASSETS_DIR}/${sha256}${ext}`;
}

/**
 * Why `name` cannot be the output of a `format` render in renders/, or null: a plain file name
 * (letters, digits, '.', '_', '-': what `--out NAME` may be) whose extension is the format's; a
 * PNG render is a folder, with none. So no output is ever named like a sidecar (X.json), a
 * thumbnail (X.thumb.jpg) or a project file.
 */
export function outputNameProblem(name: string, format: OutputFormat): string | null {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) || name.length > 200)
    return `The output name "${name}" must be a plain file name (letters, digits, ".", "_", "-"), without folders`;
  const ext = path.extname(name).slice(1).toLowerCase();
  if (format === 'png')
    return ext ? `The output name "${name}" is a folder of PNG frames: it takes no extension (got .${ext})` : null;
  return ext === format ? null : `The output name "${name}" must end in .${format} (the render format)`;
}

/** A farm job id: what addFarmJob gives and the only kind a worker takes (it names a staging folder on the farm root). */
const FARM_JOB_ID = /^[A-Za-z0-9_-]{1,128}$/;

export function checkFarmJobId(id: unknown): string {
  if (typeof id !== 'string' || !FARM_JOB_ID.test(id))
    throw new CamtrackError(
      'bad-input',
      `A farm job id is 1 to 128 letters, digits, - and _ (got ${JSON.stringify(String(id).slice(0, 80))}): refused.`,
    );
  return id;
}

export interface SpecInput {
  doc: ProjectDoc;
  sigmas: ArrayLike<number>;
  model: FarmModel;
  /** The output's file name inside renders/ (its extension must match the format; png: a folder name). */
  outputName: string;
  submittedFrom: string;
  now?: Date;
}

/** The spec of a render of `doc` (the overrides already applied). */
export function specFromDoc(input: SpecInput): FarmJobSpec {
  const { doc } = input;
  if (!doc.image) throw new CamtrackError('bad-input', 'The project has no photo: import one before rendering.');
  if (!doc.depth)
    throw new CamtrackError(
      'bad-input',
      'The project has no depth: import a depth file (or estimate one) before rendering.',
    );
  // A farm job carries one photo and its depth; sending it without the further views would render another shot.
  if (doc.sources.some((v) => v.enabled))
    throw new CamtrackError(
      'bad-input',
      'The render farm renders single-photo projects: this one has further source views (sparse views). Render it locally, or turn the views off.',
    );
  if (doc.video)
    throw new CamtrackError(
      'bad-input',
      'The render farm renders single-photo projects: this one renders from a source video. Render it locally.',
    );
  const name = input.outputName;
  const problem = outputNameProblem(name, doc.render.format);
  if (problem) throw new CamtrackError('bad-input', `${problem}.`);
  const { asset: imageAsset, ...source } = doc.image;
  // prepareFarmJob bakes a depth shape into a file first: a job carries its depth as a file.
  if (doc.depth.source.type === 'shape')
    throw new CamtrackError('internal', 'A farm job needs its depth shape baked into a file first (prepareFarmJob).');
  const { asset: depthAsset, ...depthSource } = doc.depth.source;
  return parseFarmSpec({
    kind: FARM_SPEC_KIND,
    specVersion: FARM_SPEC_VERSION,
    name: doc.name,
    output: `${FARM_RENDERS_DIR}/${name}`,
    assets: {
      image: { path: farmAssetPath(imageAsset.sha256, imageAsset.file), sha256: imageAsset.sha256 },
      depth: { path: farmAssetPath(depthAsset.sha256, depthAsset.file), sha256: depthAsset.sha256 },
    },
    source,
    depth: { source: depthSource, mapping: doc.depth.mapping },
    track: doc.track,
    lambda: doc.lambda,
    settings: doc.render,
    sigmas: Array.from(input.sigmas),
    model: input.model,
    submittedAt: (input.now ?? new Date()).toISOString(),
    submittedFrom: input.submittedFrom,
  });
}

/**
 * The project document a spec describes, its assets named by their file names in the farm's
 * assets/ folder (the worker has checked they are there and hash right), rendering with `model`.
 */
export function docFromSpec(spec: FarmJobSpec, model: string): ProjectDoc {
  const imageFile = path.posix.basename(spec.assets.image.path);
  const depthFile = path.posix.basename(spec.assets.depth.path);
  return {
    schemaVersion: PROJECT_SCHEMA_VERSION,
    name: spec.name,
    createdAt: spec.submittedAt,
    modifiedAt: spec.submittedAt,
    image: { ...spec.source, asset: { file: imageFile, sha256: spec.assets.image.sha256 } },
    depth: {
      source: { ...spec.depth.source, asset: { file: depthFile, sha256: spec.assets.depth.sha256 } } as DepthSource,
      mapping: spec.depth.mapping,
    },
    sources: [],
    track: spec.track,
    lambda: spec.lambda,
    render: { ...spec.settings, model },
  };
}

/** What a farm job carries on the queue: the spec, and for the submitter only, where it came from. */
export interface FarmJobData {
  spec: FarmJobSpec;
  /** Who sent it (the studio's project folder and a label), for the submitter's own queue view; workers do not read it. */
  origin?: { project: string; label: string };
  /** Cancelled while it waited: it stays in the queue, shown as cancelled, and a worker that takes it fails it at once. */
  cancelled?: boolean;
}

export interface FarmJobResult {
  output: string;
  sidecar: string;
  thumbnail: string | null;
  worker: string;
  host: string;
  provider: string;
  ms: number;
}

/** The code of a failed job's reason ("... [code]"), 'internal' when it has none. */
export function failureCode(reason: string | undefined): ErrorCode {
  const m = /\[([a-z-]+)\]$/.exec(reason ?? '');
  return (m?.[1] as ErrorCode) ?? 'internal';
}
