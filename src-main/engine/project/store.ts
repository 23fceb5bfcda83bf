import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CamtrackError, toErrorInfo } from '../util/errors';
import { writeFileAtomic } from '../util/atomic';
import type { ProjectDoc } from './schema';
import { projectPaths, assetPath, PROJECT_FILE, AUTOSAVE_FILE, ASSETS_DIR } from './layout';
import { assertValidDoc, parseProjectText, referencedAssets } from './parse';
import {
  writeAsset,
  linkOrCopyAsset,
  removeUnreferencedAssets,
  sha256File,
  sha256Hex,
  copyFileAtomic,
  type NewAsset,
} from './assets';
import { readAutosave, type RecoveredAutosave } from './autosave';
import { isDirty } from './dirty';

/**
 * Save, Save As and Open of a project folder (see layout.ts for the layout and why it is a folder).
 *
 * Save order: validate, write the assets that are not there yet, then rename the new project.json
 * into place (the commit), then drop the superseded autosave and the assets nothing references.
 * Open never writes: a corrupt, newer or incomplete project is reported and left byte-for-byte as it was.
 */

export interface SaveOptions {
  /** Asset names to keep even if the saved document does not reference them (e.g. the undo history's). */
  keepAssets?: Iterable<string>;
  /**
   * Unreferenced assets written less than this long ago survive the save's garbage collection
   * (default 10 minutes): an image being imported while the artist saves is not yet in the document.
   */
  gcGraceMs?: number;
  /** Clock for `modifiedAt` (tests). */
  now?: () => Date;
}

export const DEFAULT_GC_GRACE_MS = 10 * 60 * 1000;

export interface SavedProject {
  dir: string;
  /** The document as written (its `modifiedAt` set to the save time): the new "saved" state for isDirty. */
  doc: ProjectDoc;
  /** Asset files removed because nothing references them any more. */
  removedAssets: string[];
}

export interface OpenedProject {
  dir: string;
  doc: ProjectDoc;
  /** Set when the file was written in an older schema and migrated in memory (the file is unchanged). */
  migratedFrom?: number;
  /** An autosave newer than the saved project and different from it: offer "Recover unsaved changes". */
  autosave?: RecoveredAutosave;
  /** Why an autosave that exists could not be offered (damaged, newer, assets missing). */
  autosaveProblem?: string;
}

function rethrow(e: unknown): never {
  const info = toErrorInfo(e);
  if (info.code === 'internal') throw e;
  throw new CamtrackError(info.code, info.message, { cause: e });
}

