import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { rigidPoseProblem } from '../camera/pose';
import { readDepthFile } from '../depth/read';
import { CamtrackError } from '../util/errors';
import { checkRegularFile, readRegularText } from '../util/readBytes';
import { mvsnetFrameCamera, parseMvsnetCamera } from './mvsnet';
import type { TransformsView } from './transforms';

/**
 * The MVSNet / DTU folder layout as source views (the second importer beside transforms.json):
 *
 *     DIR/cams/00000023_cam.txt    world-to-camera extrinsic (OpenCV axes), K, depth_min depth_interval
 *     DIR/images/00000023.jpg      the photo (.jpg, .png or .webp)
 *     DIR/depths/00000023.pfm      its z-depth in the extrinsic's units (.pfm or .npy; MVSNet's
 *                                  own output name 00000023_init.pfm too); 0 = no depth
 *
 * K is for the image as stored in images/ (MVSNet's test layout). The depth map may be smaller
 * but must cover the same view (the same aspect). Views are numbered by their file names; the
 * first one asked for becomes the project's photo. The result is the model transforms.json
 * gives: camera-to-world in GL axes, so both importers feed the same project code.
 */
export interface MvsnetFolderOptions {
  /** View numbers, in order (the first is the photo). Default: every view in cams/. */
  views?: readonly number[];
  /** Called with the number of views before any is read (a refusal by count costs no decoding). */
  checkCount?: (count: number) => void;
}

const CAM = /^(\d+)_cam\.txt$/i;
const IMAGE = /^(\d+)\.(jpe?g|png|webp)$/i;
const DEPTH = /^(\d+)(_init)?\.(pfm|npy)$/i;
/** Poses written with 6 decimals pass; a scaled or sheared matrix does not. */
const RIGID_TOLERANCE = 1e-3;
/** Depth and photo aspects may differ by rounding only. */
const ASPECT_TOLERANCE = 0.01;
const LAYOUT = 'an MVSNet folder holds cams/NNNNNNNN_cam.txt, images/NNNNNNNN.jpg and depths/NNNNNNNN.pfm (or .npy)';

export async function readMvsnetFolder(dir: string, opts: MvsnetFolderOptions = {}): Promise<TransformsView[]> {
  const cams = await numbered(dir, 'cams', CAM, true);
  if (cams.size === 0) throw new CamtrackError('bad-file', `${path.join(dir, 'cams')} has no camera files: ${LAYOUT}.`);
  const images = await numbered(dir, 'images', IMAGE, true);
  const depths = await numbered(dir, 'depths', DEPTH, false);
  const all = [...cams.keys()].sort((a, b) => a - b);
  const ids = opts.views ?? all;
  if (ids.length === 0) throw new CamtrackError('bad-input', 'Choose at least one view.');
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup !== undefined) throw new CamtrackError('bad-input', `View ${dup} is listed twice.`);
  opts.checkCount?.(ids.length);

  const views: TransformsView[] = [];
  for (const id of ids) {
    const camFile = cams.get(id);
    if (!camFile)
      throw new CamtrackError(
        'not-found',
        `View ${id} is not in ${path.join(dir, 'cams')}: it holds views ${describeIds(all)}.`,
      );
    const imageFile = images.get(id);
    if (!imageFile)
      throw new CamtrackError(
        'not-found',
        `View ${id} has a camera (${rel(dir, camFile)}) but no photo in ${path.join(dir, 'images')} (expected ${pad(id)}.jpg, .png or .webp).`,
      );
    const depthFile = depths.get(id);
    if (!depthFile)
      throw new CamtrackError(
        'not-found',
        `View ${id} has no depth map in ${path.join(dir, 'depths')} (expected ${pad(id)}.pfm or .npy): every view of a sparse-view project needs its depth.`,
      );

    const text = await readRegularText(camFile);
    const cam = parseMvsnetCamera(text, rel(dir, camFile));
    const problem = rigidPoseProblem(cam.w2c, RIGID_TOLERANCE);
    if (problem)
      throw new CamtrackError(
        'bad-file',
        `${rel(dir, camFile)}: the extrinsic is not a rigid camera pose: ${problem}.`,
      );

    const { width, height } = await imageSize(imageFile, rel(dir, imageFile));
    const depth = await readDepthFile(depthFile);
    if (Math.abs(depth.width / depth.height / (width / height) - 1) > ASPECT_TOLERANCE) {
      throw new CamtrackError(
        'shape-mismatch',
        `View ${id}: the depth map ${rel(dir, depthFile)} is ${depth.width}x${depth.height} and the photo ${rel(dir, imageFile)} ${width}x${height}: they must show the same view (the same aspect). Crop or scale the photo to the depth map's view and write K for it.`,
      );
    }
    // K written for another grid (MVSNet's training layout writes it for the 160x128 depth map) puts the principal point far off the photo's centre.
    const cx = cam.K[2],
      cy = cam.K[5];
    if (Math.abs(cx / width - 0.5) > 0.25 || Math.abs(cy / height - 0.5) > 0.25) {
      throw new CamtrackError(
        'bad-file',
        `${rel(dir, camFile)}: the principal point (${cx}, ${cy}) is far from the centre of the ${width}x${height} photo: K must be written for the image in images/ (is it for another size?).`,
      );
    }
    const camera = mvsnetFrameCamera(cam, width, height);
    views.push({
      name: path.basename(imageFile),
      imagePath: imageFile,
      depthPath: depthFile,
      mapping: { kind: 'depth', scale: 1, near: 1e-4, far: 1e6 },
      width,
      height,
      intrinsics: { fx: camera.intrinsics.fx, fy: camera.intrinsics.fy, cx, cy },
      c2w: [...camera.c2w],
    });
  }
  return views;
}

