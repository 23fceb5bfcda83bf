import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CamtrackError, toErrorInfo } from '../util/errors';
import { writeFileAtomic } from '../util/atomic';
import type { ProjectDoc } from './schema';
import { projectPaths, PROJECT_EXTENSION } from './layout';
import { assertValidDoc, decodeProjectDoc, parseJsonText } from './parse';
import { writeAsset, type NewAsset } from './assets';

/**
 * Autosave: the current document goes to `project.autosave.json` inside the project folder (assets
 * beside it in `assets/`, content-addressed, so they cost nothing if an explicit Save later keeps
 * them). project.json itself is only ever written by an explicit Save, which also deletes the
 * autosave it supersedes. A project that was never saved autosaves into an "Untitled" folder in the
 * app-data directory, which has the same layout.
 */

export interface RecoveredAutosave {
  doc: ProjectDoc;
  /** ISO time the autosave was written. */
  savedAt: string;
  migratedFrom?: number;
}

/** The Untitled folder for never-saved projects, inside the app-data directory. */
export function untitledDir(appDataDir: string): string {
  return path.join(path.resolve(appDataDir), `Untitled${PROJECT_EXTENSION}`);
}

export async function writeAutosave(
  dir: string,
  doc: ProjectDoc,
  newAssets: NewAsset[] = [],
  now: Date = new Date(),
): Promise<string> {
  const valid = assertValidDoc(doc, 'The autosave cannot be written, the project is not valid');
  const paths = projectPaths(dir);
  try {
    await fs.mkdir(paths.assetsDir, { recursive: true });
  } catch (e) {
    const info = toErrorInfo(e);
    throw new CamtrackError(info.code, info.message, { cause: e });
  }
  for (const a of newAssets) await writeAsset(paths.dir, a);
  const savedAt = now.toISOString();
  await writeFileAtomic(paths.autosaveFile, `${JSON.stringify({ savedAt, doc: valid })}\n`);
  return savedAt;
}

/** The autosave of a folder, migrated and validated; null when there is none. Throws if it is damaged. */
export async function readAutosave(dir: string): Promise<RecoveredAutosave | null> {
  const file = projectPaths(dir).autosaveFile;
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    const info = toErrorInfo(e);
    throw new CamtrackError(info.code, info.message, { cause: e });
  }
  const raw = parseJsonText(text, file) as { savedAt?: unknown; doc?: unknown } | null;
  const savedAt = raw?.savedAt;
  if (typeof savedAt !== 'string' || Number.isNaN(Date.parse(savedAt))) {
    throw new CamtrackError('bad-file', `${file} is not a Camtrack autosave: it has no valid "savedAt" time.`);
  }
  const decoded = decodeProjectDoc(raw?.doc, file);
  return decoded.migratedFrom !== undefined
    ? { doc: decoded.doc, savedAt, migratedFrom: decoded.migratedFrom }
    : { doc: decoded.doc, savedAt };
}

/**
 * The newest autosave among the Untitled working folders in `root` (appData/untitled): the work of
 * a never-saved project when the window was closed or the page reloaded. Damaged ones are skipped.
 */
export async function latestUntitledAutosave(root: string): Promise<(RecoveredAutosave & { dir: string }) | null> {
  const names = await fs.readdir(root).catch(() => [] as string[]);
  let best: (RecoveredAutosave & { dir: string }) | null = null;
  for (const name of names) {
    if (!name.endsWith(PROJECT_EXTENSION)) continue;
    const dir = path.join(root, name);
    const found = await readAutosave(dir).catch(() => null);
    if (found && (!best || Date.parse(found.savedAt) > Date.parse(best.savedAt))) best = { ...found, dir };
  }
  return best;
}

/** Deletes a folder's autosave (the artist declined recovery, or closed without saving). */
export async function discardAutosave(dir: string): Promise<void> {
  await fs.rm(projectPaths(dir).autosaveFile, { force: true });
}

export { Autosaver, type AutosaverOptions } from './autosaver';
