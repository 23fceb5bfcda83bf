import path from 'node:path';
import sharp from 'sharp';
import { writeFileAtomic } from '../util/atomic';
import { CamtrackError } from '../util/errors';

/** A small still of a render for the history list: JPEG or PNG by the target's extension. */
export interface ThumbnailOptions {
  /** One RGB24 frame, width * height * 3 bytes. */
  rgb: Uint8Array;
  width: number;
  height: number;
  /** .jpg / .jpeg / .png */
  out: string;
  /** Longest side in pixels (default 256); never enlarged. */
  maxSize?: number;
}

export interface ThumbnailResult {
  out: string;
  width: number;
  height: number;
}

/** Conventional thumbnail path for a render output: `clip.mp4` -> `clip.mp4.thumb.jpg`. */
export function thumbnailPathFor(output: string): string {
  return `${output.replace(/[\\/]+$/, '')}.thumb.jpg`;
}

export async function writeThumbnail(opts: ThumbnailOptions): Promise<ThumbnailResult> {
  const { rgb, width, height, out } = opts;
  const maxSize = opts.maxSize ?? 256;
  if (rgb.byteLength !== width * height * 3)
    throw new CamtrackError(
      'bad-input',
      `The thumbnail frame has ${rgb.byteLength} bytes; a ${width}x${height} RGB frame has ${width * height * 3}.`,
    );
  const ext = path.extname(out).toLowerCase();
  if (!['.jpg', '.jpeg', '.png'].includes(ext))
    throw new CamtrackError('bad-input', `A thumbnail is a .jpg or .png file (got ${out}).`);
  const img = sharp(Buffer.from(rgb.buffer, rgb.byteOffset, rgb.byteLength), {
    raw: { width, height, channels: 3 },
  }).resize({ width: maxSize, height: maxSize, fit: 'inside', withoutEnlargement: true });
  const { data, info } = await (ext === '.png' ? img.png() : img.jpeg({ quality: 82 })).toBuffer({
    resolveWithObject: true,
  });
  await writeFileAtomic(out, data);
  return { out, width: info.width, height: info.height };
}