async function statOrNull(p: string) {
  try {
    return await fs.stat(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    return rethrow(e);
  }
}

/** Files that mark a folder as a project folder (or an Untitled autosave folder) we may write into. */
const PROJECT_MARKERS = [PROJECT_FILE, AUTOSAVE_FILE, ASSETS_DIR];

/** Refuses to write into a file, or into a non-empty folder that is not a project folder. */
export async function assertWritableProjectDir(dir: string): Promise<void> {
  const st = await statOrNull(dir);
  if (!st) return;
  if (!st.isDirectory())
    throw new CamtrackError('bad-input', `${dir} is a file, not a project folder. Choose another name.`);
  const names = await fs.readdir(dir).catch(rethrow);
  if (names.length > 0 && !names.some((n) => PROJECT_MARKERS.includes(n))) {
    throw new CamtrackError(
      'bad-input',
      `${dir} is a folder that is not a Camtrack project; a project is not saved into it, so nothing there is overwritten. Choose a new name.`,
    );
  }
}

export function projectJsonText(doc: ProjectDoc): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * Saves `doc` into the project folder `dir` (created if needed). `newAssets` are bytes the document
 * references that may not be in `assets/` yet; every referenced asset must be there afterwards.
 */
export async function saveProject(
  dir: string,
  doc: ProjectDoc,
  newAssets: NewAsset[] = [],
  opts: SaveOptions = {},
): Promise<SavedProject> {
  const paths = projectPaths(dir);
  const now = opts.now?.() ?? new Date();
  const toWrite = assertValidDoc({ ...doc, modifiedAt: now.toISOString() });
  await assertWritableProjectDir(paths.dir);
  const refs = referencedAssets(toWrite);
  const given = new Map(newAssets.map((a) => [a.name, a]));
  for (const ref of refs) {
    const g = given.get(ref.file);
    if (g && sha256Hex(g.bytes) !== ref.sha256) {
      throw new CamtrackError(
        'bad-input',
        `The ${ref.role} asset ${ref.file} given to save does not match the sha256 the project records for it.`,
      );
    }
  }
  for (const ref of refs) {
    if (!given.has(ref.file) && !(await statOrNull(assetPath(paths.dir, ref.file)))) {
      throw new CamtrackError(
        'not-found',
        `Cannot save: the ${ref.role} file ${ref.file} is neither in ${paths.assetsDir} nor among the files given to save. Import it again.`,
      );
    }
  }

  // Everything is checked: now write. Assets first (new names only, never over an existing file's
  // content), the document last.
  await fs.mkdir(paths.assetsDir, { recursive: true }).catch(rethrow);
  for (const a of newAssets) await writeAsset(paths.dir, a);

  await writeFileAtomic(paths.projectFile, projectJsonText(toWrite)); // the commit point

  // After the commit: the autosave is superseded and unreferenced assets are garbage. Failures
  // here cost disk space, never data, so they do not fail the save.
  await fs.rm(paths.autosaveFile, { force: true }).catch(() => {});
  const keep = new Set<string>([...refs.map((r) => r.file), ...(opts.keepAssets ?? [])]);
  const removedAssets = await removeUnreferencedAssets(paths.dir, keep, opts.gcGraceMs ?? DEFAULT_GC_GRACE_MS).catch(
    () => [],
  );
  return { dir: paths.dir, doc: toWrite, removedAssets };
}

/**
 * Save As: writes the project into a new folder `toDir`, taking the assets the document references
 * from `fromDir` (the project's current folder, or the Untitled autosave folder; null if it has none)
 * as hard links when possible, else copies. Everything else the artist made goes along too: the
 * whole `renders/` folder and `queue.json` (renders are what the artist will look for in the new
 * project; leaving them behind would make them vanish from its render list). Render files are copied
 * (reflinked where the file system can), not hard-linked, since other tools may edit them in place.
 * The source folder is not changed. `toDir` must not exist or be empty: replacing another project is
 * refused (the UI deletes or trashes it first if the artist confirmed).
 */
export async function saveProjectAs(
  fromDir: string | null,
  toDir: string,
  doc: ProjectDoc,
  newAssets: NewAsset[] = [],
  opts: SaveOptions = {},
): Promise<SavedProject> {
  const to = projectPaths(toDir);
  if (fromDir !== null && path.resolve(fromDir) === to.dir) return saveProject(toDir, doc, newAssets, opts);
  if (fromDir !== null && to.dir.startsWith(path.resolve(fromDir) + path.sep)) {
    throw new CamtrackError(
      'bad-input',
      `${to.dir} is inside the project's own folder ${path.resolve(fromDir)}. Save the copy somewhere else.`,
    );
  }
  const st = await statOrNull(to.dir);
  if (st && (!st.isDirectory() || (await fs.readdir(to.dir).catch(rethrow)).length > 0)) {
    throw new CamtrackError(
      'bad-input',
      `${to.dir} already exists. Save As does not replace an existing folder: choose a new name, or delete that folder first.`,
    );
  }
  const created = !st;
  try {
    await fs.mkdir(to.assetsDir, { recursive: true }).catch(rethrow);
    if (fromDir !== null) {
      const from = projectPaths(fromDir);
      const given = new Set(newAssets.map((a) => a.name));
      const wanted = [...referencedAssets(doc)].filter((r) => !given.has(r.file));
      for (const ref of wanted) await linkOrCopyAsset(from.dir, to.dir, ref);
      for (const name of opts.keepAssets ?? []) {
        const src = assetPath(from.dir, name);
        if (await statOrNull(src))
          await linkOrCopyAsset(from.dir, to.dir, { file: name, sha256: await sha256File(src) });
      }
      if (await statOrNull(from.rendersDir)) await copyTree(from.rendersDir, to.rendersDir);
      if (await statOrNull(from.queueFile)) await copyFileAtomic(from.queueFile, to.queueFile);
    }
    return await saveProject(to.dir, doc, newAssets, opts);
  } catch (e) {
    // Nothing half-made is left behind under the new name.
    if (created) await fs.rm(to.dir, { recursive: true, force: true }).catch(() => {});
    else await emptyDir(to.dir).catch(() => {});
    throw e;
  }
}

async function emptyDir(dir: string): Promise<void> {
  for (const n of await fs.readdir(dir)) await fs.rm(path.join(dir, n), { recursive: true, force: true });
}

async function copyTree(src: string, dst: string): Promise<void> {
  await fs.mkdir(dst, { recursive: true }).catch(rethrow);
  for (const ent of await fs.readdir(src, { withFileTypes: true }).catch(rethrow)) {
    const s = path.join(src, ent.name);
    const d = path.join(dst, ent.name);
    if (ent.isDirectory()) await copyTree(s, d);
    else if (ent.isFile() && !/\.(tmp|partial\.[^.]+)$/.test(ent.name)) await copyFileAtomic(s, d); // skip writes in progress
  }
}

/** Resolves what the user picked (the folder, or the project.json inside it) to the folder. */
async function resolveProjectDir(picked: string): Promise<string> {
  const p = path.resolve(picked);
  const st = await statOrNull(p);
  if (!st) throw new CamtrackError('not-found', `There is no project at ${p}.`);
  if (st.isDirectory()) {
    if (!(await statOrNull(path.join(p, PROJECT_FILE)))) {
      throw new CamtrackError('not-found', `${p} is not a Camtrack project folder: it has no ${PROJECT_FILE}.`);
    }
    return p;
  }
  if (path.basename(p) !== PROJECT_FILE) {
    throw new CamtrackError(
      'bad-input',
      `${p} is not a project: open a NAME.camtrack folder or the ${PROJECT_FILE} inside it.`,
    );
  }
  return path.dirname(p);
}

/** Reads and checks the assets a document references; throws naming every missing or damaged one. */
async function checkAssets(dir: string, doc: ProjectDoc, verifyHashes: boolean): Promise<void> {
  const missing: string[] = [];
  const damaged: string[] = [];
  for (const ref of referencedAssets(doc)) {
    const p = assetPath(dir, ref.file);
    const st = await statOrNull(p);
    if (!st || !st.isFile()) missing.push(`${ref.file} (${ref.role})`);
    else if (verifyHashes && (await sha256File(p)) !== ref.sha256) damaged.push(`${ref.file} (${ref.role})`);
  }
  if (missing.length) {
    throw new CamtrackError(
      'not-found',
      `The project in ${dir} is incomplete: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing from its ${ASSETS_DIR} folder. Copy the whole .camtrack folder again, or re-import the file.`,
    );
  }
  if (damaged.length) {
    throw new CamtrackError(
      'bad-file',
      `The project in ${dir} has damaged files: ${damaged.join(', ')} no longer ${damaged.length === 1 ? 'matches its' : 'match their'} recorded sha256. Re-import the file.`,
    );
  }
}

export interface OpenOptions {
  /** Check each referenced asset's sha256 (default true; reads every asset once). */
  verifyAssets?: boolean;
}

/**
 * Opens a project: the folder or its project.json. Older schemas are migrated in memory; a newer,
 * corrupt or incomplete project is refused with a CamtrackError and left untouched. When a valid
 * autosave newer than the saved project exists, it is returned for the UI to offer recovery.
 */
export async function openProject(picked: string, opts: OpenOptions = {}): Promise<OpenedProject> {
  const dir = await resolveProjectDir(picked);
  const file = path.join(dir, PROJECT_FILE);
  const text = await fs.readFile(file, 'utf8').catch(rethrow);
  const decoded = parseProjectText(text, file);
  await checkAssets(dir, decoded.doc, opts.verifyAssets ?? true);
  const out: OpenedProject = { dir, doc: decoded.doc };
  if (decoded.migratedFrom !== undefined) out.migratedFrom = decoded.migratedFrom;

  try {
    const auto = await readAutosave(dir);
    if (auto && Date.parse(auto.savedAt) > Date.parse(decoded.doc.modifiedAt) && isDirty(decoded.doc, auto.doc)) {
      await checkAssets(dir, auto.doc, opts.verifyAssets ?? true);
      out.autosave = auto;
    }
  } catch (e) {
    out.autosaveProblem = `The autosave in ${dir} cannot be recovered: ${toErrorInfo(e).message}`;
  }
  return out;
}
