import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Queue } from 'bullmq';
import { recoverCommits, removeStalePartials, type WriterAlive } from '../video';
import { FARM_RENDERS_DIR, FARM_STAGING_DIR } from './paths';

/**
 * What a worker tidies on the farm root when it starts: in renders/, the commits a crashed worker
 * left half done are finished (commit.ts: the journal's temporaries are complete, they are rolled
 * forward) and stray temporaries are removed; in .staging/, the folders of jobs no worker holds.
 *
 * Other machines write into the same folders, and a pid in a file name says nothing about another
 * machine's processes: a journal or temporary counts as abandoned only when it is older than
 * `staleAfterMs` (its ctime, which a rename refreshes; a commit takes milliseconds). A staging
 * folder goes only when its job is not active in the queue.
 */
export const FARM_STALE_AFTER_MS = 10 * 60_000;

export interface FarmCleanup {
  /** Journals finished in renders/, with the files they put in place. */
  recovered: { journal: string; rolledForward: string[] }[];
  /** Stray temporaries removed from renders/. */
  removed: string[];
  /** Staging folders removed (their job is finished, gone or waiting again). */
  staging: string[];
}

/** Writers judged by file age: a name younger than `staleAfterMs` (or gone) may still be at work. */
async function aliveByAge(folder: string, staleAfterMs: number): Promise<WriterAlive> {
  const now = Date.now();
  const young = new Set<string>();
  for (const name of await fs.readdir(folder).catch(() => [] as string[])) {
    const st = await fs.lstat(path.join(folder, name)).catch(() => null);
    if (!st || now - st.ctimeMs < staleAfterMs) young.add(name);
  }
  return (_pid, name) => young.has(name);
}

export async function cleanFarmRoot(
  root: string,
  queue: Queue,
  staleAfterMs = FARM_STALE_AFTER_MS,
): Promise<FarmCleanup> {
  const renders = path.join(root, FARM_RENDERS_DIR);
  const recovered = await recoverCommits(renders, await aliveByAge(renders, staleAfterMs));
  // Ages again: a roll-forward renamed files (and so made them young), the journals' own temporaries are gone.
  const removed = await removeStalePartials(renders, await aliveByAge(renders, staleAfterMs));

  const stagingRoot = path.join(root, FARM_STAGING_DIR);
  const staging: string[] = [];
  // Staging folders are named <job id>.<worker id>. Matched against the ids of the active jobs, not
  // parsed: a name is kept when any active job could own it, whatever either id holds.
  const active = await queue.getRanges(['active'], 0, -1);
  for (const name of await fs.readdir(stagingRoot).catch(() => [] as string[])) {
    if (active.some((id) => name.startsWith(`${id}.`))) continue;
    await fs.rm(path.join(stagingRoot, name), { recursive: true, force: true });
    staging.push(name);
  }
  return { recovered, removed, staging };
}
