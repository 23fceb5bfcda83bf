import { readRegularFile } from '../util/readBytes';
import path from 'node:path';
import { decodeDepth } from '../depth/read';
import { CamtrackError, toErrorInfo } from '../util/errors';
import { sniffFormat, type SniffedFormat } from '../image/sniff';
import { decodeImage } from '../image/load';
import { resolveDepthMapping, type DepthProducer } from '../depth/defaults';
import { applyDepthMapping, type DepthReport } from '../depth/mapping';
import { shapeDepth } from '../depth/shapes';
import type { RawDepth } from '../depth/types';
import {
  type AssetRef,
  type Depth,
  type DepthShape,
  type DepthMapping,
  type SourceImage,
  type LambdaDoc,
  type RenderSettings,
  type Track,
} from '../project/schema';
import { createProject } from '../project/create';
import { saveProject, type SavedProject } from '../project/store';
import { assetFileName, sha256Hex, type NewAsset } from '../project/assets';
import { projectNameFromDir } from '../project/layout';
import { defaultPhotoCamera } from '../camera/intrinsics';

/**
 * Makes a project folder from an image file and (optionally) a depth file, e.g. for samples, the
 * CLI and tests. The files' bytes are stored as they are (content-addressed), their kind taken from
 * their bytes, never their names (a `.jpg` may hold PNG data). The image is decoded once to check it
 * and to record its upright (EXIF-oriented) size.
 */
export interface ProjectFromFilesOptions {
  imagePath: string;
  depthPath?: string;
  /** The depth file was estimated by this model (its file name is recorded as the depth's source). */
  depthModel?: string;
  /** How the depth file's values become z-depth: what is left out takes the default for its values (depth/defaults.ts). */
  mapping?: Partial<DepthMapping>;
  /** Without a depth file: a depth shape (engine/depth/shapes.ts); without either the project has no depth. */
  shape?: DepthShape;
  /** A whole track; else createProject's default with `numFrames` and `fps`. */
  track?: Track;
  numFrames?: number;
  fps?: number;
  /** Frame 0's vertical field of view at the render size: the photo's camera (createProject's fovY). */
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
    return await readRegularFile(file);
  } catch (e) {
    const info = toErrorInfo(e);
    if (info.code === 'not-found')
      throw new CamtrackError('not-found', `The ${what} ${file} does not exist.`, { cause: e });
    if ((e as NodeJS.ErrnoException).code === 'EISDIR')
      throw new CamtrackError('bad-input', `The ${what} ${file} is a folder, not a file.`, { cause: e });
    if (info.code === 'internal') throw e;
    throw new CamtrackError(info.code, info.message, { cause: e });
  }
}

/** A photo file as a project asset: bytes stored as they are, kind from the bytes, upright size decoded. */
export async function imageAssetFromFile(imagePath: string): Promise<{ asset: NewAsset; image: SourceImage }> {
  const imageBytes = await readInput(imagePath, 'image');
  const imageExt = IMAGE_EXTENSION[sniffFormat(imageBytes)];
  // decodeImage refuses anything that is not a readable PNG, JPEG or WebP, with a message.
  const decoded = await decodeImage(imageBytes, { name: imagePath });
  if (!imageExt) throw new CamtrackError('bad-file', `${imagePath} is not a PNG, JPEG or WebP image.`);
  const imageSha = sha256Hex(imageBytes);
  const asset: NewAsset = { name: assetFileName('image', imageSha, imageExt), bytes: imageBytes };
  return {
    asset,
    image: {
      asset: { file: asset.name, sha256: imageSha },
      originalName: path.basename(imagePath),
      width: decoded.image.width,
      height: decoded.image.height,
      intrinsics: defaultPhotoCamera(decoded.image.width, decoded.image.height),
    },
  };
}

/**
 * A depth file as a project asset (npy, PFM, 16-bit PNG or TIFF, told by its bytes) with its
 * mapping: `mapping`, else the default for its kind of values (depth/defaults.ts, `producer` 'model'
 * for a depth model's output). `raw` is what it holds, `report` what the mapping makes of it.
 */
export async function depthAssetFromFile(
  depthPath: string,
  mapping: Partial<DepthMapping> = {},
  producer: DepthProducer = 'file',
): Promise<{ asset: NewAsset; ref: AssetRef; depth: Depth; raw: RawDepth; report: DepthReport }> {
  const depthBytes = await readInput(depthPath, 'depth file');
  const format = sniffFormat(depthBytes);
  const ext = DEPTH_EXTENSION[format];
  if (!ext) {
    throw new CamtrackError(
      'bad-file',
      `${depthPath} is ${format === 'unknown' ? 'not a depth file this studio knows' : `a ${format.toUpperCase()} file`}. Use .npy, PFM, 16-bit PNG or TIFF depth.`,
    );
  }
  // Decoded now, so a project is never made around a depth file that will not load.
  const raw = await decodeDepth(depthBytes, path.basename(depthPath));
  const used = resolveDepthMapping(raw, mapping, producer);
  const { report } = applyDepthMapping(raw, used);
  const sha = sha256Hex(depthBytes);
  const asset: NewAsset = { name: assetFileName('depth', sha, ext), bytes: depthBytes };
  const ref = { file: asset.name, sha256: sha };
  return {
    asset,
    ref,
    raw,
    report,
    depth: { source: { type: 'file', asset: ref, originalName: path.basename(depthPath) }, mapping: used },
  };
}

/** The project written, and what the depth file's mapping made of it (null without a depth file). */
export async function writeProjectFromFiles(
  dir: string,
  opts: ProjectFromFilesOptions,
): Promise<SavedProject & { depthReport: DepthReport | null }> {
  const photo = await imageAssetFromFile(opts.imagePath);
  const assets: NewAsset[] = [photo.asset];

  let depth: Depth | null = opts.shape ? shapeDepth(opts.shape) : null;
  let depthReport: DepthReport | null = null;
  if (opts.depthPath) {
    const d = await depthAssetFromFile(opts.depthPath, opts.mapping, opts.depthModel ? 'model' : 'file');
    depthReport = d.report;
    assets.push(d.asset);
    depth = opts.depthModel
      ? { ...d.depth, source: { type: 'model' as const, asset: d.ref, model: opts.depthModel } }
      : d.depth;
  }

  const numFrames = opts.track?.numFrames ?? opts.numFrames;
  const doc = createProject(opts.name ?? projectNameFromDir(dir), {
    ...(numFrames !== undefined && { numFrames }),
    ...(opts.fps !== undefined && { fps: opts.fps }),
    ...(opts.fovY !== undefined && { fovY: opts.fovY }),
    ...(opts.render && { render: opts.render }),
    ...(opts.now && { now: opts.now }),
    image: photo.image,
    depth,
  });
  if (opts.track) doc.track = opts.track;
  if (opts.lambda) doc.lambda = opts.lambda;
  const saved = await saveProject(dir, doc, assets, opts.now ? { now: () => opts.now as Date } : {});
  return { ...saved, depthReport };
}
