import type { ProjectDoc } from './schema';
import { canonicalJson } from './dirty';

/*
 * The autosave scheduler, without file I/O (the browser UI may run it too); autosave.ts has the
 * files it writes.
 */

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
    this.timer = setTimeout(
      () => {
        this.timer = null;
        void this.run();
      },
      Math.max(0, due - Date.now()),
    );
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
