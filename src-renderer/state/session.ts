import type { ProjectDoc } from '../../src-main/engine/project/schema';
import { useProject } from './projectStore';

/**
 * The session: which project the studio had open, so that a reload (or the next start) reopens
 * it, with its render queue, instead of the welcome view. Kept in the page's localStorage (per
 * browser profile, and in Electron per app): a saved project by its folder; a never-saved one by
 * its working folder and the document as it was loaded (later edits reach the folder's autosave,
 * which the reopen offers back).
 */
export type Session = { kind: 'saved'; path: string } | { kind: 'untitled'; dir: string; doc: ProjectDoc };

const KEY = 'camtrack.session';

export function readSession(): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Partial<Session> & { kind?: string };
    if (s.kind === 'saved' && typeof s.path === 'string') return { kind: 'saved', path: s.path };
    if (s.kind === 'untitled' && typeof s.dir === 'string' && s.doc && typeof s.doc === 'object')
      return { kind: 'untitled', dir: s.dir, doc: s.doc as ProjectDoc };
  } catch {
    /* unreadable: start as if there were none */
  }
  return null;
}

export function forgetSession(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    /* storage unavailable: nothing to forget */
  }
}

function write(s: Session): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(s));
  } catch {
    /* storage full or unavailable: the next start opens the welcome view, as before */
  }
}

/** Keeps the session in step with the open project: on every open, new project and save. */
export function trackSession(): () => void {
  return useProject.subscribe((s, prev) => {
    if (s.dir === prev.dir && s.path === prev.path) return;
    if (!s.dir) return;
    if (s.path) write({ kind: 'saved', path: s.path });
    // Called as the folder changes, i.e. as a document is loaded: the clean state.
    else if (s.doc) write({ kind: 'untitled', dir: s.dir, doc: s.doc });
  });
}
