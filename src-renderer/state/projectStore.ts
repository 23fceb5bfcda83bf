import { create, useStore } from 'zustand';
import { temporal } from 'zundo';
import type { ProjectDoc } from '../../src-main/engine/project/schema';
import type { OpenedProject } from '../../src-main/api/contract';

/**
 * The open project: the document the artist edits, with undo and redo (zundo keeps past and
 * future documents; only `doc` is tracked). Continuous gestures (a brush stroke, a gizmo drag)
 * call `beginGesture` / `endGesture` so the whole gesture is one undo step.
 */
export interface ProjectState {
  doc: ProjectDoc | null;
  /** The project's working folder: every engine call about this project names it. */
  dir: string | null;
  /** The saved project folder, or null while it was never saved. */
  path: string | null;
  /** Canonical JSON of the document as last saved or as created (null: no document). */
  savedKey: string | null;
  /** An autosave newer than the saved document, offered for recovery. */
  recovery: OpenedProject['autosave'] | null;
  load(opened: OpenedProject): void;
  update(recipe: (doc: ProjectDoc) => ProjectDoc): void;
  markSaved(path: string, dir: string, doc: ProjectDoc): void;
  dismissRecovery(): void;
}

/** Key for dirty checks: the document without its modification time. */
export function docKey(doc: ProjectDoc | null): string | null {
  if (!doc) return null;
  const { modifiedAt: _ignored, ...rest } = doc;
  return JSON.stringify(rest);
}

export const useProject = create<ProjectState>()(
  temporal(
    (set) => ({
      doc: null,
      dir: null,
      path: null,
      savedKey: null,
      recovery: null,
      load(opened) {
        set({
          doc: opened.doc,
          dir: opened.dir,
          path: opened.path,
          savedKey: docKey(opened.doc),
          recovery: opened.autosave ?? null,
        });
        useProject.temporal.getState().clear();
      },
      update(recipe) {
        set((s) => (s.doc ? { doc: recipe(s.doc) } : s));
      },
      markSaved(path, dir, doc) {
        set({ path, dir, savedKey: docKey(doc) });
      },
      dismissRecovery() {
        set({ recovery: null });
      },
    }),
    {
      partialize: (s) => ({ doc: s.doc }),
      equality: (a, b) => a.doc === b.doc,
      limit: 200,
    },
  ),
);

export function isDirty(s: Pick<ProjectState, 'doc' | 'savedKey'>): boolean {
  if (!s.doc) return false;
  return docKey(s.doc) !== s.savedKey;
}

export const undo = () => useProject.temporal.getState().undo();
export const redo = () => useProject.temporal.getState().redo();

/** Makes everything between begin and end a single undo step (strokes, drags). */
let gestureStart: ProjectDoc | null = null;
export function beginGesture(): void {
  useProject.temporal.getState().pause();
  gestureStart = useProject.getState().doc;
}
export function endGesture(): void {
  const t = useProject.temporal.getState();
  const end = useProject.getState().doc;
  if (gestureStart && end && gestureStart !== end) {
    useProject.setState({ doc: gestureStart }); // still paused: not recorded
    t.resume();
    useProject.setState({ doc: end }); // recorded: one step from the gesture's start to its end
  } else {
    t.resume();
  }
  gestureStart = null;
}

/** Whether undo / redo have anything to do (for menus and buttons). */
export function useHistory(): { canUndo: boolean; canRedo: boolean } {
  const canUndo = useStore(useProject.temporal, (t) => t.pastStates.length > 0);
  const canRedo = useStore(useProject.temporal, (t) => t.futureStates.length > 0);
  return { canUndo, canRedo };
}

/** The working folder of the open project (engine calls name it); throws when none is open. */
export function projectDirOrThrow(): string {
  const dir = useProject.getState().dir;
  if (!dir) throw new Error('No project is open.');
  return dir;
}
