import path from 'node:path';
import { realpathSync } from 'node:fs';
import { CamtrackError } from '../engine/util/errors';

/**
 * The engine touches only files the user chose: the app's data folder, the browser-mode workspace,
 * and what native dialogs returned. Paths are resolved through symlinks before the check, so a
 * link inside an allowed folder cannot lead out of it.
 */
export class PathGuard {
  private readonly roots = new Set<string>();

  constructor(roots: string[] = []) {
    for (const r of roots) this.allow(r);
  }

  allow(p: string): void {
    this.roots.add(resolveReal(p));
  }

  isAllowed(p: string): boolean {
    const real = resolveReal(p);
    for (const root of this.roots) {
      const rel = path.relative(root, real);
      if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) return true;
    }
    return false;
  }

  /** Returns the resolved path, or refuses with a message naming it. */
  check(p: string): string {
    if (!this.isAllowed(p)) {
      throw new CamtrackError(
        'permission',
        `Camtrack Studio may not access ${p}: choose it in a file dialog (or, in browser mode, keep projects inside the workspace folder).`,
      );
    }
    return path.resolve(p);
  }
}

/** realpath of the longest existing prefix, so paths that do not exist yet can be checked too. */
function resolveReal(p: string): string {
  let cur = path.resolve(p);
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(realpathSync.native(cur), ...rest);
    } catch {
      const parent = path.dirname(cur);
      if (parent === cur) return path.join(cur, ...rest);
      rest.unshift(path.basename(cur));
      cur = parent;
    }
  }
}
