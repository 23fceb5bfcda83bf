import path from 'node:path';
import { readNpyFile } from '../npy/file';
import { sigmasFromNpy } from './sigmas';

/** Edge module: a user-given sigmas .npy file, read and validated (1-D, decreasing, finite, last 0). */
export async function loadSigmasFile(file: string): Promise<Float32Array | Float64Array> {
  return sigmasFromNpy(await readNpyFile(file), path.basename(file));
}
