import { promises as fs, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { recoverCommits, type WriterAlive } from './commit';
import { isProcessAlive } from './liveness';

export { isProcessAlive };

/**
 * Temporary outputs left by a process that was killed mid-write (util/atomic.ts names them
 * `.<name>.<pid>.<8 hex>.partial<ext>` or `.tmp`, and backups `...partial<ext>.old`).
 * The finished files are never touched; these are only debris. First finishes the commits a dead
 * writer left half done (commit.ts: their temporaries are complete and belong in place), then
 * removes the temporaries in `folder` whose writer process is gone, and returns their names.
 * Safe to call at startup on a renders folder.
 */
const PARTIAL = /^\..+\.(\d+)\.[0-9a-f]{8}\.(partial|tmp)/;

export async function removeStalePartials(folder: string, alive: WriterAlive = isProcessAlive): Promise<string[]> {
  await recoverCommits(folder, alive);
  const names = await fs.readdir(folder).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const m = PARTIAL.exec(name);
    if (!m || alive(Number(m[1]), name)) continue;
    await fs.rm(path.join(folder, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/**
 * Removes, synchronously, the temporaries this process has in `folder` (for a signal handler that
 * must exit now). Commit journals of this process are left: their group is rolled forward next time.
 */
export function removeOwnTemporariesSync(folder: string): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return removed;
  }
  // Temporaries a commit journal of this process names are complete and belong in place: kept for the roll-forward.
  const journaled = new Set<string>();
  for (const name of names) {
    if (!name.endsWith('.commit') || !name.includes(`.${process.pid}.`)) continue;
    try {
      const j = JSON.parse(readFileSync(path.join(folder, name), 'utf8')) as {
        entries?: { tmp?: string; backup?: string | null }[];
      };
      for (const e of j.entries ?? []) for (const n of [e.tmp, e.backup]) if (typeof n === 'string') journaled.add(n);
    } catch {
      // An unreadable journal is removed by the next recovery.
    }
  }
  for (const name of names) {
    const m = PARTIAL.exec(name);
    if (!m || Number(m[1]) !== process.pid || journaled.has(name)) continue;
    try {
      rmSync(path.join(folder, name), { recursive: true, force: true });
      removed.push(name);
    } catch {
      // Best effort: the next run's removeStalePartials removes what is left.
    }
  }
  return removed;
}
