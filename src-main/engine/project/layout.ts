import path from 'node:path';

/**
 * The on-disk layout of a project. A project is a FOLDER `NAME.camtrack/`:
 *
 *   NAME.camtrack/
 *     project.json            the ProjectDoc; only an explicit Save writes it
 *     project.autosave.json   the latest autosave (recovery), never read as the project itself
 *     assets/                 content-addressed, immutable inputs: image-<sha>.png, depth-<sha>.npy, ...
 *     renders/                videos, their sidecars and thumbnails (appended over time)
 *     queue.json              the render queue (owned by engine/queue/)
 *
 * Why a folder and not one archive file: renders are large and keep being added; a single file
 * would have to be rewritten whole on every save, and a crash during that rewrite could lose
 * everything. Here assets are content-addressed and never modified once written, so a save only
 * writes assets that are not there yet and then renames a new project.json into place: that rename
 * is the single atomic commit point of a save. A crash leaves the old project or the new one, never
 * a mix, and garbage (assets nobody references any more) is removed only after the commit.
 */
export const PROJECT_EXTENSION = '.camtrack';
export const PROJECT_FILE = 'project.json';
export const AUTOSAVE_FILE = 'project.autosave.json';
export const ASSETS_DIR = 'assets';
export const RENDERS_DIR = 'renders';
export const QUEUE_FILE = 'queue.json';

/** Paths of one project folder. */
export interface ProjectPaths {
  dir: string;
  projectFile: string;
  autosaveFile: string;
  assetsDir: string;
  rendersDir: string;
  queueFile: string;
}

export function projectPaths(dir: string): ProjectPaths {
  const d = path.resolve(dir);
  return {
    dir: d,
    projectFile: path.join(d, PROJECT_FILE),
    autosaveFile: path.join(d, AUTOSAVE_FILE),
    assetsDir: path.join(d, ASSETS_DIR),
    rendersDir: path.join(d, RENDERS_DIR),
    queueFile: path.join(d, QUEUE_FILE),
  };
}

export function assetPath(dir: string, file: string): string {
  return path.join(path.resolve(dir), ASSETS_DIR, file);
}

/** `~/Films/street` -> `~/Films/street.camtrack` (unchanged when it already ends so). */
export function withProjectExtension(p: string): string {
  return p.endsWith(PROJECT_EXTENSION) ? p : `${p}${PROJECT_EXTENSION}`;
}

/** The display name of a project folder: its base name without `.camtrack`. */
export function projectNameFromDir(dir: string): string {
  return path.basename(path.resolve(dir), PROJECT_EXTENSION);
}
