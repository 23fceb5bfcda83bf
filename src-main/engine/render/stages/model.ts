import { promises as fs } from 'node:fs';
import path from 'node:path';
import { sha256File } from '../../models/hashing';
import type { MemoryPlan } from '../../models/memory';
import { SvdPipeline } from '../../models/svdPipeline';
import type { RenderSidecar, SidecarModel } from '../sidecar';
import type { RenderPlan } from './plan';

type ModelPlan = Extract<RenderPlan, { kind: 'model' }>;

/** An opened model and how the render fits its provider's memory; release() when done. */
export interface RenderModel {
  pipeline: SvdPipeline;
  /** The sidecar's record of the model: its files and their hashes. */
  record: SidecarModel;
  /** CFG as one or two UNet calls and the decode chunk, for this window size and the provider's free memory. */
  memory: MemoryPlan;
  executionProvider: RenderSidecar['executionProvider'];
  /** What the memory plan changed from the settings, for the user. */
  notes: string[];
  release(): Promise<void>;
}

/**
 * Model folders whose files were hashed by this process, by a stamp of their files' sizes and
 * modification times: a real model is gigabytes, so a queue of renders hashes it once, and again
 * only when a file changed.
 */
const verifiedModels = new Map<string, string>();

async function modelFilesStamp(dir: string): Promise<string> {
  const names = await fs.readdir(dir, { recursive: true }).catch(() => [] as string[]);
  const parts: string[] = [];
  for (const n of names.sort()) {
    const st = await fs.stat(path.join(dir, n)).catch(() => null);
    if (st?.isFile()) parts.push(`${n}:${st.size}:${st.mtimeMs}`);
  }
  return parts.join('|');
}

async function modelRecord(dir: string, location: string, manifest: SvdPipeline['manifest']): Promise<SidecarModel> {
  const files: SidecarModel['files'] = [];
  for (const c of ['image_encoder', 'vae_encoder', 'unet', 'vae_decoder'] as const) {
    const comp = manifest.components[c];
    for (const e of [comp, ...comp.externalData]) {
      // The folder was verified against these hashes when it was opened; hash files the manifest leaves unhashed.
      const sha256 = e.sha256 ?? (await sha256File(path.join(dir, e.file)));
      files.push(e.bytes === undefined ? { file: e.file, sha256 } : { file: e.file, sha256, bytes: e.bytes });
    }
  }
  return { name: manifest.name, family: manifest.family, dtype: manifest.dtype, location, files };
}

/** The model stage: the planned folder opened on the requested provider (hashes checked once per change), its record and its memory plan. */
export async function openRenderModel(plan: ModelPlan): Promise<RenderModel> {
  const { modelDir, settings, shape } = plan;
  const stamp = await modelFilesStamp(modelDir);
  const pipeline = await SvdPipeline.open(modelDir, {
    provider: settings.executionProvider,
    hashes: verifiedModels.get(modelDir) !== stamp,
  });
  verifiedModels.set(modelDir, stamp);
  try {
    const record = await modelRecord(modelDir, settings.model, pipeline.manifest);
    const memory = await pipeline.memoryPlan(shape, {
      cfgMode: settings.cfgMode,
      maxGuidance: settings.guidanceMax,
      decodeChunk: settings.decodeChunk,
    });
    const notes: string[] = [];
    if (memory.decodeChunk < Math.min(settings.decodeChunk, shape.frames))
      notes.push(
        `Decoding ${memory.decodeChunk} frames at a time (the settings ask ${settings.decodeChunk}): the provider has ${((memory.freeBytes ?? 0) / 2 ** 30).toFixed(1)} GB free.`,
      );
    if (memory.cfgTwoPass && settings.cfgMode === 'auto') notes.push(`Guidance runs as ${memory.cfgReason}.`);
    return {
      pipeline,
      record,
      memory,
      notes,
      executionProvider: {
        requested: settings.executionProvider,
        used: pipeline.model.provider,
        fallbackReason: pipeline.model.fallbackReason,
      },
      release: () => pipeline.release(),
    };
  } catch (e) {
    await pipeline.release();
    throw e;
  }
}
