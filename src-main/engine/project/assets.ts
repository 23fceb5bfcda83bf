import { promises as fs, createReadStream } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { CamtrackError, toErrorInfo } from '../util/errors';
import { writeFileAtomic, tempPathBeside } from '../util/atomic';
import type { AssetRef } from './schema';
import { ASSETS_DIR, assetPath } from './layout';

/**
 * Content-addressed assets: a file's name carries the first 16 hex digits of its sha256
 * (`image-3f2a9c0b1d4e5f60.png`), and a written asset is never modified. So the same name means the
 * same bytes, saving an unchanged asset costs nothing, and several documents (the saved one, the
 * autosave, an undo history) can share a folder of assets safely.
 */
export type AssetKind = 'image' | 'depth' | 'lambda';

/** Bytes the caller holds that a document references and that may not be on disk yet. */
export interface NewAsset {
  /** The asset's file name in `assets/` (as in the document's AssetRef.file). */
  name: string;
  bytes: Uint8Array;
}

const HASH_PREFIX = 16;
const ASSET_NAME = /^([a-z]+)-([0-9a-f]{16})\.([a-z0-9]+)$/;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

export function assetFileName(kind: AssetKind, sha256: string, ext: string): string {
  const e = ext.replace(/^\./, '').toLowerCase();
  if (!/^[a-z0-9]+$/.test(e))
    throw new CamtrackError('bad-input', `"${ext}" is not a usable file extension for an asset.`);
  return `${kind}-${sha256.slice(0, HASH_PREFIX)}.${e}`;
}

/** The hash prefix a content-addressed asset name carries, or null for any other name. */
export function assetNameHashPrefix(name: string): string | null {
  return ASSET_NAME.exec(name)?.[2] ?? null;
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.access(p);
    return true;
  } catch {
    return false;
  }
}

function rethrow(e: unknown): never {
  const info = toErrorInfo(e);
  if (info.code === 'internal') throw e;
  throw new CamtrackError(info.code, info.message, { cause: e });
}

/**
 * Writes one asset into `<dir>/assets/` atomically. The name must carry its bytes' hash prefix;
 * when a file of that name is already there with the same hash it is left alone (a damaged one is
 * replaced). Returns the full sha256.
 */
export async function writeAsset(dir: string, asset: NewAsset): Promise<string> {
  const prefix = assetNameHashPrefix(asset.name);
  if (!prefix)
    throw new CamtrackError(
      'bad-input',
      `"${asset.name}" is not a content-addressed asset name (kind-<16 hex digits>.ext).`,
    );
  const sha = sha256Hex(asset.bytes);
  if (!sha.startsWith(prefix)) {
    throw new CamtrackError(
      'bad-input',
      `Asset "${asset.name}" does not hold the bytes its name promises (their sha256 starts ${sha.slice(0, HASH_PREFIX)}).`,
    );
  }
  const target = assetPath(dir, asset.name);
  if ((await exists(target)) && (await sha256File(target)) === sha) {
    // Stored again: refresh its time, so a concurrent save's garbage collection sees it as new.
    const now = new Date();
    await fs.utimes(target, now, now).catch(() => {});
    return sha;
  }
  await fs.mkdir(path.dirname(target), { recursive: true }).catch(rethrow);
  await writeFileAtomic(target, asset.bytes);
  return sha;
}

/** Stores bytes as a new asset of a project (or of the Untitled folder) and returns its reference. */
export async function storeAsset(dir: string, kind: AssetKind, bytes: Uint8Array, ext: string): Promise<AssetRef> {
  const sha256 = sha256Hex(bytes);
  const file = assetFileName(kind, sha256, ext);
  await writeAsset(dir, { name: file, bytes });
  return { file, sha256 };
}

/**
 * Puts an asset of folder `fromDir` into folder `toDir`: a hard link when both are on one file
 * system (assets are immutable, so sharing the inode is safe), else a copy through a temporary
 * file. Skipped when the target already holds the same bytes.
 */
