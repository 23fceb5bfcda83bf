import sharp, { type Metadata, type OutputInfo } from 'sharp';
import { CamtrackError } from '../util/errors';
import { sniffFormat } from './sniff';
import type { RgbImage } from './types';
import { LIMITS } from '../util/limits';
import { readRegularFile } from '../util/readBytes';

/**
 * Photo loading (edge module: sharp and the file system). PNG, JPEG and WebP, 8 or 16 bits per
 * channel, recognised by their bytes. EXIF orientation is applied, so width/height are those of
 * the upright photo. The photo is RGB: an alpha channel is composited over black and reported
 * (`hadAlpha`), greyscale is expanded to RGB.
 */
export interface LoadedImage {
  image: RgbImage;
  format: 'png' | 'jpeg' | 'webp';
  bitDepth: 8 | 16;
  hadAlpha: boolean;
  /** EXIF orientation tag of the file (1 = upright), already applied to `image`. */
  exifOrientation: number;
}

/** Decompression-bomb guard: images above this many pixels are refused (about 16k x 6k). */
export const DEFAULT_MAX_PIXELS = LIMITS.imagePixels;

export interface LoadImageOptions {
  maxPixels?: number;
  /** Shown in messages instead of "the image". */
  name?: string;
}

export async function loadImageFile(path: string, options: LoadImageOptions = {}): Promise<LoadedImage> {
  let bytes: Uint8Array;
  try {
    bytes = await readRegularFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CamtrackError('not-found', `Image not found: ${path}`, { cause: e });
    if (code === 'EISDIR')
      throw new CamtrackError('bad-input', `${path} is a folder, not an image file.`, { cause: e });
    throw e;
  }
  return decodeImage(bytes, { ...options, name: options.name ?? path });
}

/** What a photo's header says, checked before any pixel is decoded: its format, size (as stored) and metadata. */
export interface PhotoHeader {
  format: LoadedImage['format'];
  meta: Metadata;
  width: number;
  height: number;
  /** The size once EXIF orientation is applied (5 to 8 turn it a quarter). */
  upright: { width: number; height: number };
}

/** Reads and checks a photo's header: a PNG, JPEG or WebP of a readable size within `maxPixels`. */
export async function readPhotoHeader(bytes: Uint8Array, options: LoadImageOptions = {}): Promise<PhotoHeader> {
  const name = options.name ?? 'the image';
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (bytes.length === 0) throw new CamtrackError('bad-file', `${name} is empty (0 bytes).`);
  const format = sniffFormat(bytes);
  if (format !== 'png' && format !== 'jpeg' && format !== 'webp') {
    const what = format === 'unknown' ? 'not an image this studio can read' : `a ${format.toUpperCase()} file`;
    throw new CamtrackError('bad-file', `${name} is ${what}. Use a PNG, JPEG or WebP photo.`);
  }
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let meta: Metadata;
  try {
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch (e) {
    throw corrupt(name, format, e);
  }
  const w = meta.width ?? 0;
  const h = meta.height ?? 0;
  if (!(w > 0 && h > 0)) throw new CamtrackError('bad-file', `${name} has no readable size; the file is damaged.`);
  if (w * h > maxPixels) {
    throw new CamtrackError(
      'bad-input',
      `${name} is ${w}x${h} (${((w * h) / 1e6).toFixed(1)} megapixels), above the limit of ${(maxPixels / 1e6).toFixed(1)} megapixels. Downscale it first.`,
    );
  }
  const turned = (meta.orientation ?? 1) >= 5;
  return { format, meta, width: w, height: h, upright: turned ? { width: h, height: w } : { width: w, height: h } };
}

export async function decodeImage(bytes: Uint8Array, options: LoadImageOptions = {}): Promise<LoadedImage> {
  const name = options.name ?? 'the image';
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const { format, meta } = await readPhotoHeader(bytes, options);
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sixteen = meta.depth === 'ushort';
  const hadAlpha = meta.hasAlpha === true;
  let raw: { data: Buffer; info: OutputInfo };
  try {
    let pipe = sharp(input, { limitInputPixels: maxPixels, failOn: 'error' }).autoOrient();
    if (hadAlpha) pipe = pipe.flatten({ background: { r: 0, g: 0, b: 0 } });
    pipe = pipe.toColourspace(sixteen ? 'rgb16' : 'srgb');
    raw = await pipe.raw(sixteen ? { depth: 'ushort' } : {}).toBuffer({ resolveWithObject: true });
  } catch (e) {
    throw corrupt(name, format, e);
  }
  const { width, height, channels } = raw.info;
  const n = width * height;
  const src = sixteen
    ? new Uint16Array(raw.data.buffer, raw.data.byteOffset, raw.data.byteLength / 2)
    : new Uint8Array(raw.data.buffer, raw.data.byteOffset, raw.data.byteLength);
  if (src.length < n * channels)
    throw new CamtrackError('bad-file', `${name} decoded to fewer pixels than its size says; the file is damaged.`);
  const inv = 1 / (sixteen ? 65535 : 255);
  const data = new Float32Array(n * 3);
  for (let p = 0; p < n; p++) {
    const i = p * channels;
    if (channels >= 3) {
      data[p * 3] = src[i] * inv;
      data[p * 3 + 1] = src[i + 1] * inv;
      data[p * 3 + 2] = src[i + 2] * inv;
    } else {
      const g = src[i] * inv;
      data[p * 3] = g;
      data[p * 3 + 1] = g;
      data[p * 3 + 2] = g;
    }
  }
  return {
    image: { width, height, data },
    format,
    bitDepth: sixteen ? 16 : 8,
    hadAlpha,
    exifOrientation: meta.orientation ?? 1,
  };
}

function corrupt(name: string, format: string, e: unknown): CamtrackError {
  const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
  return new CamtrackError(
    'bad-file',
    `${name} looks like ${format.toUpperCase()} but cannot be decoded (${why}); the file is damaged or truncated.`,
    { cause: e },
  );
}
