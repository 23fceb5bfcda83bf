/**
 * Model folders on disk: reading model.json, checking that every file is there with the right
 * sha256, and opening the four sessions with an execution provider, each checked against the
 * contract before anything runs.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as ort from 'onnxruntime-node';
import { appPath } from '../util/appRoot';
import { CamtrackError } from '../util/errors';
import { COMPONENTS, checkComponent, type ComponentName, type SessionDtypes, type ValueMeta } from './contract';
import { sha256File } from './hashing';
import { MANIFEST_FILE, componentDtype, manifestFiles, parseManifest, type ModelManifest } from './manifest';
import { mapOrtError } from './ortErrors';
import { availableProviders, createSession, providerOrder, type ProviderChoice, type ProviderName } from './providers';

/**
 * The built-in draft model committed in assets/models/draft. onnxruntime reads files natively, so
 * a packaged app must keep this folder outside app.asar (asarUnpack).
 */
export function builtinDraftModelDir(): string {
  return appPath('assets', 'models', 'draft').replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');
}

/** A project's model setting ('draft' or a folder path) as a folder. */
export function resolveModelRef(model: string, projectDir?: string): string {
  if (model === 'draft') return builtinDraftModelDir();
  return path.resolve(projectDir ?? process.cwd(), model);
}

/** Where downloaded models go unless the user says otherwise: CAMTRACK_MODELS_DIR or ~/.camtrack/models. */
export function userModelsDir(env: Record<string, string | undefined> = process.env): string {
  return env.CAMTRACK_MODELS_DIR || path.join(os.homedir(), '.camtrack', 'models');
}

export async function readManifest(dir: string): Promise<ModelManifest> {
  const file = path.join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new CamtrackError('model', `${dir} is not a model folder: it has no ${MANIFEST_FILE}.`);
    throw e;
  }
  return parseManifest(text, file);
}

export interface VerifyOptions {
  /** Check sha256s (default true). Sizes and presence are always checked. */
  hashes?: boolean;
  onProgress?: (file: string, bytesDone: number, bytesTotal: number) => void;
}

/** Reads the manifest and checks that every file it lists is present, of the right size and sha256. */
export async function verifyModelFolder(dir: string, options: VerifyOptions = {}): Promise<ModelManifest> {
  const manifest = await readManifest(dir);
  for (const { component, entry, role } of manifestFiles(manifest)) {
    const file = path.join(dir, entry.file);
    const st = await fs.stat(file).catch(() => null);
    if (!st?.isFile())
      throw new CamtrackError('model', `The model's ${component} ${role} file ${entry.file} is missing from ${dir}.`);
    if (entry.bytes !== undefined && st.size !== entry.bytes)
      throw new CamtrackError(
        'model',
        `The model's ${component} ${role} file ${entry.file} has ${st.size} bytes, model.json says ${entry.bytes}: it is incomplete or corrupt. Download it again.`,
      );
    if (entry.sha256 && options.hashes !== false) {
      const got = await sha256File(file, (d, t) => options.onProgress?.(entry.file, d, t));
      if (got !== entry.sha256)
        throw new CamtrackError(
          'model',
          `The model's ${component} ${role} file ${entry.file} has sha256 ${got}, but model.json expects ${entry.sha256}: it is corrupt or a different file. Download it again.`,
        );
    }
  }
  return manifest;
}

export interface ComponentSession {
  session: ort.InferenceSession;
  /** The dtype of each contract tensor, as the session declares it. */
  dtypes: SessionDtypes;
  provider: ProviderName;
}

export interface LoadedModel {
  dir: string;
  manifest: ModelManifest;
  sessions: Record<ComponentName, ComponentSession>;
  /** The provider the UNet runs on (the one that matters for speed). */
  provider: ProviderName;
  /** Why a preferred provider was not used, when one was not; null when the choice worked. */
  fallbackReason: string | null;
  release(): Promise<void>;
}

export interface OpenModelOptions extends VerifyOptions {
  provider?: ProviderChoice;
  /** For tests: providers to try, instead of the order for `provider`. */
  order?: ProviderName[];
}

/** Verifies the folder, then opens and checks the four sessions. Sessions are released on failure. */
export async function openModel(dir: string, options: OpenModelOptions = {}): Promise<LoadedModel> {
  const manifest = await verifyModelFolder(dir, options);
  const choice = options.provider ?? 'auto';
  let order = options.order ?? providerOrder(choice, process.platform, availableProviders());
  const reasons: string[] = [];
  const sessions: Partial<Record<ComponentName, ComponentSession>> = {};
  const releaseAll = async () => {
    for (const s of Object.values(sessions)) await s?.session.release().catch(() => {});
  };
  // The UNet first: it is the largest and decides the provider for the rest.
  for (const component of ['unet', 'image_encoder', 'vae_encoder', 'vae_decoder'] as const) {
    const file = manifest.components[component].file;
    let created;
    try {
      created = await createSession(path.join(dir, file), choice, { order });
    } catch (e) {
      await releaseAll();
      const mapped = mapOrtError(e, `Loading the model's ${component} (${file})`);
      if (mapped.code === 'model')
        throw new CamtrackError(
          'model',
          `The model's ${component} file ${file} could not be loaded by ONNX Runtime (corrupt or not an ONNX model?): ${mapped.message.replace(/^.*failed in ONNX Runtime: /, '')}`,
          { cause: e },
        );
      throw mapped;
    }
    if (created.fallback) reasons.push(`${component}: ${created.fallback.reason}`);
    // Later components skip providers that already failed.
    order = order.slice(order.indexOf(created.provider));
    const s = created.session;
    try {
      const dtypes = checkComponent(
        component,
        componentDtype(manifest, component),
        s.inputMetadata as readonly ValueMeta[],
        s.outputMetadata as readonly ValueMeta[],
      );
      sessions[component] = { session: s, dtypes, provider: created.provider };
    } catch (e) {
      await s.release().catch(() => {});
      await releaseAll();
      throw e;
    }
  }
  const full = sessions as Record<ComponentName, ComponentSession>;
  let released = false;
  return {
    dir,
    manifest,
    sessions: full,
    provider: full.unet.provider,
    fallbackReason: reasons.length ? reasons.join('; ') : null,
    async release() {
      if (released) return;
      released = true;
      for (const c of COMPONENTS) await full[c].session.release().catch(() => {});
    },
  };
}

export interface FoundModel {
  dir: string;
  manifest?: ModelManifest;
  /** Why the folder is not usable, when it is not (manifest errors only; files are not hashed here). */
  problem?: string;
}

/** The model folders directly under `root` (folders with a model.json), manifests parsed. */
export async function listModelFolders(root: string): Promise<FoundModel[]> {
  const entries = await fs.readdir(root, { withFileTypes: true }).catch(() => []);
  const out: FoundModel[] = [];
  for (const e of entries) {
    if (!e.isDirectory()) continue;
    const dir = path.join(root, e.name);
    if (!(await fs.stat(path.join(dir, MANIFEST_FILE)).catch(() => null))) continue;
    try {
      out.push({ dir, manifest: await readManifest(dir) });
    } catch (err) {
      out.push({ dir, problem: (err as Error).message });
    }
  }
  return out;
}
