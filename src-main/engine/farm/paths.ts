import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CamtrackError } from '../util/errors';

/**
 * The farm root: one folder every machine mounts (NFS, SMB...). Nothing that arrives through the
 * queue is trusted as a path: a job names files relative to the root, and each is resolved here.
 *
 *   FARM_ROOT/
 *     assets/     photos and depth files, content-addressed: <sha256><ext>, written once
 *     renders/    finished outputs, each with its sidecar (committed as a pair)
 *     .staging/   renders in progress, one folder per job attempt
 */
export const FARM_ASSETS_DIR = 'assets';
export const FARM_RENDERS_DIR = 'renders';
export const FARM_STAGING_DIR = '.staging';

/**
 * Resolves `rel` (a job's path, '/'-separated) under `root`, lexically: an absolute path, a drive
 * letter, a NUL or any `..` that leads out of the root is refused with a message naming the path.
 * Pure; `resolveUnderRootReal` adds the check through symlinks.
 */
export function resolveUnderRoot(root: string, rel: string, what = 'path'): string {
  if (typeof rel !== 'string' || rel.length === 0) throw new CamtrackError('bad-input', `The job's ${what} is empty.`);
  if (rel.includes('\0') || path.isAbsolute(rel) || path.win32.isAbsolute(rel) || /^[A-Za-z]:/.test(rel))
    throw new CamtrackError('permission', `The job's ${what} "${rel}" is not a path inside the farm root: refused.`);
  const base = path.resolve(root);
  const full = path.resolve(base, ...rel.split(/[\\/]+/));
  const r = path.relative(base, full);
  if (r === '' || r.startsWith('..') || path.isAbsolute(r))
    throw new CamtrackError('permission', `The job's ${what} "${rel}" escapes the farm root ${base}: refused.`);
  return full;
}

/** resolveUnderRoot, then the same check on the real path of its longest existing prefix, so a symlink inside the root cannot lead out. */
export async function resolveUnderRootReal(root: string, rel: string, what = 'path'): Promise<string> {
  const full = resolveUnderRoot(root, rel, what);
  const realRoot = await fs.realpath(root).catch(() => path.resolve(root));
  let cur = full;
  const rest: string[] = [];
  for (;;) {
    const real = await fs.realpath(cur).catch(() => null);
    if (real !== null) {
      const r = path.relative(realRoot, path.join(real, ...rest));
      if (r === '' || r.startsWith('..') || path.isAbsolute(r))
        throw new CamtrackError(
          'permission',
          `The job's ${what} "${rel}" leads out of the farm root through a link: refused.`,
        );
      return full;
    }
    const parent = path.dirname(cur);
    if (parent === cur) return full;
    rest.unshift(path.basename(cur));
    cur = parent;
  }
}

/** The farm root must exist and be a folder (a mount that is missing must not become an empty local folder). */
export async function checkFarmRoot(root: string): Promise<string> {
  const st = await fs.stat(root).catch(() => null);
  if (!st?.isDirectory())
    throw new CamtrackError(
      'not-found',
      `The farm root ${root} is not a folder. Mount the shared farm folder there (every machine must see the same files).`,
    );
  return path.resolve(root);
}
