import path from 'node:path';
import { writeFileAtomic } from '../util/atomic';
import { readBytes } from '../util/readBytes';
import { readNpy, writeNpy, type NpyArray } from './npy';

/** Edge module: .npy files on disk. The format itself lives in npy.ts (no node imports). */
export async function readNpyFile(file: string): Promise<NpyArray> {
  const bytes = await readBytes(file);
  return readNpy(bytes, path.basename(file));
}

/** Writes '<f4'/'<f8' by the array type, atomically. */
export async function writeNpyFile(
  file: string,
  data: Float32Array | Float64Array,
  shape: readonly number[],
): Promise<void> {
  await writeFileAtomic(file, writeNpy(data, shape));
}
