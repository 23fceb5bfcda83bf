import { promises as fs } from 'node:fs';
import path from 'node:path';
import { sidecarPathFor } from '../render/sidecar';
import { tempPathBeside } from '../util/atomic';
import { commitGroup, type StagedFile } from '../video';
import { CamtrackError, toErrorInfo } from '../util/errors';

/**
 * Moves a finished render from its staging folder into renders/ as one committed group: the video
 * (or PNG folder), its thumbnail and lambda table file, and the sidecar last. Each member is first
 * renamed to a temporary beside its target (same file system: the farm root), then the engine's
 * commitGroup puts them in place together (a journal makes a crash roll forward or back, never
 * leaving a video without its sidecar).
 */
export async function commitStagedRender(stagedOut: string, finalOut: string): Promise<string[]> {
  const stagingDir = path.dirname(stagedOut);
  const base = path.basename(stagedOut);
  if (path.basename(finalOut) !== base)
    throw new CamtrackError('internal', `A staged render keeps its name: ${base} vs ${path.basename(finalOut)}.`);
  const targetDir = path.dirname(finalOut);
  const sidecar = path.basename(sidecarPathFor(stagedOut));
  const names = (await fs.readdir(stagingDir)).filter((n) => n === base || n.startsWith(`${base}.`));
  if (!names.includes(base) || !names.includes(sidecar))
    throw new CamtrackError(
      'internal',
      `The staged render ${stagedOut} is incomplete (${names.join(', ') || 'empty'}).`,
    );
  // The sidecar goes last: it is what marks the render complete.
  const ordered = [...names.filter((n) => n !== sidecar), sidecar];
  const members: StagedFile[] = [];
  try {
    await fs.mkdir(targetDir, { recursive: true });
    for (const n of ordered) {
      const target = path.join(targetDir, n);
      const tmp = tempPathBeside(target);
      await fs.rename(path.join(stagingDir, n), tmp);
      members.push({ tmp, target });
    }
    await commitGroup(members);
  } catch (e) {
    for (const m of members) await fs.rm(m.tmp, { recursive: true, force: true }).catch(() => {});
    const info = toErrorInfo(e);
    throw info.code === 'internal'
      ? e
      : new CamtrackError(info.code, `The render could not be put in ${targetDir}: ${info.message}`, { cause: e });
  }
  return ordered.map((n) => path.join(targetDir, n));
}
