import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import type { RgbImage } from '../engine/image/types';

/**
 * A test photo the project makes itself (no downloaded picture in the repository): a colourful
 * procedural street-like scene, written as a JPEG with EXIF data (camera make/model, orientation)
 * the way a phone or camera writes it.
 */
export async function makeTestPhoto(
  opts: {
    width?: number;
    height?: number;
    orientation?: number;
    /** Pixel noise of this amplitude (0..255): the grain of a real photo, which makes its JPEG as large as a camera's. */
    grain?: number;
  } = {},
): Promise<Buffer> {
  const width = opts.width ?? 1920;
  const height = opts.height ?? 1080;
  const grain = opts.grain ?? 0;
  let seed = 12345;
  const px = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    const v = y / height;
    for (let x = 0; x < width; x++) {
      const u = x / width;
      const i = (y * width + x) * 3;
      // Sky gradient above the horizon, a checkered "road" below it, coloured "buildings" between.
      if (v < 0.4) {
        px[i] = 90 + 80 * v;
        px[i + 1] = 140 + 100 * v;
        px[i + 2] = 230 - 40 * u;
      } else if (v < 0.7) {
        const block = Math.floor(u * 12);
        px[i] = (block * 67) % 256;
        px[i + 1] = (block * 151 + Math.floor(v * 40) * 9) % 256;
        px[i + 2] = (block * 29 + 80) % 256;
      } else {
        const check = (Math.floor(u * 24) + Math.floor(v * 16)) % 2;
        px[i] = check ? 60 + 120 * u : 200 - 80 * v;
        px[i + 1] = check ? 60 : 180 * u;
        px[i + 2] = check ? 40 + 100 * v : 90;
      }
      if (grain) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        const n = ((seed >>> 16) / 65535 - 0.5) * grain;
        for (let c = 0; c < 3; c++) px[i + c] = Math.min(255, Math.max(0, px[i + c] + n));
      }
    }
  }
  return sharp(px, { raw: { width, height, channels: 3 } })
    .withExif({ IFD0: { Make: 'Camtrack', Model: 'Test Photo', Software: 'camtrack tests' } })
    .withMetadata({ orientation: opts.orientation ?? 1 })
    .jpeg({ quality: 88 })
    .toBuffer();
}

/** A smooth float RGB test image (sines across x and y, a different phase per channel), shifted `shift` pixels along x. */
export function sineImage(width: number, height: number, shift = 0): RgbImage {
  const data = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < 3; c++)
        data[(y * width + x) * 3 + c] = 0.5 + 0.4 * Math.sin(0.13 * (x + shift) + 0.07 * y * (c + 1) + c);
  return { width, height, data };
}

/**
 * A PNG whose header says `width` x `height` (RGB, 8-bit) but that holds a single row: a file for
 * size limits, refused from its header before anything is decoded, without making the pixels.
 */
export function pngHeaderOnly(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    return Buffer.concat([len, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(width * 3 + 1))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
