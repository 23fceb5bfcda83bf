import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { toErrorInfo, CamtrackError } from './errors';

/**
 * Writes a file atomically: the data goes to a temporary file in the same folder, is flushed to
 * disk, then renamed over the target. A crash or a full disk leaves either the old file or the
 * new one, never half of either. The temporary file is removed on failure.
 */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const dir = path.dirname(target);
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(tmp, 'w');
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.rename(tmp, target);
  } catch (e) {
    await handle?.close().catch(() => {});
    await fs.rm(tmp, { force: true }).catch(() => {});
    const info = toErrorInfo(e);
    if (info.code === 'internal') throw e;
    throw new CamtrackError(info.code, info.message, { cause: e });
  }
}

/** A temporary path beside `target` for writers (ffmpeg, streams) that must finish before a rename. */
export function tempPathBeside(target: string): string {
  const ext = path.extname(target);
  return path.join(
    path.dirname(target),
    `.${path.basename(target, ext)}.${process.pid}.${randomBytes(4).toString('hex')}.partial${ext}`,
  );
}
