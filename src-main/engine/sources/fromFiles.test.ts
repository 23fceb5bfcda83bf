import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixture } from '../../test/fixtures';
import { writeProjectFromFiles } from './fromFiles';
import { openProject } from '../project/store';
import { sha256Hex } from '../project/assets';
import { makeTestPhoto } from '../../test/photo';

let tmp: string;
beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-fromfiles-'));
});
afterEach(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('writeProjectFromFiles', () => {
  it('imports a PNG named .jpg and a PFM depth by their bytes, and the project opens', async () => {
    const dir = path.join(tmp, 'Scan1.camtrack');
    const mapping = { kind: 'depth' as const, scale: 1, near: 100, far: 1500 };
    const saved = await writeProjectFromFiles(dir, {
      imagePath: fixture('dtu_scan1', '000001.jpg'),
      depthPath: fixture('dtu_scan1', '000001.pfm'),
      mapping,
      numFrames: 14,
      fps: 6,
    });
    const imgBytes = await fs.readFile(fixture('dtu_scan1', '000001.jpg'));
    const depthBytes = await fs.readFile(fixture('dtu_scan1', '000001.pfm'));
    const { doc } = saved;
    expect(doc.name).toBe('Scan1');
    expect(doc.image).toEqual({
      asset: { file: `image-${sha256Hex(imgBytes).slice(0, 16)}.png`, sha256: sha256Hex(imgBytes) },
      originalName: '000001.jpg',
      width: 1600,
      height: 1200,
      // Nothing is known of its lens: the default camera, 60 degrees across (half width / tan 30).
      intrinsics: { fx: 800 / Math.tan(Math.PI / 6), fy: 800 / Math.tan(Math.PI / 6), cx: 800, cy: 600 },
    });
    expect(doc.depth?.source).toEqual({
      type: 'file',
      asset: { file: `depth-${sha256Hex(depthBytes).slice(0, 16)}.pfm`, sha256: sha256Hex(depthBytes) },
      originalName: '000001.pfm',
    });
    expect(doc.depth?.mapping).toEqual(mapping);
    expect([doc.track.numFrames, doc.track.fps, doc.lambda.frames]).toEqual([14, 6, 14]);
    const opened = await openProject(dir);
    expect(opened.doc).toEqual(doc);
    expect(sha256Hex(await fs.readFile(path.join(dir, 'assets', doc.image!.asset.file)))).toBe(sha256Hex(imgBytes));
  });

  it('imports a JPEG photo with EXIF data without depth, at its upright size', async () => {
    const photo = path.join(tmp, 'street_1920x1080.jpg');
    await fs.writeFile(photo, await makeTestPhoto());
    const saved = await writeProjectFromFiles(path.join(tmp, 'Street.camtrack'), { imagePath: photo });
    expect(saved.doc.image?.asset.file).toMatch(/^image-[0-9a-f]{16}\.jpg$/);
    expect([saved.doc.image?.width, saved.doc.image?.height]).toEqual([1920, 1080]);
    expect(saved.doc.depth).toBeNull();
    // A phone photo held upright: stored landscape with EXIF orientation 6, imported portrait.
    const portrait = path.join(tmp, 'portrait.jpg');
    await fs.writeFile(portrait, await makeTestPhoto({ width: 640, height: 360, orientation: 6 }));
    const turned = await writeProjectFromFiles(path.join(tmp, 'Portrait.camtrack'), { imagePath: portrait });
    expect([turned.doc.image?.width, turned.doc.image?.height]).toEqual([360, 640]);
  });

  it('refuses a depth file it does not know and a missing image, and writes nothing', async () => {
    const notDepth = path.join(tmp, 'depth.txt');
    await fs.writeFile(notDepth, 'hello');
    const dir = path.join(tmp, 'X.camtrack');
    const photo = path.join(tmp, 'photo.jpg');
    await fs.writeFile(photo, await makeTestPhoto({ width: 64, height: 36 }));
    await expect(writeProjectFromFiles(dir, { imagePath: photo, depthPath: notDepth })).rejects.toMatchObject({
      code: 'bad-file',
    });
    await expect(writeProjectFromFiles(dir, { imagePath: path.join(tmp, 'nope.png') })).rejects.toMatchObject({
      code: 'not-found',
    });
    await expect(fs.stat(dir)).rejects.toThrow();
  });
});