export async function linkOrCopyAsset(fromDir: string, toDir: string, ref: AssetRef): Promise<void> {
  const src = assetPath(fromDir, ref.file);
  const dst = assetPath(toDir, ref.file);
  if (path.resolve(src) === path.resolve(dst)) return;
  if ((await exists(dst)) && (await sha256File(dst)) === ref.sha256) return;
  await fs.mkdir(path.dirname(dst), { recursive: true }).catch(rethrow);
  await fs.rm(dst, { force: true }).catch(rethrow);
  try {
    await fs.link(src, dst);
    return;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' && !(await exists(src))) {
      throw new CamtrackError(
        'not-found',
        `The asset ${ref.file} is missing from ${fromDir}/${ASSETS_DIR}; it cannot be copied.`,
        { cause: e },
      );
    }
  }
  await copyFileAtomic(src, dst);
}

/** Copies a file through a temporary file beside the target (reflink where the file system can). */
export async function copyFileAtomic(src: string, dst: string): Promise<void> {
  const tmp = tempPathBeside(dst);
  try {
    await fs.copyFile(src, tmp, fs.constants.COPYFILE_FICLONE);
    await fs.rename(tmp, dst);
  } catch (e) {
    await fs.rm(tmp, { force: true }).catch(() => {});
    rethrow(e);
  }
}

/**
 * Removes content-addressed assets that none of `keep` names and that were last written more than
 * `graceMs` ago. The grace period protects an asset just stored by an import that is still on its
 * way into the document when a save runs. Files with any other name (including temporary files of
 * a write in progress) are left alone. Returns the removed names.
 */
export async function removeUnreferencedAssets(dir: string, keep: Iterable<string>, graceMs = 0): Promise<string[]> {
  const keepSet = new Set(keep);
  const assetsDir = path.join(path.resolve(dir), ASSETS_DIR);
  let names: string[];
  try {
    names = await fs.readdir(assetsDir);
  } catch {
    return [];
  }
  const cutoff = Date.now() - graceMs;
  const removed: string[] = [];
  for (const name of names) {
    if (keepSet.has(name) || !assetNameHashPrefix(name)) continue;
    const file = path.join(assetsDir, name);
    const st = await fs.stat(file).catch(() => null);
    if (!st || st.mtimeMs > cutoff) continue;
    await fs.rm(file, { force: true });
    removed.push(name);
  }
  return removed;
}

/**
 * Reads an asset of the project and checks its sha256. The file's real path (symlinks resolved)
 * must lie inside the assets folder: a project unpacked from an archive may hold a link to a file
 * elsewhere, which is refused rather than read.
 */
export async function readCheckedAsset(
  assetsDir: string | null,
  projectDir: string,
  ref: AssetRef,
  what: string,
): Promise<Uint8Array> {
  const folder = assetsDir ?? path.dirname(assetPath(projectDir, ref.file));
  const file = path.join(folder, ref.file);
  let bytes: Buffer;
  try {
    const [realFolder, realFile] = await Promise.all([fs.realpath(folder), fs.realpath(file)]);
    if (path.dirname(realFile) !== realFolder)
      throw new CamtrackError(
        'permission',
        `The ${what} ${ref.file} is a link to a file outside the project's assets folder; it is not read. Import the file again.`,
      );
    bytes = await fs.readFile(realFile);
  } catch (e) {
    if (e instanceof CamtrackError) throw e;
    const info = toErrorInfo(e);
    if (info.code === 'not-found')
      throw new CamtrackError('not-found', `The ${what} ${ref.file} is missing from ${folder}.`, { cause: e });
    throw new CamtrackError(
      info.code === 'internal' ? 'bad-file' : info.code,
      `The ${what} ${file} cannot be read: ${info.message}`,
      { cause: e },
    );
  }
  const data = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (sha256Hex(data) !== ref.sha256)
    throw new CamtrackError(
      'bad-file',
      `The ${what} ${file} does not match its recorded sha256: it was changed or damaged.`,
    );
  return data;
}
