import type { ApiMethod, ApiOutput } from '../api/contract';

/** What only the main process can do for an engine call: the desktop shell and the native menu. */
export interface Desktop {
  showItemInFolder(path: string): void;
  /** Rebuilds the native menu (its Open Recent list). */
  refreshMenu(): void;
  /** A save landed: a close or reload that waited for it goes on (leave.ts). */
  projectSaved(): void;
}

type FollowUps = { [M in ApiMethod]?: (value: ApiOutput<M>, desktop: Desktop) => ApiOutput<M> };

/**
 * The desktop's part of some engine calls, done in the main process once the engine has answered;
 * every other call passes through unchanged. Listed here so that main.ts's IPC handler stays generic.
 */
export const DESKTOP_FOLLOW_UPS: FollowUps = {
  // The Open Recent menu lists the project just saved or opened; a window waiting to close on this save closes.
  'project.save': (value, desktop) => {
    desktop.refreshMenu();
    desktop.projectSaved();
    return value;
  },
  'project.open': (value, desktop) => {
    desktop.refreshMenu();
    return value;
  },
  // The host checked the path against what the user chose; only the main process can show it.
  'file.reveal': (value, desktop) => {
    desktop.showItemInFolder(value.path);
    return { ...value, revealed: true };
  },
};

/** An engine call's answer after its desktop follow-up, if it has one. */
export function afterEngineCall(method: unknown, value: unknown, desktop: Desktop): unknown {
  // Own keys only: a method named like an Object property (toString) is not a follow-up.
  const followUp =
    typeof method === 'string' && Object.hasOwn(DESKTOP_FOLLOW_UPS, method)
      ? DESKTOP_FOLLOW_UPS[method as ApiMethod]
      : undefined;
  return followUp ? (followUp as (v: unknown, d: Desktop) => unknown)(value, desktop) : value;
}
