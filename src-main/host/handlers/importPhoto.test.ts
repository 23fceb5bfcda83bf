import { describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { tempDir } from '../../test/tmp';
import { pngHeaderOnly } from '../../test/photo';
import { createEngineService } from '../service';
import type { ApiOutputs } from '../../api/contract';
import { sha256Hex } from '../../engine/project/assets';
import { writeNpy } from '../../engine/npy/npy';
import { WORKING_COPY_SIDE } from '../../engine/image/importPhoto';
import { loadRenderInputs } from '../../engine/render/inputs';
import { openProject } from '../../engine/project/store';

/**
 * The studio's photo import (image.import): the file's own bytes are stored, a large or EXIF-turned
 * photo gets an upright working copy, a 100-megapixel one is refused from its header, and the
 * import can be cancelled. And depth re-imports keep the mapping of the depth they replace.
 */
async function setup() {
  const base = tempDir('import-photo-');
  const events: { event: string; data: unknown }[] = [];
  const svc = createEngineService(
    { mode: 'browser', appDataDir: path.join(base, 'data'), workspace: path.join(base, 'ws') },
    (event, data) => events.push({ event, data }),
  );
  const created = (await svc.handle('project.new', {})) as ApiOutputs['project.new'];
  return { svc, dir: created.dir, doc: created.doc, events };
}

/** Noisy RGB so the JPEG is photo-sized; the top-left quarter is pure red, the rest blue-ish. */
async function photoJpeg(width: number, height: number, orientation?: number): Promise<Buffer> {
  const px = Buffer.alloc(width * height * 3);
  let seed = 7;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      seed = (seed * 1103515245 + 12345) >>> 0;
      const n = (seed >>> 24) & 63;
      const red = x < width / 2 && y < height / 2;
      px[i] = red ? 255 : n;
      px[i + 1] = red ? 0 : 60 + n;
      px[i + 2] = red ? 0 : 180 + (n >> 1);
    }
  let s = sharp(px, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 });
  if (orientation) s = s.withMetadata({ orientation });
  return s.toBuffer();
}

