import { useEffect } from 'react';
import { runMenuCommand, showDialog } from '../../actions';
import { useProject } from '../../state/projectStore';
import { useUi } from '../../state/uiStore';
import type { MenuCommand } from '../../../src-main/api/contract';

/** Keyboard shortcuts; the Help dialog lists exactly this table. */
export const SHORTCUTS: { keys: string; does: string }[] = [
  { keys: 'Ctrl+N / Ctrl+O / Ctrl+S', does: 'New, open, save project' },
  { keys: 'Ctrl+Shift+S', does: 'Save as' },
  { keys: 'Ctrl+I', does: 'Import image' },
  {
    keys: 'Ctrl+Z / Ctrl+Shift+Z (Ctrl+Y)',
    does: 'Undo / redo, also in a number field (where Ctrl+Z first drops a value typed but not entered)',
  },
  { keys: 'Left / Right, or , / .', does: 'Previous / next frame' },
  { keys: 'Home / End', does: 'First / last frame' },
  { keys: 'Space', does: 'Play / pause' },
  { keys: 'K', does: 'Insert a keyframe at the current frame' },
  { keys: 'Delete', does: 'Delete the selected keyframe' },
  { keys: 'Ctrl+C / Ctrl+V', does: 'Copy / paste keyframes (timeline) or cells (heatmap)' },
  {
    keys: 'Heatmap: arrows, digits, Enter',
    does: 'Move the cell cursor (Shift selects), type a lambda value and set it',
  },
  {
    keys: 'Heatmap: B / M, [ / ], Alt+click',
    does: 'Brush / select tool, brush size, pick the value under the pointer',
  },
  { keys: 'W / T / E', does: '3D view gizmo: move the key / move its look-at target / rotate' },
  { keys: 'C / F', does: "3D view: through the current frame's camera / free view framing the scene" },
  { keys: '?', does: 'This list' },
];

/** Fields whose text is a project value: undo there is the project's (NumberField). */
function undoesProject(e: KeyboardEvent): boolean {
  return !!(e.target as HTMLElement | null)?.closest?.('[data-project-undo]');
}

function isTyping(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  return !!t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable);
}

export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (mod) {
        const k = e.key.toLowerCase();
        const map: Record<string, MenuCommand> = {
          n: 'new',
          o: 'open',
          s: e.shiftKey ? 'saveAs' : 'save',
          i: 'importImage',
          e: 'export',
        };
        if (k === 'z' || k === 'y') {
          // A field that handled the key itself (dropped its typed text) has prevented it.
          if (e.defaultPrevented || (isTyping(e) && !undoesProject(e))) return;
          e.preventDefault();
          void runMenuCommand(k === 'y' || e.shiftKey ? 'redo' : 'undo');
          return;
        }
        if (map[k]) {
          e.preventDefault();
          void runMenuCommand(map[k]);
        }
        return;
      }
      if (isTyping(e) || (e.target as HTMLElement | null)?.closest?.('[data-own-keys]')) return;
      const ui = useUi.getState();
      const frames = useProject.getState().doc?.track.numFrames ?? 1;
      switch (e.key) {
        case 'ArrowLeft':
        case ',':
          ui.set({ frame: Math.max(0, ui.frame - 1) });
          break;
        case 'ArrowRight':
        case '.':
          ui.set({ frame: Math.min(frames - 1, ui.frame + 1) });
          break;
        case 'Home':
          ui.set({ frame: 0 });
          break;
        case 'End':
          ui.set({ frame: frames - 1 });
          break;
        case ' ':
          e.preventDefault();
          ui.set({ playing: !ui.playing });
          break;
        case '?':
          showDialog('shortcuts');
          break;
        default:
          return;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
