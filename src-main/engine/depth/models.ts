import { promises as fs } from 'node:fs';
import path from 'node:path';
import { downloadFile, downloadUrl, type DownloadProgress, type TransferOptions } from '../models/download';
import { sha256File } from '../models/hashing';
import { userModelsDir } from '../models/modelFolder';
import { writeFileAtomic } from '../util/atomic';
import { CamtrackError, toErrorInfo } from '../util/errors';
import { loadDepthModel } from './estimate';

/**
 * The depth models the studio knows (Depth Anything V2 in ONNX, from the onnx-community exports on
 * Hugging Face) and where they live: `<models dir>/depth-anything-v2-<size>/model.onnx`, with
 * `model.onnx.sha256` beside it, written when the file is downloaded or chosen and checked every
 * time the model is used (a damaged or swapped file is refused, not run).
 * The models folder is $CAMTRACK_MODELS_DIR, else ~/.camtrack/models.
 */
export type DepthModelSize = 'small' | 'base' | 'large';
export const DEPTH_MODEL_SIZES: readonly DepthModelSize[] = ['small', 'base', 'large'];

/** Where each size is downloaded from (documented in the README). Base and Large are CC-BY-NC-4.0; Small is Apache-2.0. */
export const DEPTH_MODEL_URLS: Record<DepthModelSize, string> = {
  small: 'https://huggingface.co/onnx-community/depth-anything-v2-small/resolve/main/onnx/model.onnx',
  base: 'https://huggingface.co/onnx-community/depth-anything-v2-base/resolve/main/onnx/model.onnx',
  large: 'https://huggingface.co/onnx-community/depth-anything-v2-large/resolve/main/onnx/model.onnx',
};

/** The user's models folder (the same as the SVD model folders'). */
export function modelsDir(): string {
  return userModelsDir();
}

export function depthModelFile(size: DepthModelSize, dir = modelsDir()): string {
  return path.join(dir, `depth-anything-v2-${size}`, 'model.onnx');
}

const hashFile = (file: string) => `${file}.sha256`;

export interface DepthModelStatus {
  size: DepthModelSize;
  file: string;
  installed: boolean;
  /** What to do when it is not installed. */
  hint: string;
}

export function depthModelHint(size: DepthModelSize = 'small'): string {
  return `No depth model is installed. Run "npx camtrack depth download --size ${size}" (about 100 MB for Small, from Hugging Face), or choose a Depth Anything V2 model.onnx file you have ("npx camtrack depth install FILE").`;
}

/** Which sizes are installed (a model file with its recorded hash). */
export async function depthModelStatus(dir = modelsDir()): Promise<DepthModelStatus[]> {
  return Promise.all(
    DEPTH_MODEL_SIZES.map(async (size) => {
      const file = depthModelFile(size, dir);
      const installed =
        !!(await fs.stat(file).catch(() => null))?.isFile() && !!(await fs.stat(hashFile(file)).catch(() => null));
      return { size, file, installed, hint: installed ? '' : depthModelHint(size) };
    }),
  );
}

/** The first installed model (small, base, large in that order), or null. */
export async function installedDepthModel(dir = modelsDir()): Promise<DepthModelStatus | null> {
  return (await depthModelStatus(dir)).find((s) => s.installed) ?? null;
}

/**
 * Whether `file` loads as a Depth Anything V2 model (an ONNX graph with its input and output), as
 * the studio checks a model it is given; a refusal says why. The session is released at once.
 */
async function checkLoads(file: string, name: string): Promise<void> {
  const model = await loadDepthModel(file).catch((e: unknown) => {
    const info = toErrorInfo(e);
    throw new CamtrackError(
      info.code === 'internal' ? 'bad-file' : info.code,
      `${name} cannot be used as a depth model: ${info.message}`,
    );
  });
  await model.session.release();
}

/**
 * Puts a checked model file in place of the installed one, with its sha256 beside it. The file is
 * load-checked first, under a temporary name: a file that does not load leaves the installed model
 * (and its recorded hash) as it was.
 */
async function installChecked(staged: string, file: string, name: string): Promise<string> {
  try {
    await checkLoads(staged, name);
  } catch (e) {
    await fs.rm(staged, { force: true });
    throw e;
  }
  const sha256 = await sha256File(staged);
  await fs.rename(staged, file);
  await writeFileAtomic(hashFile(file), `${sha256}\n`);
  return sha256;
}

/**
 * Downloads a size (resuming a partial download), checks it loads, records its sha256, and returns
 * the file. With `sha256` the file must have it; without one (the published models have no pinned
 * hash here) the load check is what verifies it, and `verifiedBy` says so.
 */
export async function downloadDepthModel(
  size: DepthModelSize,
  opts: {
    url?: string;
    dir?: string;
    sha256?: string;
    onProgress?: (p: DownloadProgress) => void;
  } & TransferOptions = {},
): Promise<{ file: string; sha256: string; bytes: number; verifiedBy: 'sha256' | 'load check' }> {
  const file = depthModelFile(size, opts.dir);
  const url = downloadUrl(opts.url ?? DEPTH_MODEL_URLS[size], opts.allowHttp, 'the model');
  await fs.mkdir(path.dirname(file), { recursive: true });
  // Downloaded beside the installed model, under another name: only a checked file replaces it.
  const staged = `${file}.download`;
  const r = await downloadFile(
    url,
    staged,
    { ...(opts.sha256 && { sha256: opts.sha256 }), what: 'the expected hash' },
    (fileBytes, fileTotal, state) =>
      opts.onProgress?.({ file: path.basename(file), fileIndex: 0, fileCount: 1, fileBytes, fileTotal, state }),
    opts,
  );
  const sha256 = await installChecked(staged, file, `The download from ${url.href}`);
  return { file, sha256, bytes: r.bytes, verifiedBy: opts.sha256 ? 'sha256' : 'load check' };
}

/** Installs a model file the user has: copied into the models folder once it loads, its sha256 recorded. */
export async function installDepthModelFile(
  source: string,
  size: DepthModelSize = 'small',
  dir = modelsDir(),
): Promise<{ file: string; sha256: string }> {
  const st = await fs.stat(source).catch(() => null);
  if (!st?.isFile()) throw new CamtrackError('not-found', `No depth model file at ${source}.`);
  const file = depthModelFile(size, dir);
  await fs.mkdir(path.dirname(file), { recursive: true });
  const staged = `${file}.partial`;
  await fs.copyFile(source, staged);
  const sha256 = await installChecked(staged, file, path.basename(source));
  return { file, sha256 };
}

/** Checks an installed model against its recorded sha256 before it runs. */
export async function verifyDepthModel(file: string): Promise<void> {
  const recorded = (await fs.readFile(hashFile(file), 'utf8').catch(() => '')).trim();
  if (!recorded) return;
  const got = await sha256File(file);
  if (got !== recorded)
    throw new CamtrackError(
      'bad-file',
      `The depth model ${file} does not match the sha256 recorded when it was installed (${recorded}); it was changed or damaged. Download or install it again.`,
    );
}
