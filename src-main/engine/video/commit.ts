import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { writeFileAtomic } from '../util/atomic';
import { CamtrackError, toErrorInfo } from '../util/errors';
import { isProcessAlive } from './liveness';

/**
 * Committing a group of finished files together: a render's video, its sidecar, its lambda table
 * file and thumbnail. Each member is first written completely to a temporary beside its target
 * (tempPathBeside); commitGroup then puts them all in place so that a reader, or the next start
 * after a crash, finds either every new file or every old one, never a new video beside an old
 * sidecar.
 *
 * The rule:
 * 1. the old targets are kept as backups (a hard link for a file, the folder moved aside for a
 *    PNG folder, at rename time);
 * 2. a journal `.<first target>.<pid>.<8 hex>.commit` naming every (temporary, target, backup) is
 *    written atomically: from this point the commit is decided;
 * 3. the temporaries are renamed over their targets, in the order given (the sidecar last);
 * 4. the backups and then the journal are removed.
 * A failure in step 3 in this process rolls back from the backups. A crash leaves the journal:
 * recoverCommits (run by removeStalePartials at the next start) rolls it forward, renaming the
 * temporaries still present, since they were complete before the journal existed. A crash
 * before the journal leaves only temporaries, which are removed: the old group stays.
 *
 * All members live in one folder (the journal names plain file names only).
 */
export interface StagedFile {
  /** The complete temporary (from tempPathBeside(target)). */
  tmp: string;
  /** Where it goes. */
  target: string;
}

interface JournalEntry {
  tmp: string;
  target: string;
  /** Name of the old target's backup, or null when there was none. */
  backup: string | null;
}

interface Journal {
  kind: 'camtrack-commit';
  version: 1;
  entries: JournalEntry[];
}

const JOURNAL = /^\..+\.(\d+)\.[0-9a-f]{8}\.commit$/;
const plainName = (n: unknown): n is string =>
  typeof n === 'string' && n.length > 0 && !/[\\/]/.test(n) && n !== '.' && n !== '..';

async function exists(p: string): Promise<import('node:fs').Stats | null> {
  return fs.lstat(p).catch(() => null);
}

function fsError(e: unknown): unknown {
  if (e instanceof CamtrackError) return e;
  const info = toErrorInfo(e);
  if (info.code === 'internal') return e;
  return new CamtrackError(info.code, info.message, { cause: e });
}

/** Removes the temporaries of a group that will not be committed (a failed or cancelled render). */
export async function discardStaged(staged: readonly StagedFile[]): Promise<void> {
  for (const s of staged) await fs.rm(s.tmp, { recursive: true, force: true }).catch(() => {});
}

/** Puts one temporary in place; a folder target is first moved to its backup (a folder cannot be renamed over a non-empty one). */
async function place(dir: string, e: JournalEntry): Promise<void> {
  const target = path.join(dir, e.target);
  const st = await exists(target);
  if (st?.isDirectory() && e.backup) {
    const backup = path.join(dir, e.backup);
    if (await exists(backup)) await fs.rm(target, { recursive: true, force: true });
    else await fs.rename(target, backup);
  }
  await fs.rename(path.join(dir, e.tmp), target);
}

/**
 * Commits the staged files as one group (see above). On failure nothing new is in place, the old
 * files are back, the temporaries are removed, and the error is thrown.
 */
