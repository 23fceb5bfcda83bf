import { promises as fs } from 'node:fs';
import path from 'node:path';
import { sha256File } from '../models/hashing';
import { manifestFiles } from '../models/manifest';
import { builtinDraftModelDir, listModelFolders, readManifest, resolveModelRef } from '../models/modelFolder';
import { CamtrackError } from '../util/errors';
import { FARM_ASSETS_DIR, resolveUnderRootReal } from './paths';
import type { FarmAsset, FarmModel } from './spec';

/**
 * What a worker checks before it renders: every asset the job names is on the farm root, inside
 * assets/, with the recorded sha256; and the model it would render with has exactly the job's
 * file hashes. A model that differs in any file is refused: its frames would not be the ones the
 * spec describes.
 */

/** The asset's path on this machine, after checking where it is and what it holds. */
export async function verifyFarmAsset(root: string, asset: FarmAsset, what: string): Promise<string> {
  const file = await resolveUnderRootReal(root, asset.path, `${what} path`);
  if (path.dirname(file) !== path.join(path.resolve(root), FARM_ASSETS_DIR))
    throw new CamtrackError(
      'permission',
      `The job's ${what} "${asset.path}" is not in the farm root's ${FARM_ASSETS_DIR}/ folder: refused.`,
    );
  const st = await fs.stat(file).catch(() => null);
  if (!st?.isFile())
    throw new CamtrackError(
      'not-found',
      `The job's ${what} ${asset.path} is missing from the farm root ${root}: submit the job again (it copies the assets).`,
    );
  const sha = await sha256File(file);
  if (sha !== asset.sha256)
    throw new CamtrackError(
      'bad-file',
      `The farm's ${what} ${asset.path} has sha256 ${sha}, the job expects ${asset.sha256}: it was changed or damaged.`,
    );
  return file;
}

/** The model folder (or 'draft') the manifest name names: first in `modelDir` (a folder of model folders, or one model folder), then the built-in draft model. */
export async function findFarmModel(model: FarmModel, modelDir?: string): Promise<{ ref: string; dir: string }> {
  const candidates: string[] = [];
  if (modelDir) {
    if (await fs.stat(path.join(modelDir, 'model.json')).catch(() => null)) candidates.push(path.resolve(modelDir));
    for (const f of await listModelFolders(modelDir)) if (f.manifest?.name === model.name) candidates.push(f.dir);
  }
  for (const dir of candidates) {
    const m = await readManifest(dir).catch(() => null);
    if (m?.name === model.name) return { ref: dir, dir };
  }
  const draft = await readManifest(builtinDraftModelDir());
  if (draft.name === model.name) return { ref: 'draft', dir: resolveModelRef('draft') };
  throw new CamtrackError(
    'model',
    `This worker has no model named "${model.name}"${modelDir ? ` in ${modelDir}` : ''}: start it with --model-dir pointing at a folder that holds it.`,
  );
}

/** Hash stamps of folders already checked by this process (a real model is gigabytes: hash once, again only when a file changes). */
const checked = new Map<string, string>();

async function stamp(dir: string, files: string[]): Promise<string> {
  const parts: string[] = [];
  for (const f of files) {
    const st = await fs.stat(path.join(dir, f)).catch(() => null);
    parts.push(`${f}:${st?.size ?? -1}:${st?.mtimeMs ?? -1}`);
  }
  return parts.join('|');
}

/** Checks every file of the job's model in `dir` against the job's sha256s (the files themselves are hashed, not the manifest's claims). */
export async function verifyFarmModel(dir: string, model: FarmModel): Promise<void> {
  const manifest = await readManifest(dir);
  const listed = new Set(manifestFiles(manifest).map((f) => f.entry.file));
  for (const f of model.files)
    if (!listed.has(f.file))
      throw new CamtrackError(
        'model',
        `The model "${model.name}" in ${dir} has no ${f.file}, which the job's model has: refused.`,
      );
  const files = model.files.map((f) => f.file);
  const key = `${dir}\n${model.files.map((f) => `${f.file}=${f.sha256}`).join(',')}`;
  const now = await stamp(dir, files);
  if (checked.get(key) === now) return;
  for (const f of model.files) {
    const sha = await sha256File(path.join(dir, f.file)).catch((e: NodeJS.ErrnoException) => {
      throw new CamtrackError('model', `The model file ${path.join(dir, f.file)} cannot be read: ${e.message}`);
    });
    if (sha !== f.sha256)
      throw new CamtrackError(
        'model',
        `The model "${model.name}" in ${dir} differs from the job's: ${f.file} has sha256 ${sha}, the job was submitted with ${f.sha256}. Refused: its frames would not be the ones submitted.`,
      );
  }
  checked.set(key, now);
}

/** The job's record of a model folder: its manifest name, family and every file's sha256 (hashing the files the manifest leaves unhashed). */
export async function farmModelOf(dir: string): Promise<FarmModel> {
  const manifest = await readManifest(dir);
  const files: FarmModel['files'] = [];
  for (const { entry } of manifestFiles(manifest))
    files.push({ file: entry.file, sha256: entry.sha256 ?? (await sha256File(path.join(dir, entry.file))) });
  return { name: manifest.name, family: manifest.family, files };
}
