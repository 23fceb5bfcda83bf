import { tempDir } from '../../test/tmp';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/fixtures';
import { computeFit, placeIntrinsics } from './fit';
import { decodeImage, loadImageFile } from './load';
import { encodeMaskPng, encodePng } from './encode';
import { resampleImage } from './resample';
import { sniffFormat } from './sniff';
import type { RgbImage } from './types';

const rawRgb = (w: number, h: number, bytes: number[], channels = 3) =>
  sharp(Buffer.from(bytes), { raw: { width: w, height: h, channels: channels as 3 } });

describe('image loading', () => {
  it('goes by the bytes: the DTU ".jpg" files are PNG', async () => {
    const img = await loadImageFile(fixture('dtu_scan1', '000001.jpg'));
    expect(img.format).toBe('png');
    expect([img.image.width, img.image.height]).toEqual([1600, 1200]);
  });

  it('decodes 8-bit PNG, JPEG and WebP to float RGB in [0, 1]', async () => {
    const base = rawRgb(2, 1, [255, 0, 51, 0, 255, 255]);
    const png = await decodeImage(await base.clone().png().toBuffer());
    expect(png.format).toBe('png');
    expect(png.bitDepth).toBe(8);
    expect(Array.from(png.image.data)).toEqual([1, 0, 0.2, 0, 1, 1].map((v) => Math.fround(v)));
    const webp = await decodeImage(await base.clone().webp({ lossless: true }).toBuffer());
    expect(webp.format).toBe('webp');
    expect(Array.from(webp.image.data)).toEqual(Array.from(png.image.data));
    const jpeg = await decodeImage(
      await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: 200, g: 100, b: 50 } } })
        .jpeg({ quality: 95 })
        .toBuffer(),
    );
    expect(jpeg.format).toBe('jpeg');
    expect(jpeg.image.data[0]).toBeCloseTo(200 / 255, 1);
  });

  it('keeps 16-bit precision', async () => {
    const px = Uint16Array.from([65535, 0, 257, 1, 2, 3]);
    const png = await sharp(px, { raw: { width: 2, height: 1, channels: 3 } })
      .toColourspace('rgb16')
      .png()
      .toBuffer();
    const img = await decodeImage(png);
    expect(img.bitDepth).toBe(16);
    expect(Array.from(img.image.data)).toEqual(Array.from(px, (v) => Math.fround(v / 65535)));
  });

  it('flattens alpha over black and reports it; expands greyscale', async () => {
    const rgba = await rawRgb(2, 1, [255, 255, 255, 255, 255, 0, 0, 0], 4).png().toBuffer();
    const img = await decodeImage(rgba);
    expect(img.hadAlpha).toBe(true);
    expect(Array.from(img.image.data)).toEqual([1, 1, 1, 0, 0, 0]);
    const grey = await sharp(Buffer.from([0, 255]), { raw: { width: 2, height: 1, channels: 1 } })
      .png()
      .toBuffer();
    expect(Array.from((await decodeImage(grey)).image.data)).toEqual([0, 0, 0, 1, 1, 1]);
  });

  it('applies the EXIF orientation', async () => {
    // 2x1 red|blue stored with orientation 6 (rotate 90 clockwise to view): upright it is 1x2, red on top.
    const jpeg = await rawRgb(2, 1, [255, 0, 0, 0, 0, 255]).withMetadata({ orientation: 6 }).png().toBuffer();
    const img = await decodeImage(jpeg);
    expect(img.exifOrientation).toBe(6);
    expect([img.image.width, img.image.height]).toEqual([1, 2]);
    expect(Array.from(img.image.data)).toEqual([1, 0, 0, 0, 0, 1]);
  });

  it('refuses missing, empty, corrupt, unsupported and oversized images with a clear message', async () => {
    const dir = tempDir('camtrack-img-');
    await expect(loadImageFile(path.join(dir, 'missing.png'))).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringMatching(/^Image not found: .*missing\.png$/),
    });
    await writeFile(path.join(dir, 'empty.png'), '');
    await expect(loadImageFile(path.join(dir, 'empty.png'))).rejects.toMatchObject({
      code: 'bad-file',
      message: expect.stringMatching(/empty\.png is empty \(0 bytes\)\./),
    });
    await expect(decodeImage(new TextEncoder().encode('GIF89a......'), { name: 'a.gif' })).rejects.toThrow(
      'a.gif is a GIF file. Use a PNG, JPEG or WebP photo.',
    );
    await expect(decodeImage(new TextEncoder().encode('just some text'), { name: 'notes.png' })).rejects.toThrow(
      'notes.png is not an image this studio can read. Use a PNG, JPEG or WebP photo.',
    );
    const good = await rawRgb(8, 8, new Array(192).fill(9)).png().toBuffer();
    const truncated = good.subarray(0, 40);
    await expect(decodeImage(truncated, { name: 'cut.png' })).rejects.toMatchObject({
      code: 'bad-file',
      message: expect.stringMatching(/cut\.png looks like PNG but cannot be decoded .*damaged or truncated/),
    });
    // A decompression bomb: a valid PNG header claiming 40000x40000 pixels and nothing else.
    await expect(decodeImage(pngHeaderOnly(40000, 40000), { name: 'bomb.png' })).rejects.toMatchObject({
      code: 'bad-input',
      message: 'bomb.png is 40000x40000 (1600.0 megapixels), above the limit of 100.0 megapixels. Downscale it first.',
    });
    await expect(decodeImage(good, { name: 'small.png', maxPixels: 63 })).rejects.toThrow(
      /small\.png is 8x8 .* above the limit/,
    );
  });
});

