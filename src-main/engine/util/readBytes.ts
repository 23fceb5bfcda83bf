import { promises as fs } from 'node:fs';
import { CamtrackError, toErrorInfo } from './errors';

/** Reads a whole file; failures become CamtrackErrors that name the path (missing, permission, ...). */
export async function readBytes(file: string): Promise<Uint8Array> {
  try {
    return await fs.readFile(file);
  } catch (e) {
    const info = toErrorInfo(e);
    throw new CamtrackError(info.code === 'internal' ? 'bad-file' : info.code, info.message, { cause: e });
  }
}
