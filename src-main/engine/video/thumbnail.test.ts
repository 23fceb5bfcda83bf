import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { thumbnailPathFor, writeThumbnail } from './thumbnail';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-thumb-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** Left half red, right half blue. */
function halves(w: number, h: number): Uint8Array {
  const f = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) f.set(x < w / 2 ? [255, 0, 0] : [0, 0, 255], (y * w + x) * 3);
  return f;
}

describe('writeThumbnail', () => {
  it('a JPEG that fits in maxSize, keeps the aspect ratio and the colours', async () => {
    const out = thumbnailPathFor(path.join(dir, 'clip.mp4'));
    expect(path.basename(out)).toBe('clip.mp4.thumb.jpg');
    const r = await writeThumbnail({ rgb: halves(1024, 576), width: 1024, height: 576, out, maxSize: 128 });
    expect([r.width, r.height]).toEqual([128, 72]);
    const { data, info } = await sharp(out).raw().toBuffer({ resolveWithObject: true });
    expect((await sharp(out).metadata()).format).toBe('jpeg');
    const px = (x: number, y: number) =>
      Array.from(data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3));
    const [r0, , b0] = px(10, 36);
    const [r1, , b1] = px(118, 36);
    expect(r0).toBeGreaterThan(200);
    expect(b0).toBeLessThan(60);
    expect(b1).toBeGreaterThan(200);
    expect(r1).toBeLessThan(60);
  });

  it('PNG by extension, never enlarged; a wrong-sized frame is refused', async () => {
    const out = path.join(dir, 'small.png');
    const r = await writeThumbnail({ rgb: halves(64, 48), width: 64, height: 48, out });
    expect([r.width, r.height]).toEqual([64, 48]);
    expect((await sharp(out).metadata()).format).toBe('png');
    await expect(writeThumbnail({ rgb: halves(64, 47), width: 64, height: 48, out })).rejects.toThrow(
      /a 64x48 RGB frame/,
    );
  });
});
