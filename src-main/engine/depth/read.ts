import { readRegularFile } from '../util/readBytes';
import path from 'node:path';
import sharp, { type Metadata, type OutputInfo } from 'sharp';
import { sniffFormat } from '../image/sniff';
import { checkDepthPixels, MAX_DEPTH_PIXELS } from './limits';
import { readNpy } from '../npy/npy';
import { CamtrackError } from '../util/errors';
import { parsePfm } from './pfm';
import type { RawDepth } from './types';

/**
 * Depth files (edge module): .npy (float16/32/64), PNG and TIFF (16-bit greyscale; 8-bit is read
 * too and said so in `origin`; TIFF also 32/64-bit float greyscale) and PFM, recognised from
 * their bytes. PNG and TIFF are capped at 100 MP from their header, before they are decoded. Values come back as stored; the
 * DepthMapping turns them into z-depth.
 */
export async function readDepthFile(file: string): Promise<RawDepth> {
  let bytes: Uint8Array;
  try {
    bytes = await readRegularFile(file);
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
  if (format === 'png') return rasterDepth(bytes, name, 'PNG');
  if (format === 'tiff') return rasterDepth(bytes, name, 'TIFF');
  throw new CamtrackError(
    'bad-file',
    `${name} is not a depth file this studio reads (${format === 'unknown' ? 'unrecognised content' : format.toUpperCase()}). Use .npy (float), 16-bit greyscale PNG or TIFF, float TIFF or PFM.`,
  );
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
    throw new CamtrackError(
      'bad-file',
      `${name} has shape (${shown}); a depth map is 2-D (height, width), optionally with leading or trailing axes of size 1.`,
    );
  }
  checkDepthPixels(name, dims[1], dims[0]);
  return { height: dims[0], width: dims[1], values: arr.data, origin: `npy ${arr.dtype}`, encoding: 'float' };
}

async function rasterDepth(bytes: Uint8Array, name: string, kind: 'PNG' | 'TIFF'): Promise<RawDepth> {
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const undecodable = (e: unknown) =>
    new CamtrackError(
      'bad-file',
      `${name} looks like ${kind} but cannot be decoded (${e instanceof Error ? e.message.split('\n')[0] : String(e)}).`,
      { cause: e },
    );
  let raw: { data: Buffer; info: OutputInfo };
  let meta: Metadata;
  try {
    // The header only: the size is checked before any pixel is decoded.
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch (e) {
    throw undecodable(e);
  }
  checkDepthPixels(name, meta.width ?? 0, meta.height ?? 0);
  const grey = (meta.channels ?? 1) - (meta.hasAlpha ? 1 : 0) === 1;
  const colour = () =>
    new CamtrackError(
      'bad-file',
      `${name} is a colour image (a depth visualisation?); a depth ${kind} is greyscale, ideally 16-bit${kind === 'TIFF' ? ' or float' : ''}.`,
    );
  const isFloat = meta.depth === 'float' || meta.depth === 'double';
  if (isFloat) {
    if (!grey) throw colour();
    try {
      raw = await sharp(input, { failOn: 'error', limitInputPixels: MAX_DEPTH_PIXELS })
        .removeAlpha()
        .toColourspace('b-w')
        .raw({ depth: 'float' })
        .toBuffer({ resolveWithObject: true });
    } catch (e) {
      throw undecodable(e);
    }
    const { width, height } = raw.info;
    // A copy: the decoded buffer may sit at an offset that is not a multiple of 4.
    const values = new Float32Array(width * height);
    new Uint8Array(values.buffer).set(raw.data.subarray(0, width * height * 4));
    return { width, height, values, origin: `${kind.toLowerCase()} float`, encoding: 'float' };
  }
  const sixteen = meta.depth === 'ushort';
  if (meta.depth !== undefined && meta.depth !== 'uchar' && !sixteen) {
    throw new CamtrackError(
      'bad-file',
      `${name} holds ${meta.depth} samples; a depth ${kind} holds 8-bit, 16-bit${kind === 'TIFF' ? ' or float' : ''} greyscale.`,
    );
  }
  try {
    // Without an explicit colour space sharp hands back 8-bit sRGB even from 16-bit greyscale.
    const space = grey ? (sixteen ? 'grey16' : 'b-w') : sixteen ? 'rgb16' : 'srgb';
    raw = await sharp(input, { failOn: 'error', limitInputPixels: MAX_DEPTH_PIXELS })
      .removeAlpha()
      .toColourspace(space)
      .raw(sixteen ? { depth: 'ushort' } : {})
      .toBuffer({ resolveWithObject: true });
  } catch (e) {
    throw undecodable(e);
  }
  const { width, height, channels } = raw.info;
  const src = sixteen ? new Uint16Array(raw.data.buffer, raw.data.byteOffset, raw.data.byteLength / 2) : raw.data;
  const isColour = channels >= 3;
  const values = new Float32Array(width * height);
  for (let p = 0; p < width * height; p++) {
    const i = p * channels;
    if (isColour && (src[i] !== src[i + 1] || src[i] !== src[i + 2])) throw colour();
    values[p] = src[i];
  }
  return {
    width,
    height,
    values,
    origin: `${kind.toLowerCase()} ${sixteen ? '16-bit' : '8-bit'}`,
    encoding: sixteen ? 'uint16' : 'uint8',
  };
}