export async function commitGroup(staged: readonly StagedFile[]): Promise<void> {
  if (staged.length === 0) return;
  const dir = path.dirname(path.resolve(staged[0].target));
  for (const s of staged) {
    if (path.dirname(path.resolve(s.target)) !== dir || path.dirname(path.resolve(s.tmp)) !== dir)
      throw new CamtrackError('internal', `A commit group must live in one folder (${s.target}, ${s.tmp} vs ${dir}).`);
  }
  const entries: JournalEntry[] = [];
  const backups: string[] = [];
  const journalPath = path.join(
    dir,
    `.${path.basename(staged[0].target)}.${process.pid}.${randomBytes(4).toString('hex')}.commit`,
  );
  try {
    for (const s of staged) {
      if (!(await exists(s.tmp))) throw new CamtrackError('internal', `The staged file ${s.tmp} is missing.`);
      const old = await exists(s.target);
      let backup: string | null = null;
      if (old) {
        backup = `${path.basename(s.tmp)}.old`;
        // A file is kept by a hard link (the rename replaces the name, the link keeps the data); a folder is moved aside in place().
        if (!old.isDirectory()) {
          await fs.link(s.target, path.join(dir, backup)).catch(() => fs.copyFile(s.target, path.join(dir, backup!)));
          backups.push(backup);
        }
      }
      entries.push({ tmp: path.basename(s.tmp), target: path.basename(s.target), backup });
    }
    const journal: Journal = { kind: 'camtrack-commit', version: 1, entries };
    await writeFileAtomic(journalPath, `${JSON.stringify(journal)}\n`);
  } catch (e) {
    for (const b of backups) await fs.rm(path.join(dir, b), { force: true }).catch(() => {});
    await discardStaged(staged);
    throw fsError(e);
  }

  const placed: JournalEntry[] = [];
  try {
    for (const e of entries) {
      await place(dir, e);
      placed.push(e);
    }
  } catch (err) {
    // When the rollback fails too, the journal, temporaries and backups stay: the next start rolls the group forward.
    if (await rollBack(dir, entries, placed)) {
      await discardStaged(staged);
      for (const e of entries)
        if (e.backup) await fs.rm(path.join(dir, e.backup), { recursive: true, force: true }).catch(() => {});
      await fs.rm(journalPath, { force: true }).catch(() => {});
    }
    throw fsError(err);
  }
  for (const e of entries)
    if (e.backup) await fs.rm(path.join(dir, e.backup), { recursive: true, force: true }).catch(() => {});
  await fs.rm(journalPath, { force: true });
}

/** Restores the old targets of the entries already placed (and of a folder moved aside but not replaced); false if any step failed. */
async function rollBack(dir: string, entries: JournalEntry[], placed: JournalEntry[]): Promise<boolean> {
  let ok = true;
  for (const e of entries) {
    const target = path.join(dir, e.target);
    const wasPlaced = placed.includes(e);
    try {
      if (e.backup && (await exists(path.join(dir, e.backup)))) {
        const backup = path.join(dir, e.backup);
        const st = await exists(backup);
        if (st?.isDirectory()) {
          if (await exists(target)) await fs.rm(target, { recursive: true, force: true });
          await fs.rename(backup, target);
        } else if (wasPlaced) await fs.rename(backup, target);
      } else if (wasPlaced) await fs.rm(target, { recursive: true, force: true });
    } catch {
      ok = false;
    }
  }
  return ok;
}

function parseJournal(text: string): Journal | null {
  try {
    const j = JSON.parse(text) as Journal;
    if (j?.kind !== 'camtrack-commit' || j.version !== 1 || !Array.isArray(j.entries)) return null;
    for (const e of j.entries)
      if (!plainName(e?.tmp) || !plainName(e?.target) || !(e.backup === null || plainName(e.backup))) return null;
    return j;
  } catch {
    return null;
  }
}

/**
 * Whether the writer of a journal or temporary may still be at work: by default its pid is alive
 * on this machine. A folder other machines write too (a farm root) judges by the file's age instead.
 */
export type WriterAlive = (pid: number, name: string) => boolean;

export interface RecoveredCommit {
  journal: string;
  /** Targets whose temporary was renamed into place now (the rest were already in place). */
  rolledForward: string[];
}

/**
 * Finishes the commits in `folder` whose writer died (a journal whose pid is gone): every
 * temporary still present is renamed over its target, then the backups and the journal are
 * removed. An unreadable journal is removed (it was written atomically, so it only happens if
 * someone else wrote it). Returns what was done.
 */
export async function recoverCommits(folder: string, alive: WriterAlive = isProcessAlive): Promise<RecoveredCommit[]> {
  const names = await fs.readdir(folder).catch(() => [] as string[]);
  const done: RecoveredCommit[] = [];
  for (const name of names) {
    const m = JOURNAL.exec(name);
    if (!m || alive(Number(m[1]), name)) continue;
    const journalPath = path.join(folder, name);
    const journal = parseJournal(await fs.readFile(journalPath, 'utf8').catch(() => ''));
    const rolledForward: string[] = [];
    if (journal) {
      for (const e of journal.entries) {
        if (!(await exists(path.join(folder, e.tmp)))) continue;
        await place(folder, e);
        rolledForward.push(e.target);
      }
      for (const e of journal.entries)
        if (e.backup) await fs.rm(path.join(folder, e.backup), { recursive: true, force: true });
    }
    await fs.rm(journalPath, { force: true });
    done.push({ journal: name, rolledForward });
  }
  return done;
}
