import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CamtrackError, toErrorInfo } from '../util/errors';
import { writeFileAtomic } from '../util/atomic';
import type { ProjectDoc } from './schema';
import { projectPaths, PROJECT_EXTENSION } from './layout';
import { assertValidDoc, decodeProjectDoc, parseJsonText } from './parse';
import { writeAsset, type NewAsset } from './assets';
import { canonicalJson } from './dirty';

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

export async function writeAutosave(dir: string, doc: ProjectDoc, newAssets: NewAsset[] = [], now: Date = new Date()): Promise<string> {
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
  return decoded.migratedFrom !== undefined ? { doc: decoded.doc, savedAt, migratedFrom: decoded.migratedFrom } : { doc: decoded.doc, savedAt };
}

/** Deletes a folder's autosave (the artist declined recovery, or closed without saving). */
export async function discardAutosave(dir: string): Promise<void> {
  await fs.rm(projectPaths(dir).autosaveFile, { force: true });
}

export interface AutosaverOptions {
  /** The document to save now, or null when there is nothing to save (e.g. no project open). */
  getDoc: () => ProjectDoc | null;
  /** Writes it, e.g. `(doc) => writeAutosave(dir, doc)`. Never called twice at once. */
  save: (doc: ProjectDoc) => Promise<unknown>;
  /** Quiet time after the last change before saving (default 2 s). */
  debounceMs?: number;
  /** Never save more often than this (default 10 s). */
  minIntervalMs?: number;
  /** Under continuous changes (a long drag), still save this long after the first unsaved one (default 30 s). */
  maxWaitMs?: number;
  onSaved?: (doc: ProjectDoc) => void;
  /** A failed save is reported here and retried after minIntervalMs. */
  onError?: (e: unknown) => void;
}

/**
 * Schedules autosaves: call `changed()` after every edit. A save happens `debounceMs` after the last
 * change, but not sooner than `minIntervalMs` after the previous save, and at the latest `maxWaitMs`
 * after the first unsaved change (still respecting minIntervalMs). A document identical to the last
 * one saved is not written again. Uses setTimeout and Date.now only, so fake timers drive it in tests.
 */
export class Autosaver {
  private readonly debounceMs: number;
  private readonly minIntervalMs: number;
  private readonly maxWaitMs: number;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private dirty = false;
  private firstChangeAt = 0;
  private lastChangeAt = 0;
  private lastSaveAt = Number.NEGATIVE_INFINITY;
  private lastSavedJson: string | null = null;
  private inFlight: Promise<void> | null = null;
  private disposed = false;

  constructor(private readonly opts: AutosaverOptions) {
    this.debounceMs = opts.debounceMs ?? 2000;
    this.minIntervalMs = opts.minIntervalMs ?? 10_000;
    this.maxWaitMs = opts.maxWaitMs ?? 30_000;
  }

  /** True while a change has not been autosaved yet. */
  get pending(): boolean {
    return this.dirty;
  }

  changed(): void {
    if (this.disposed) return;
    const now = Date.now();
    if (!this.dirty) this.firstChangeAt = now;
    this.dirty = true;
    this.lastChangeAt = now;
    this.schedule();
  }

  /** Saves now if anything is pending (before quitting, or before an explicit Save reads the state). */
  async flush(): Promise<void> {
    this.clearTimer();
    if (this.inFlight) await this.inFlight;
    if (this.dirty) await this.run();
  }

  /** Stops all future saves (a pending change is dropped; call flush first to keep it). */
  dispose(): void {
    this.disposed = true;
    this.clearTimer();
  }

  /** Forget what was autosaved (a new or newly opened project). */
  reset(savedDoc: ProjectDoc | null = null): void {
    this.clearTimer();
    this.dirty = false;
    this.lastSavedJson = savedDoc ? canonicalJson(savedDoc) : null;
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.disposed || !this.dirty || this.inFlight) return;
    const earliest = this.lastSaveAt + this.minIntervalMs;
    const due = Math.max(earliest, Math.min(this.lastChangeAt + this.debounceMs, this.firstChangeAt + this.maxWaitMs));
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.run();
    }, Math.max(0, due - Date.now()));
  }

  private run(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    this.inFlight = this.saveOnce().finally(() => {
      this.inFlight = null;
      this.schedule();
    });
    return this.inFlight;
  }

  private async saveOnce(): Promise<void> {
    if (!this.dirty || this.disposed) return;
    this.dirty = false;
    const doc = this.opts.getDoc();
    if (!doc) return;
    const json = canonicalJson(doc);
    if (json === this.lastSavedJson) return;
    try {
      await this.opts.save(doc);
      this.lastSavedJson = json;
      this.lastSaveAt = Date.now();
      this.opts.onSaved?.(doc);
    } catch (e) {
      // Retry later: keep the change pending, wait minIntervalMs before the next attempt.
      if (!this.dirty) this.firstChangeAt = Date.now();
      this.dirty = true;
      this.lastSaveAt = Date.now();
      this.opts.onError?.(e);
    }
  }
}
