import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from '../util/zod';
import { writeFileAtomic } from '../util/atomic';
import { PROJECT_FILE, projectNameFromDir } from './layout';

/**
 * The recent-projects list (File > Open Recent): `recent-projects.json` in the app-data directory,
 * most recent first, at most RECENT_MAX entries, written atomically. A damaged list is treated as
 * empty (it only holds shortcuts) and replaced by the next write.
 */
export const RECENT_FILE = 'recent-projects.json';
export const RECENT_MAX = 10;

export const RecentEntry = z.object({
  /** Absolute path of the project folder. */
  dir: z.string().min(1),
  name: z.string(),
  /** ISO time it was last opened or saved. */
  openedAt: z.string(),
});
export type RecentEntry = z.infer<typeof RecentEntry>;

const RecentFile = z.object({ projects: z.array(RecentEntry) });

function recentPath(appDataDir: string): string {
  return path.join(path.resolve(appDataDir), RECENT_FILE);
}

async function readRaw(appDataDir: string): Promise<RecentEntry[]> {
  try {
    const r = RecentFile.safeParse(JSON.parse(await fs.readFile(recentPath(appDataDir), 'utf8')));
    return r.success ? r.data.projects : [];
  } catch {
    return [];
  }
}

async function isProjectDir(dir: string): Promise<boolean> {
  try {
    return (await fs.stat(path.join(dir, PROJECT_FILE))).isFile();
  } catch {
    return false;
  }
}

/** The list, most recent first, without projects whose folder (or project.json) has gone. */
export async function readRecent(appDataDir: string): Promise<RecentEntry[]> {
  const all = await readRaw(appDataDir);
  const present = await Promise.all(all.map((e) => isProjectDir(e.dir)));
  return all.filter((_, i) => present[i]).slice(0, RECENT_MAX);
}

async function writeRecent(appDataDir: string, list: RecentEntry[]): Promise<void> {
  await fs.mkdir(path.resolve(appDataDir), { recursive: true });
  await writeFileAtomic(recentPath(appDataDir), `${JSON.stringify({ projects: list }, null, 2)}\n`);
}

/** Puts a project at the top of the list (moving it if it was there). Returns the new list. */
export async function addRecent(
  appDataDir: string,
  projectDir: string,
  name?: string,
  now: Date = new Date(),
): Promise<RecentEntry[]> {
  const dir = path.resolve(projectDir);
  const entry: RecentEntry = { dir, name: name ?? projectNameFromDir(dir), openedAt: now.toISOString() };
  const rest = (await readRecent(appDataDir)).filter((e) => path.resolve(e.dir) !== dir);
  const list = [entry, ...rest].slice(0, RECENT_MAX);
  await writeRecent(appDataDir, list);
  return list;
}

export async function removeRecent(appDataDir: string, projectDir: string): Promise<RecentEntry[]> {
  const dir = path.resolve(projectDir);
  const list = (await readRecent(appDataDir)).filter((e) => path.resolve(e.dir) !== dir);
  await writeRecent(appDataDir, list);
  return list;
}

export async function clearRecent(appDataDir: string): Promise<void> {
  await writeRecent(appDataDir, []);
}
