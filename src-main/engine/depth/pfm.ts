import { CamtrackError } from '../util/errors';
import type { RawDepth } from './types';
import { checkDepthPixels } from './limits';

/**
 * PFM (portable float map): "Pf" greyscale or "PF" colour (the first channel is taken), then
 * width and height, then a scale whose sign gives the byte order (negative = little-endian),
 * then float32 rows stored bottom to top. Returned with rows top to bottom.
 */
export function parsePfm(bytes: Uint8Array, name = 'the PFM file'): RawDepth {
  const bad = (what: string) => new CamtrackError('bad-file', `${name} is not a readable PFM file: ${what}.`);
  let pos = 0;
  const token = (): string => {
    while (pos < bytes.length && isSpace(bytes[pos])) pos++;
    const start = pos;
    while (pos < bytes.length && !isSpace(bytes[pos]) && pos - start < 32) pos++;
    return String.fromCharCode(...bytes.subarray(start, pos));
  };
  const kind = token();
  if (kind !== 'Pf' && kind !== 'PF') throw bad(`it starts with "${kind.slice(0, 8)}", not "Pf" or "PF"`);
  const width = Number(token());
  const height = Number(token());
  const scaleText = token();
  const scale = Number(scaleText);
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0)
    throw bad('its size is not two positive integers');
  if (!Number.isFinite(scale) || scale === 0) throw bad(`its scale "${scaleText}" is not a non-zero number`);
  pos++; // exactly one whitespace byte ends the header
  const channels = kind === 'PF' ? 3 : 1;
  checkDepthPixels(name, width, height);
  const need = width * height * channels * 4;
  if (bytes.length - pos < need)
    throw bad(`it holds ${bytes.length - pos} bytes of pixels, ${need} are needed for ${width}x${height}x${channels}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset + pos, need);
  const little = scale < 0;
  const values = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const srcRow = (height - 1 - y) * width; // bottom to top in the file
    for (let x = 0; x < width; x++) values[y * width + x] = view.getFloat32((srcRow + x) * channels * 4, little);
  }
  return { width, height, values, origin: kind === 'PF' ? 'pfm (colour, first channel)' : 'pfm', encoding: 'float' };
}

/** Writes a greyscale little-endian PFM (for tests and tools). Rows are given top to bottom. */
export function writePfm(width: number, height: number, values: Float32Array): Uint8Array {
  const header = new TextEncoder().encode(`Pf\n${width} ${height}\n-1.0\n`);
  const out = new Uint8Array(header.length + width * height * 4);
  out.set(header);
  const view = new DataView(out.buffer, header.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) view.setFloat32(((height - 1 - y) * width + x) * 4, values[y * width + x], true);
  }
  return out;
}

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}