/** `--views 23,26` as numbers, with a message for anything else. */
export function parseViewList(text: string): number[] {
  const parts = text.split(',').map((s) => s.trim());
  if (parts.some((p) => !/^\d+$/.test(p)))
    throw new CamtrackError('bad-input', `Views are view numbers separated by commas, e.g. 23,26 (got "${text}").`);
  return parts.map(Number);
}

/** Files of a subfolder keyed by the number in their name. */
async function numbered(dir: string, sub: string, pattern: RegExp, required: boolean): Promise<Map<number, string>> {
  const folder = path.join(dir, sub);
  let names: string[];
  try {
    names = await fs.readdir(folder);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      if (!required) return new Map();
      throw new CamtrackError('not-found', `${dir} is not an MVSNet folder: it has no ${sub}/ folder (${LAYOUT}).`, {
        cause: e,
      });
    }
    throw e;
  }
  const out = new Map<number, string>();
  for (const n of names.sort()) {
    const m = pattern.exec(n);
    // The first spelling wins (00000001.pfm before 00000001_init.pfm).
    if (m && !out.has(Number(m[1]))) out.set(Number(m[1]), path.join(folder, n));
  }
  return out;
}

async function imageSize(file: string, name: string): Promise<{ width: number; height: number }> {
  await checkRegularFile(file);
  const meta = await sharp(file)
    .metadata()
    .catch((e: Error) => {
      throw new CamtrackError('bad-file', `${name} is not a readable image (${e.message}).`, { cause: e });
    });
  if (!meta.width || !meta.height) throw new CamtrackError('bad-file', `${name} has no image size.`);
  // EXIF orientations 5 to 8 turn the picture a quarter: its upright size is swapped.
  return (meta.orientation ?? 1) >= 5
    ? { width: meta.height, height: meta.width }
    : { width: meta.width, height: meta.height };
}

const pad = (id: number) => String(id).padStart(8, '0');
const rel = (dir: string, file: string) => path.relative(dir, file) || file;

function describeIds(ids: number[]): string {
  if (ids.length <= 12) return ids.join(', ');
  return `${ids.slice(0, 10).join(', ')} … ${ids[ids.length - 1]} (${ids.length} views)`;
}
