import { useEffect } from 'react';
import { engine } from '../../api/client';
import { useProject, isDirty } from '../../state/projectStore';

/** Autosave: two seconds after the last edit, the document goes to the project's autosave file. */
export function useAutosave(delayMs = 2000): void {
  const doc = useProject((s) => s.doc);
  const dirty = useProject(isDirty);
  const dir = useProject((s) => s.dir);
  useEffect(() => {
    if (!doc || !dirty || !dir) return;
    const t = setTimeout(() => {
      engine.call('project.autosave', { project: dir, doc }).catch(() => {
        /* autosave failures are retried on the next edit; explicit Save reports errors */
      });
    }, delayMs);
    return () => clearTimeout(t);
  }, [doc, dirty, dir, delayMs]);
}
