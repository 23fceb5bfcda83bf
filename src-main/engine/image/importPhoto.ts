import sharp from 'sharp';
import { CamtrackError } from '../util/errors';
import { DEFAULT_MAX_PIXELS, readPhotoHeader } from './load';

/**
 * A photo as the studio imports it (edge module: sharp). The file's bytes are kept as they are (a
 * JPEG stays a JPEG, its EXIF orientation applied whenever it is decoded), and a downscaled upright
 * working copy is made for the 3D view and the look-through preview when the photo is large or
 * turned by its EXIF orientation (a browser texture would not turn it). Only the header is read
 * before the size check; the one full decode is the working copy's (JPEG shrink-on-load makes it
 * cheap), which also proves the file decodes as the render will decode it.
 */

/** Long side of the working copy: more than the 3D view or the look-through inset shows, a few hundred KB as JPEG. */
export const WORKING_COPY_SIDE = 2048;
const WORKING_QUALITY = 85;

export type PhotoImportStage = 'header' | 'decode' | 'done';

export interface PreparedPhoto {
  format: 'png' | 'jpeg' | 'webp';
  /** The file extension the original is stored under. */
  ext: 'png' | 'jpg' | 'webp';
  /** Upright size (EXIF orientation applied). */
  width: number;
  height: number;
  exifOrientation: number;
  /** The upright JPEG copy, or null when the photo is shown as it is (small and upright). */
  working: { bytes: Uint8Array; width: number; height: number } | null;
  notes: string[];
}

export async function preparePhoto(
  bytes: Uint8Array,
  opts: {
    name?: string;
    maxPixels?: number;
    signal?: AbortSignal;
    onProgress?: (stage: PhotoImportStage, fraction: number) => void;
  } = {},
): Promise<PreparedPhoto> {
  const name = opts.name ?? 'the photo';
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  const check = () => {
    if (opts.signal?.aborted) throw new CamtrackError('cancelled', `The import of ${name} was cancelled.`);
  };
  const header = await readPhotoHeader(bytes, { name, maxPixels });
  opts.onProgress?.('header', 0.2);
  check();
  const { meta, upright } = header;
  const orientation = meta.orientation ?? 1;
  const large = Math.max(upright.width, upright.height) > WORKING_COPY_SIDE;
  const needsCopy = large || orientation !== 1;
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let working: PreparedPhoto['working'] = null;
  try {
    // failOn 'error' as decodeImage: what imports is what renders.
    let pipe = sharp(input, { limitInputPixels: maxPixels, failOn: 'error' }).autoOrient();
    if (needsCopy) {
      if (meta.hasAlpha) pipe = pipe.flatten({ background: { r: 0, g: 0, b: 0 } });
      const out = await pipe
        .resize({ width: WORKING_COPY_SIDE, height: WORKING_COPY_SIDE, fit: 'inside', withoutEnlargement: true })
        .toColourspace('srgb')
        .jpeg({ quality: WORKING_QUALITY })
        .toBuffer({ resolveWithObject: true });
      working = {
        bytes: new Uint8Array(out.data.buffer, out.data.byteOffset, out.data.byteLength),
        width: out.info.width,
        height: out.info.height,
      };
    } else {
      // Small and upright: decoded once at a small size only to prove it decodes.
      await pipe.resize({ width: 64, height: 64, fit: 'inside' }).raw().toBuffer();
    }
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new CamtrackError(
      'bad-file',
      `${name} looks like ${header.format.toUpperCase()} but cannot be decoded (${why}); the file is damaged or truncated.`,
      { cause: e },
    );
  }
  opts.onProgress?.('decode', 0.9);
  check();
  const notes: string[] = [];
  if (orientation !== 1) notes.push(`EXIF orientation ${orientation} applied`);
  if (meta.hasAlpha) notes.push('transparency flattened onto black');
  if (meta.depth === 'ushort') notes.push('16-bit image');
  if (large)
    notes.push(
      `kept as the original ${header.format.toUpperCase()}; the 3D view shows a ${working!.width}x${working!.height} copy, renders read the original`,
    );
  return {
    format: header.format,
    ext: header.format === 'jpeg' ? 'jpg' : header.format,
    width: upright.width,
    height: upright.height,
    exifOrientation: orientation,
    working,
    notes,
  };
}
