import { useEffect, useRef } from 'react';
import { engine } from '../../api/client';
import { useProject, isDirty } from '../../state/projectStore';

/**
 * Autosave: two seconds after the last edit, the document goes to the project's autosave file.
 * When the document is back to its saved state (undone to it), the autosave written meanwhile is
 * dropped: there is nothing to recover, and a reload must not offer it.
 */
export function useAutosave(delayMs = 2000): void {
  const doc = useProject((s) => s.doc);
  const dirty = useProject(isDirty);
  const dir = useProject((s) => s.dir);
  const recovery = useProject((s) => s.recovery);
  // Whether this folder may hold an autosave of ours (or one offered for recovery).
  const onDisk = useRef<string | null>(null);
  useEffect(() => {
    if (recovery && dir) onDisk.current = dir;
  }, [recovery, dir]);
  useEffect(() => {
    if (!doc || !dir) return;
    if (!dirty) {
      if (onDisk.current !== dir || recovery) return;
      onDisk.current = null;
      engine.call('project.discardAutosave', { project: dir }).catch(() => {
        /* left behind: at worst a reload offers an autosave equal to nothing new */
      });
      return;
    }
    const save = () => {
      clearTimeout(t);
      window.removeEventListener('pagehide', save);
      onDisk.current = dir;
      engine.call('project.autosave', { project: dir, doc }).catch(() => {
        /* autosave failures are retried on the next edit; explicit Save reports errors */
      });
    };
    const t = setTimeout(save, delayMs);
    // Leaving (a reload, a close) within the delay: the last edits are sent at once.
    window.addEventListener('pagehide', save);
    return () => {
      clearTimeout(t);
      window.removeEventListener('pagehide', save);
    };
  }, [doc, dirty, dir, delayMs, recovery]);
}
