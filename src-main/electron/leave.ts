/**
 * Leaving the window with unsaved changes (Electron): the studio refuses to unload while its
 * project is dirty, and the main process asks Save, Discard changes or Cancel. Save asks the page
 * to save (Save As for a project never saved) and leaves once the save has landed: the window
 * closes, or reloads when a reload was what was asked. Pure state, so the decisions are tested
 * without Electron; main.ts feeds it the window's events.
 */
export const LEAVE_BUTTONS = ['Save', 'Discard changes', 'Cancel'] as const;
export const LEAVE_DEFAULT = 0;
export const LEAVE_CANCEL = 2;

export type Leave = 'close' | 'reload';

export class LeavePlan {
  /** The window's close was asked (its 'close' event came before the page refused to unload). */
  private closing = false;
  /** Save chosen: how to leave once the project is saved. */
  private afterSave: Leave | null = null;
  /** The save landed: the next refusal to unload is let through. */
  private released = false;

  /** The window is asked to close (Electron's 'close' event). */
  closeAsked(): void {
    this.closing = true;
  }

  /** The page refused to unload: whether to let it go at once (after a save), else ask. */
  letGo(): boolean {
    if (!this.released) return false;
    this.released = false;
    return true;
  }

  /** The artist's answer (a button index): true when the unload may go on now. */
  answer(index: number): { unload: boolean; save: boolean } {
    const leaving: Leave = this.closing ? 'close' : 'reload';
    this.closing = false;
    if (index === 1) return { unload: true, save: false };
    if (index === 0) {
      this.afterSave = leaving;
      return { unload: false, save: true };
    }
    this.afterSave = null;
    return { unload: false, save: false };
  }

  /** A project.save succeeded: how to leave now, if Save was chosen in the prompt. */
  saved(): Leave | null {
    const how = this.afterSave;
    this.afterSave = null;
    if (how) this.released = true;
    return how;
  }
}