describe('image.import', () => {
  it('stores a JPEG as its own bytes, with no working copy when it is small and upright', async () => {
    const { svc, dir } = await setup();
    const jpeg = await photoJpeg(640, 360);
    const r = (await svc.handle('image.import', {
      project: dir,
      name: 'p.jpg',
      bytes: new Uint8Array(jpeg),
    })) as ApiOutputs['image.import'];
    expect(r.image).toMatchObject({ width: 640, height: 360, asset: { sha256: sha256Hex(jpeg) } });
    expect(r.image.asset.file).toMatch(/\.jpg$/);
    expect(r.image.working).toBeUndefined();
    expect(await fs.readFile(path.join(dir, 'assets', r.image.asset.file))).toEqual(jpeg);
  });

  it('an EXIF-rotated photo is upright: its size, its working copy and what a render reads', async () => {
    const { svc, dir, doc } = await setup();
    // Stored 320 wide and 200 high, orientation 6: shown turned a quarter clockwise, 200 x 320.
    const jpeg = await photoJpeg(320, 200, 6);
    const r = (await svc.handle('image.import', {
      project: dir,
      name: 'turned.jpg',
      bytes: new Uint8Array(jpeg),
    })) as ApiOutputs['image.import'];
    expect(r.image).toMatchObject({ width: 200, height: 320 });
    expect(r.notes.join(' ')).toMatch(/EXIF orientation 6 applied/);
    // The working copy is upright (no EXIF left to honour): the red quarter was top-left, turned clockwise it is top-right.
    const working = await sharp(path.join(dir, 'assets', r.image.working!.file))
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([working.info.width, working.info.height]).toEqual([200, 320]);
    const at = (x: number, y: number) => working.data[(y * 200 + x) * working.info.channels];
    expect(at(150, 40)).toBeGreaterThan(200);
    expect(at(40, 40)).toBeLessThan(100);
    // The render decodes the original the same way round.
    const inputs = await loadRenderInputs(dir, {
      ...doc,
      image: r.image,
      depth: {
        source: { type: 'shape', shape: { kind: 'plane', distance: 4 } },
        mapping: { kind: 'depth', scale: 1, near: 1e-3, far: 1e6 },
      },
      render: { ...doc.render, width: 200, height: 320 },
    });
    const red = (x: number, y: number) => inputs.image.data[(y * 200 + x) * 3];
    expect(red(150, 40)).toBeGreaterThan(0.8);
    expect(red(40, 40)).toBeLessThan(0.4);
  });

  it('a 20-megapixel JPEG: stored at most 1.2x its size, with a working copy at most 2048 on its long side', async () => {
    const { svc, dir, doc, events } = await setup();
    const jpeg = await photoJpeg(5472, 3648);
    const r = (await svc.handle('image.import', {
      project: dir,
      name: 'big.jpg',
      bytes: new Uint8Array(jpeg),
    })) as ApiOutputs['image.import'];
    expect(r.image).toMatchObject({ width: 5472, height: 3648 });
    const work = await sharp(path.join(dir, 'assets', r.image.working!.file)).metadata();
    expect(Math.max(work.width!, work.height!)).toBe(WORKING_COPY_SIDE);
    const stored = (await fs.readdir(path.join(dir, 'assets'))).map((f) => path.join(dir, 'assets', f));
    const bytes = (await Promise.all(stored.map((f) => fs.stat(f)))).reduce((a, s) => a + s.size, 0);
    expect(bytes / jpeg.length).toBeLessThan(1.2);
    const stages = events.filter((e) => e.event === 'image.progress').map((e) => (e.data as { stage: string }).stage);
    expect(stages).toEqual(['header', 'decode', 'store', 'done']);
    // Saved elsewhere and opened again: the working copy goes with the photo, both checked against their sha256.
    const target = path.join(path.dirname(dir), 'Big');
    const saved = (await svc.handle('project.save', {
      project: dir,
      doc: { ...doc, image: r.image },
      path: target,
    })) as ApiOutputs['project.save'];
    const opened = await openProject(saved.path);
    expect(opened.doc.image!.working).toEqual(r.image.working);
    await expect(fs.stat(path.join(saved.path, 'assets', r.image.working!.file))).resolves.toBeTruthy();
  }, 60_000);

  it('refuses a 100-megapixel photo from its header, at once and with the numbers', async () => {
    const { svc, dir } = await setup();
    // A PNG whose header says 12000 x 9000 and that holds one row: nothing is decoded before the refusal.
    const png = pngHeaderOnly(12000, 9000);
    await expect(
      svc.handle('image.import', { project: dir, name: 'huge.png', bytes: new Uint8Array(png) }),
    ).rejects.toThrow(/huge\.png is 12000x9000 \(108\.0 megapixels\), above the limit of 100\.0 megapixels/);
    expect(await fs.readdir(path.join(dir, 'assets')).catch(() => [])).toEqual([]);
  });

  it('is cancelled by image.cancel, with nothing returned', async () => {
    const { svc, dir } = await setup();
    const jpeg = await photoJpeg(2400, 1600);
    const importing = svc.handle('image.import', { project: dir, name: 'c.jpg', bytes: new Uint8Array(jpeg) });
    const cancelled = (await svc.handle('image.cancel', { project: dir })) as ApiOutputs['image.cancel'];
    expect(cancelled.cancelled).toBe(true);
    await expect(importing).rejects.toMatchObject({ code: 'cancelled' });
  });
});

describe('depth.import keeps the mapping of the depth it replaces', () => {
  it('same kind of values: kept; another kind: the default for it', async () => {
    const { svc, dir } = await setup();
    const z = writeNpy(new Float32Array(16 * 9).fill(3), [9, 16]);
    const first = (await svc.handle('depth.import', {
      project: dir,
      name: 'a.npy',
      bytes: z,
    })) as ApiOutputs['depth.import'];
    expect(first.depth.mapping).toMatchObject({ kind: 'depth', scale: 1 });
    // The artist sets the unit, then imports a corrected file of the same kind.
    const set = { ...first.depth, mapping: { ...first.depth.mapping, scale: 0.5 } };
    const z2 = writeNpy(new Float32Array(16 * 9).fill(5), [9, 16]);
    const again = (await svc.handle('depth.import', {
      project: dir,
      name: 'b.npy',
      bytes: z2,
      previous: set,
    })) as ApiOutputs['depth.import'];
    expect(again.depth.mapping).toEqual(set.mapping);
    expect(again.report.median).toBeCloseTo(2.5, 6);
    expect(again.report.notes.join(' ')).toMatch(/mapping kept from the depth it replaces/);
    // A 16-bit PNG holds other values: its own default (millimetres).
    const png = await sharp(new Uint16Array(16 * 9).fill(2000), { raw: { width: 16, height: 9, channels: 1 } })
      .toColourspace('grey16')
      .png()
      .toBuffer();
    const other = (await svc.handle('depth.import', {
      project: dir,
      name: 'c.png',
      bytes: new Uint8Array(png),
      previous: set,
    })) as ApiOutputs['depth.import'];
    expect(other.depth.mapping).toMatchObject({ kind: 'depth', scale: 0.001 });
    expect(other.report.median).toBeCloseTo(2, 6);
    expect(other.report.notes.join(' ')).toMatch(/z-depth in millimetres/);
  });
});
