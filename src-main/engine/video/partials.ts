import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * Temporary outputs left by a process that was killed mid-write (util/atomic.ts names them
 * `.<name>.<pid>.<8 hex>.partial<ext>` or `.tmp`, and a replaced PNG folder `...partial.old`).
 * The finished files are never touched; these are only debris. Removes those in `folder` whose
 * writer process is gone, and returns their names. Safe to call at startup on a renders folder.
 */
const PARTIAL = /^\..+\.(\d+)\.[0-9a-f]{8}\.(partial|tmp)/;

export function isProcessAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function removeStalePartials(folder: string, alive: (pid: number) => boolean = isProcessAlive): Promise<string[]> {
  const names = await fs.readdir(folder).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const m = PARTIAL.exec(name);
    if (!m || alive(Number(m[1]))) continue;
    await fs.rm(path.join(folder, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
