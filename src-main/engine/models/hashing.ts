/**
 * sha256 of model files, streamed (a UNet is several GB), and cached by path, size and mtime so a
 * folder that has not changed is not hashed again in this process. A persistent cache would have to
 * live outside the (possibly read-only) model folder; hashing once per process is the trade-off.
 */
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';

const cache = new Map<string, string>();

export interface HashProgress {
  (bytesDone: number, bytesTotal: number): void;
}

export async function sha256File(file: string, onProgress?: HashProgress): Promise<string> {
  const st = await fs.stat(file);
  const key = `${file}\0${st.size}\0${st.mtimeMs}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const hash = createHash('sha256');
  let done = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 4 << 20 })) {
    hash.update(chunk as Buffer);
    done += (chunk as Buffer).length;
    onProgress?.(done, st.size);
  }
  const hex = hash.digest('hex');
  cache.set(key, hex);
  return hex;
}

export function sha256Bytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
