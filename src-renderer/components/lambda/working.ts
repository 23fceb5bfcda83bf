import type { LambdaDoc, ProjectDoc } from '../../../src-main/engine/project/schema';
import { shareAcrossWindows, type FrameWindow } from '../../../src-main/engine/windows';
import { beginGesture, endGesture, useProject } from '../../state/projectStore';
import { makeGrid, type CellRect, type Grid } from './edit';

/**
 * The table being edited. Strokes and drags change a working copy of the project's lambda values
 * in place (so a pointer move costs only the cells it touches, and the heatmap redraws only
 * those) and commit it to the project when the gesture ends, inside beginGesture/endGesture so
 * the whole stroke is one undo step. Committing on every pointer move would re-render the whole
 * studio and serialise the document for its dirty check each time: a 100 x 100 table is 10,000
 * numbers. Discrete edits commit at once. Any other change of the project's table (undo, a
 * preset, a resample, an import) replaces the copy.
 */
export type DirtyListener = (rect: CellRect | 'all') => void;

class WorkingTable {
  grid: Grid | null = null;
  /** The project's lambda document the grid mirrors. */
  private source: LambdaDoc | null = null;
  private listeners = new Set<DirtyListener>();
  private pending = false;
  /** Bumped on every edit, for views that show values (the readout). */
  version = 0;
  private inGesture = false;
  /**
   * The render's windows when the track is longer than the model, and whether edits go to every
   * window ('together': each edit is copied to the same window-relative frame of every window,
   * engine/windows/lambda.ts). Set by the editor from the project and the model.
   */
  windows: FrameWindow[] | null = null;
  together = false;

  /** Whether the grid mirrors this document (false between an undo or a preset and the next sync). */
  mirrors(doc: LambdaDoc): boolean {
    return doc === this.source;
  }

  /** Follows the project's table; called on every render of the editor. */
  sync(doc: LambdaDoc | null): void {
    if (doc === this.source) return;
    this.source = doc;
    this.grid = doc ? makeGrid(doc.steps, doc.frames, doc.values) : null;
    this.emit('all');
  }

  subscribe(fn: DirtyListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit(rect: CellRect | 'all'): void {
    for (const fn of this.listeners) fn(rect);
  }

  /** Runs an edit on the grid; redraws what it changed and schedules the commit. */
  edit(fn: (g: Grid) => CellRect | null, opts: { now?: boolean } = {}): CellRect | null {
    const g = this.grid;
    if (!g) return null;
    const edited = fn(g);
    if (!edited) return null;
    const w = this.windows;
    const changed =
      this.together && w && w.length > 1 && w[w.length - 1].end === g.frames
        ? shareAcrossWindows(g, w, edited)
        : edited;
    this.version++;
    this.emit(changed);
    this.pending = true;
    if (opts.now || !this.inGesture) this.commit();
    // The caller's own cells (a paste selects them), not the copies in the other windows.
    return edited;
  }

  begin(): void {
    if (this.inGesture) return;
    this.inGesture = true;
    beginGesture();
  }

  end(): void {
    if (!this.inGesture) return;
    this.commit();
    this.inGesture = false;
    endGesture();
  }

  /** Writes the grid into the project (preset becomes 'custom': the table is painted now). */
  commit(): void {
    const g = this.grid;
    if (!this.pending || !g) return;
    this.pending = false;
    const values = Array.from(g.data);
    useProject
      .getState()
      .update((d: ProjectDoc) =>
        d.lambda.steps === g.steps && d.lambda.frames === g.frames
          ? { ...d, lambda: { ...d.lambda, values, preset: { kind: 'custom' } } }
          : d,
      );
    const now = useProject.getState().doc?.lambda ?? null;
    if (now && now.values === values) this.source = now;
  }
}

export const working = new WorkingTable();

/** Replaces the project's lambda document as one undo step. */
export function setLambdaDoc(lambda: LambdaDoc): void {
  useProject.getState().update((d) => ({ ...d, lambda }));
}

/**
 * Replaces the lambda document without a history entry of its own: the change belongs to the edit
 * that caused it (a new frame count), so undoing that edit restores both together. Inside a
 * gesture the history is paused already and the gesture's end records it.
 */
export function setLambdaDocWithPreviousStep(lambda: LambdaDoc): void {
  const t = useProject.temporal.getState();
  if (!t.isTracking) {
    setLambdaDoc(lambda);
    return;
  }
  t.pause();
  try {
    setLambdaDoc(lambda);
  } finally {
    t.resume();
  }
}
