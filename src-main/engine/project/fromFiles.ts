import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CamtrackError, toErrorInfo } from '../util/errors';
import { sniffFormat, type SniffedFormat } from '../image/sniff';
import { decodeImage } from '../image/load';
import { DEFAULT_DEPTH_MAPPING, type DepthMapping, type LambdaDoc, type RenderSettings, type Track } from './schema';
import { createProject } from './create';
import { saveProject, type SavedProject } from './store';
import { assetFileName, sha256Hex, type NewAsset } from './assets';
import { projectNameFromDir } from './layout';

/**
 * Makes a project folder from an image file and (optionally) a depth file, e.g. for samples, the
 * CLI and tests. The files' bytes are stored as they are (content-addressed), their kind taken from
 * their bytes, never their names (a `.jpg` may hold PNG data). The image is decoded once to check it
 * and to record its upright (EXIF-oriented) size.
 */
export interface ProjectFromFilesOptions {
  imagePath: string;
  depthPath?: string;
  /** How the depth file's values become z-depth (default: disparity, 10000, [1e-4, 500]). */
  mapping?: DepthMapping;
  /** A whole track; else createProject's default with `numFrames`, `fps` and `fovY`. */
  track?: Track;
  numFrames?: number;
  fps?: number;
  fovY?: number;
  /** A lambda table; else the reference default for the render steps and the track's frames. */
  lambda?: LambdaDoc;
  render?: Partial<RenderSettings>;
  /** Display name (default: the folder name without `.camtrack`). */
  name?: string;
  now?: Date;
}

const DEPTH_EXTENSION: Partial<Record<SniffedFormat, string>> = { npy: 'npy', pfm: 'pfm', png: 'png', tiff: 'tif' };
const IMAGE_EXTENSION: Partial<Record<SniffedFormat, string>> = { png: 'png', jpeg: 'jpg', webp: 'webp' };

async function readInput(file: string, what: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (e) {
    const info = toErrorInfo(e);
    if (info.code === 'not-found') throw new CamtrackError('not-found', `The ${what} ${file} does not exist.`, { cause: e });
    if ((e as NodeJS.ErrnoException).code === 'EISDIR') throw new CamtrackError('bad-input', `The ${what} ${file} is a folder, not a file.`, { cause: e });
    if (info.code === 'internal') throw e;
    throw new CamtrackError(info.code, info.message, { cause: e });
  }
}

export async function writeProjectFromFiles(dir: string, opts: ProjectFromFilesOptions): Promise<SavedProject> {
  const imageBytes = await readInput(opts.imagePath, 'image');
  const imageExt = IMAGE_EXTENSION[sniffFormat(imageBytes)];
  // decodeImage refuses anything that is not a readable PNG, JPEG or WebP, with a message.
  const decoded = await decodeImage(imageBytes, { name: opts.imagePath });
  if (!imageExt) throw new CamtrackError('bad-file', `${opts.imagePath} is not a PNG, JPEG or WebP image.`);
  const imageSha = sha256Hex(imageBytes);
  const imageAsset: NewAsset = { name: assetFileName('image', imageSha, imageExt), bytes: imageBytes };
  const assets: NewAsset[] = [imageAsset];

  let depth = null;
  if (opts.depthPath) {
    const depthBytes = await readInput(opts.depthPath, 'depth file');
    const format = sniffFormat(depthBytes);
    const ext = DEPTH_EXTENSION[format];
    if (!ext) {
      throw new CamtrackError('bad-file', `${opts.depthPath} is ${format === 'unknown' ? 'not a depth file this studio knows' : `a ${format.toUpperCase()} file`}. Use .npy, PFM, 16-bit PNG or TIFF depth.`);
    }
    const sha = sha256Hex(depthBytes);
    const asset: NewAsset = { name: assetFileName('depth', sha, ext), bytes: depthBytes };
    assets.push(asset);
    depth = {
      source: { type: 'file' as const, asset: { file: asset.name, sha256: sha }, originalName: path.basename(opts.depthPath) },
      mapping: opts.mapping ?? DEFAULT_DEPTH_MAPPING,
    };
  }

  const numFrames = opts.track?.numFrames ?? opts.numFrames;
  const doc = createProject(opts.name ?? projectNameFromDir(dir), {
    ...(numFrames !== undefined && { numFrames }),
    ...(opts.fps !== undefined && { fps: opts.fps }),
    ...(opts.fovY !== undefined && { fovY: opts.fovY }),
    ...(opts.render && { render: opts.render }),
    ...(opts.now && { now: opts.now }),
    image: {
      asset: { file: imageAsset.name, sha256: imageSha },
      originalName: path.basename(opts.imagePath),
      width: decoded.image.width,
      height: decoded.image.height,
    },
    depth,
  });
  if (opts.track) doc.track = opts.track;
  if (opts.lambda) doc.lambda = opts.lambda;
  return saveProject(dir, doc, assets, opts.now ? { now: () => opts.now as Date } : {});
}
