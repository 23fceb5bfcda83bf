import sharp from 'sharp';
import type { RgbImage } from './types';

/** 8-bit PNG of an RGB image (values clamped to [0, 1], rounded). Edge module: sharp. */
export async function encodePng(img: RgbImage): Promise<Buffer> {
  const n = img.width * img.height * 3;
  const bytes = Buffer.alloc(n);
  for (let i = 0; i < n; i++) {
    const v = img.data[i];
    bytes[i] = v <= 0 ? 0 : v >= 1 ? 255 : Math.round(v * 255);
  }
  return sharp(bytes, { raw: { width: img.width, height: img.height, channels: 3 } })
    .png()
    .toBuffer();
}

/** Greyscale 8-bit PNG of a 0/1 mask: 1 is white. */
export async function encodeMaskPng(mask: Uint8Array, width: number, height: number): Promise<Buffer> {
  const bytes = Buffer.alloc(width * height);
  for (let i = 0; i < bytes.length; i++) bytes[i] = mask[i] ? 255 : 0;
  return sharp(bytes, { raw: { width, height, channels: 1 } })
    .png()
    .toBuffer();
}