describe('fit and resample', () => {
  it('crop covers and centres; pad contains with even bars; intrinsics follow exactly', () => {
    const crop = computeFit(1920, 1080, 1024, 768, 'crop');
    expect(crop.scaleX).toBeCloseTo(768 / 1080, 12);
    expect(crop.offsetX).toBeCloseTo((1920 * (768 / 1080) - 1024) / 2, 9);
    expect(crop.offsetY).toBeCloseTo(0, 12);
    const pad = computeFit(1000, 1000, 200, 100, 'pad');
    expect([pad.scaleX, pad.offsetX, pad.offsetY]).toEqual([0.1, -50, 0]);
    const k = placeIntrinsics({ width: 1000, height: 1000, fx: 800, fy: 800, cx: 500, cy: 500 }, pad);
    expect(k).toEqual({ width: 200, height: 100, fx: 80, fy: 80, cx: 100, cy: 50 });
  });

  it('a point projects to the same content before and after placement', () => {
    // Source pixel (37, 11) of a 64x48 image, crop-fitted into 20x20: where does it land?
    const p = computeFit(64, 48, 20, 20, 'crop');
    const k0 = { width: 64, height: 48, fx: 50, fy: 50, cx: 32, cy: 24 };
    const k1 = placeIntrinsics(k0, p);
    const [X, Y] = [(37.5 - k0.cx) / k0.fx, (11.5 - k0.cy) / k0.fy]; // ray through that pixel centre
    const u1 = k1.fx * X + k1.cx,
      v1 = k1.fy * Y + k1.cy;
    expect(u1).toBeCloseTo(37.5 * p.scaleX - p.offsetX, 12);
    expect(v1).toBeCloseTo(11.5 * p.scaleY - p.offsetY, 12);
  });

  it('copies exactly at scale 1 with an integer offset and makes black pad bars', () => {
    const src: RgbImage = { width: 4, height: 2, data: Float32Array.from({ length: 24 }, (_, i) => i / 23) };
    const same = resampleImage(src, {
      srcWidth: 4,
      srcHeight: 2,
      width: 2,
      height: 2,
      scaleX: 1,
      scaleY: 1,
      offsetX: 1,
      offsetY: 0,
    });
    expect(Array.from(same.data)).toEqual([...src.data.slice(3, 9), ...src.data.slice(15, 21)]);
    const padded = resampleImage(src, computeFit(4, 2, 4, 4, 'pad'));
    expect(Array.from(padded.data.slice(0, 12))).toEqual(new Array(12).fill(0));
    expect(Array.from(padded.data.slice(12, 36))).toEqual(Array.from(src.data));
    expect(Array.from(padded.data.slice(36))).toEqual(new Array(12).fill(0));
  });

  it('averages when shrinking (antialiasing): a fine checker becomes grey', () => {
    const n = 64;
    const data = new Float32Array(n * n * 3);
    for (let y = 0; y < n; y++)
      for (let x = 0; x < n; x++) data.fill((x + y) % 2, (y * n + x) * 3, (y * n + x) * 3 + 3);
    const small = resampleImage({ width: n, height: n, data }, computeFit(n, n, 8, 8, 'crop'));
    for (const v of small.data) expect(v).toBeCloseTo(0.5, 2);
  });
});

describe('encoding and sniffing', () => {
  it('round-trips 8-bit PNG and writes white holes in masks', async () => {
    const img: RgbImage = { width: 2, height: 1, data: Float32Array.from([1, 0.5, 0, -1, 2, 0.2]) };
    const back = await decodeImage(await encodePng(img));
    expect(Array.from(back.image.data, (v) => Math.round(v * 255))).toEqual([255, 128, 0, 0, 255, 51]);
    const mask = await decodeImage(await encodeMaskPng(Uint8Array.from([1, 0]), 2, 1));
    expect(Array.from(mask.image.data)).toEqual([1, 1, 1, 0, 0, 0]);
  });

  it('sniffs formats from magic bytes', () => {
    expect(sniffFormat(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
    expect(sniffFormat(new TextEncoder().encode('Pf\n2 2\n-1\n'))).toBe('pfm');
    expect(sniffFormat(new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 '))).toBe('webp');
    expect(sniffFormat(new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]))).toBe('npy');
    expect(sniffFormat(new Uint8Array([1, 2, 3]))).toBe('unknown');
  });
});

/** The 8-byte signature, an IHDR chunk for w x h RGB 8-bit, a tiny IDAT and IEND: a header without its pixels. */
function pngHeaderOnly(w: number, h: number): Uint8Array {
  const chunk = (type: string, data: Uint8Array) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'ascii');
    Buffer.from(data).copy(out, 8);
    out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(100))),
    chunk('IEND', new Uint8Array(0)),
  ]);
}
