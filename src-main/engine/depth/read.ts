import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp, { type Metadata, type OutputInfo } from 'sharp';
import { sniffFormat } from '../image/sniff';
import { checkDepthPixels, MAX_DEPTH_PIXELS } from './limits';
import { readNpy } from '../npy/npy';
import { CamtrackError } from '../util/errors';
import { parsePfm } from './pfm';
import type { RawDepth } from './types';

/**
 * Depth files (edge module): .npy (float16/32/64), PNG (16-bit greyscale; 8-bit is read too and
 * said so in `origin`) and PFM, recognised from their bytes. Values come back as stored; the
 * DepthMapping turns them into z-depth.
 */
export async function readDepthFile(file: string): Promise<RawDepth> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CamtrackError('not-found', `Depth file not found: ${file}`, { cause: e });
    if (code === 'EISDIR') throw new CamtrackError('bad-input', `${file} is a folder, not a depth file.`, { cause: e });
    throw e;
  }
  return decodeDepth(bytes, path.basename(file));
}

export async function decodeDepth(bytes: Uint8Array, name = 'the depth file'): Promise<RawDepth> {
  if (bytes.length === 0) throw new CamtrackError('bad-file', `${name} is empty (0 bytes).`);
  const format = sniffFormat(bytes);
  if (format === 'npy') return npyDepth(bytes, name);
  if (format === 'pfm') return parsePfm(bytes, name);
  if (format === 'png') return pngDepth(bytes, name);
  throw new CamtrackError('bad-file', `${name} is not a depth file this studio reads (${format === 'unknown' ? 'unrecognised content' : format.toUpperCase()}). Use .npy (float), 16-bit greyscale PNG or PFM.`);
}

function npyDepth(bytes: Uint8Array, name: string): RawDepth {
  const arr = readNpy(bytes, name);
  // (H, W), (1, H, W), (1, 1, H, W), (H, W, 1): drop axes of size 1 at either end.
  // One pass from each end (linear in the number of axes), then one slice.
  const s = arr.shape;
  let lo = 0;
  let hi = s.length;
  while (hi - lo > 2 && s[lo] === 1) lo++;
  while (hi - lo > 2 && s[hi - 1] === 1) hi--;
  const dims = s.slice(lo, hi);
  const shown = s.length > 8 ? `${s.slice(0, 8).join(', ')}, ... ${s.length} axes` : s.join(', ');
  if (dims.length !== 2 || dims[0] < 1 || dims[1] < 1) {
    throw new CamtrackError('bad-file', `${name} has shape (${shown}); a depth map is 2-D (height, width), optionally with leading or trailing axes of size 1.`);
  }
  checkDepthPixels(name, dims[1], dims[0]);
  return { height: dims[0], width: dims[1], values: arr.data, origin: `npy ${arr.dtype}` };
}

async function pngDepth(bytes: Uint8Array, name: string): Promise<RawDepth> {
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let raw: { data: Buffer; info: OutputInfo };
  let sixteen: boolean;
  let meta: Metadata;
  try {
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch (e) {
    throw new CamtrackError('bad-file', `${name} looks like PNG but cannot be decoded (${e instanceof Error ? e.message.split('\n')[0] : String(e)}).`, { cause: e });
  }
  checkDepthPixels(name, meta.width ?? 0, meta.height ?? 0);
  try {
    sixteen = meta.depth === 'ushort';
    const grey = (meta.channels ?? 1) - (meta.hasAlpha ? 1 : 0) === 1;
    // Without an explicit colour space sharp hands back 8-bit sRGB even from 16-bit greyscale.
    const space = grey ? (sixteen ? 'grey16' : 'b-w') : sixteen ? 'rgb16' : 'srgb';
    raw = await sharp(input, { failOn: 'error', limitInputPixels: MAX_DEPTH_PIXELS }).removeAlpha().toColourspace(space).raw(sixteen ? { depth: 'ushort' } : {}).toBuffer({ resolveWithObject: true });
  } catch (e) {
    throw new CamtrackError('bad-file', `${name} looks like PNG but cannot be decoded (${e instanceof Error ? e.message.split('\n')[0] : String(e)}).`, { cause: e });
  }
  const { width, height, channels } = raw.info;
  const src = sixteen ? new Uint16Array(raw.data.buffer, raw.data.byteOffset, raw.data.byteLength / 2) : raw.data;
  const colour = channels >= 3;
  const values = new Float32Array(width * height);
  for (let p = 0; p < width * height; p++) {
    const i = p * channels;
    if (colour && (src[i] !== src[i + 1] || src[i] !== src[i + 2])) {
      throw new CamtrackError('bad-file', `${name} is a colour image (a depth visualisation?); a depth PNG is greyscale, ideally 16-bit.`);
    }
    values[p] = src[i];
  }
  return { width, height, values, origin: sixteen ? 'png 16-bit' : 'png 8-bit' };
}
