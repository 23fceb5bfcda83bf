/**
 * Writes a model folder from graphs: the .onnx files (optionally with external weight files), and a
 * model.json with the size and sha256 of every file. Used by scripts/make-draft-model.ts for the
 * committed draft model and by tests for float16 and external-data variants.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../util/atomic';
import { COMPONENTS, type ComponentName, type ModelDtype } from './contract';
import { DRAFT_DATA_STD, DRAFT_LATENT_SCALE, buildDraftComponents } from './draftGraphs';
import { sha256Bytes } from './hashing';
import { MANIFEST_FILE, ModelManifest, type ModelManifestInput } from './manifest';
import type { OnnxGraph } from './onnxGraph';

export interface WriteFolderOptions {
  /** Components whose initializers are all stored as external data (`<component>.onnx.data`). */
  external?: ComponentName[];
}

export async function writeModelFolder(
  dir: string,
  meta: Omit<ModelManifestInput, 'components'>,
  graphs: Record<ComponentName, OnnxGraph>,
  options: WriteFolderOptions = {},
): Promise<ModelManifest> {
  await fs.mkdir(dir, { recursive: true });
  const components = {} as ModelManifestInput['components'];
  for (const c of COMPONENTS) {
    const external = options.external?.includes(c) ?? false;
    const file = `${c}.onnx`;
    const serialized = graphs[c].serialize(external ? { externalDataFile: `${file}.data`, externalThreshold: 0 } : {});
    await writeFileAtomic(path.join(dir, file), serialized.model);
    const externalData = [];
    if (serialized.externalData) {
      await writeFileAtomic(path.join(dir, serialized.externalData.file), serialized.externalData.bytes);
      externalData.push({
        file: serialized.externalData.file,
        sha256: sha256Bytes(serialized.externalData.bytes),
        bytes: serialized.externalData.bytes.length,
      });
    }
    components[c] = { file, sha256: sha256Bytes(serialized.model), bytes: serialized.model.length, externalData };
  }
  const manifest = ModelManifest.parse({ ...meta, components });
  await writeFileAtomic(path.join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

export function draftManifestMeta(dtype: ModelDtype): Omit<ModelManifestInput, 'components'> {
  return {
    format: 1,
    family: 'draft',
    name:
      dtype === 'float32'
        ? 'Camtrack draft model (built in, no download)'
        : 'Camtrack draft model (float16 test variant)',
    dtype,
    latentChannels: 4,
    latentScale: DRAFT_LATENT_SCALE,
    downsampling: 8,
    frameCounts: 'any',
    size: { width: 1024, height: 576 },
    sizeMultiple: 64,
    sigma: { min: 0.002, max: 700 },
    parameterization: 'v',
    conditioning: { fps: 7, motionBucketId: 127, noiseAugStrength: 0.02 },
    draft: { dataStd: DRAFT_DATA_STD },
  };
}

export function writeDraftModel(
  dir: string,
  dtype: ModelDtype = 'float32',
  options: WriteFolderOptions = {},
): Promise<ModelManifest> {
  return writeModelFolder(dir, draftManifestMeta(dtype), buildDraftComponents(dtype), options);
}
