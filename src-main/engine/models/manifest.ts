/**
 * `model.json`, the manifest of a model folder (docs/design.md, "The model contract"). Pure: parsing and the schema
 * only; reading and hashing the files is in modelFolder.ts.
 */
import { z } from '../util/zod';
import { CamtrackError } from '../util/errors';
import { COMPONENTS, type ComponentName } from './contract';

export const MANIFEST_FILE = 'model.json';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits');
/** A file inside the folder: relative, no parent references, forward slashes. */
const RelativeFile = z
  .string()
  .min(1)
  .refine(
    (p) => !p.startsWith('/') && !/^[A-Za-z]:/.test(p) && !p.split(/[\\/]/).includes('..'),
    'must be a file inside the model folder',
  );

export const FileEntry = z.object({
  file: RelativeFile,
  sha256: Sha256.optional(),
  bytes: z.number().int().nonnegative().optional(),
});
export type FileEntry = z.infer<typeof FileEntry>;

const Dtype = z.enum(['float16', 'float32']);

export const ComponentFiles = FileEntry.extend({
  /** Weight files the .onnx refers to (ONNX external data), which must sit beside it. */
  externalData: z.array(FileEntry).default([]),
  /** This component's dtype when it differs from the folder's: an fp16 SVD folder keeps its VAE
   * encoder in float32, as diffusers runs it (force_upcast). Absent: the manifest's `dtype`. */
  dtype: Dtype.optional(),
});
export type ComponentFiles = z.infer<typeof ComponentFiles>;

const Multiple64 = z
  .number()
  .int()
  .positive()
  .refine((v) => v % 64 === 0, 'must be a multiple of 64');

export const ModelManifest = z.object({
  format: z.literal(1),
  family: z.enum(['svd', 'svd-xt', 'draft']),
  name: z.string().min(1),
  dtype: Dtype,
  components: z.object({
    image_encoder: ComponentFiles,
    vae_encoder: ComponentFiles,
    unet: ComponentFiles,
    vae_decoder: ComponentFiles,
  }),
  latentChannels: z.literal(4),
  latentScale: z.number().positive(),
  downsampling: z.literal(8),
  /** Frame counts the UNet was trained for; 'any' for the draft model. */
  frameCounts: z.union([z.array(z.number().int().min(2)).min(1), z.literal('any')]),
  size: z.object({ width: Multiple64, height: Multiple64 }),
  sizeMultiple: z.literal(64),
  sigma: z
    .object({ min: z.number().positive(), max: z.number().positive() })
    .refine((s) => s.min < s.max, 'min must be below max'),
  parameterization: z.literal('v'),
  conditioning: z
    .object({
      fps: z.number().int().positive().default(7),
      motionBucketId: z.number().int().nonnegative().default(127),
      noiseAugStrength: z.number().nonnegative().default(0.02),
    })
    .default({ fps: 7, motionBucketId: 127, noiseAugStrength: 0.02 }),
  /** The draft model's Gaussian: the UNet is the exact denoiser of N(mu, dataStd^2 I) (docs/design.md, "Oracles"). */
  draft: z.object({ dataStd: z.number().positive() }).optional(),
});
export type ModelManifest = z.infer<typeof ModelManifest>;
export type ModelManifestInput = z.input<typeof ModelManifest>;

/** Parses manifest text; every problem becomes a CamtrackError('model') naming the field. */
export function parseManifest(text: string, where: string): ModelManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new CamtrackError('model', `${where} is not valid JSON: ${(e as Error).message}`);
  }
  const r = ModelManifest.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    const path = issue.path.join('.') || '(top level)';
    throw new CamtrackError('model', `${where}: ${path}: ${issue.message}`, { detail: r.error.message });
  }
  if (r.data.family === 'draft' && !r.data.draft)
    throw new CamtrackError('model', `${where}: a draft model needs "draft": { "dataStd": ... }`);
  return r.data;
}

/** The dtype a component's image, latent and embedding tensors must have. */
export function componentDtype(m: ModelManifest, c: ComponentName): ModelManifest['dtype'] {
  return m.components[c].dtype ?? m.dtype;
}

/** Every file of the folder, with the component it belongs to. */
export function manifestFiles(
  m: ModelManifest,
): { component: ComponentName; entry: FileEntry; role: 'model' | 'external data' }[] {
  const out: { component: ComponentName; entry: FileEntry; role: 'model' | 'external data' }[] = [];
  for (const c of COMPONENTS) {
    out.push({ component: c, entry: m.components[c], role: 'model' });
    for (const e of m.components[c].externalData) out.push({ component: c, entry: e, role: 'external data' });
  }
  return out;
}

/** Checks that an image size fits the model (multiples of sizeMultiple) and returns the latent size. */
export function latentSizeFor(
  m: Pick<ModelManifest, 'sizeMultiple' | 'downsampling'>,
  width: number,
  height: number,
): { width: number; height: number } {
  const k = m.sizeMultiple;
  if (width % k || height % k || width < k || height < k)
    throw new CamtrackError(
      'bad-input',
      `The render size ${width}x${height} does not fit the model: width and height must be multiples of ${k}.`,
    );
  return { width: width / m.downsampling, height: height / m.downsampling };
}
