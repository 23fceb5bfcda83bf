import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/cli';
import { fixture } from '../../test/fixtures';
import { parseMvsnetCamera } from './mvsnet';
import { checkViewCount, writeProjectFromMvsnet, writeProjectFromTransforms } from './project';
import { writeSparseViewDataset } from '../../test/sparseViews';

/**
 * The sparse-view importers refuse by count and by what the text says, before any photo or depth
 * is decoded, and name the problem (issue 24, items 4 and 10).
 */
let root: string;
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-import-limits-'));
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const frame = (i: number) => ({
  file_path: 'images/missing.png',
  depth_file_path: 'depth/missing.npy',
  transform_matrix: [
    [1, 0, 0, i * 0.01],
    [0, 1, 0, 0],
    [0, 0, 1, 0],
    [0, 0, 0, 1],
  ],
});

/** The shared camera of the transforms.json files here. */
const CAMERA = { fl_x: 500, fl_y: 500, cx: 320, cy: 240, w: 640, h: 480 };

async function transformsWith(name: string, doc: unknown): Promise<string> {
  const file = path.join(root, name, 'transforms.json');
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, JSON.stringify(doc));
  return file;
}

describe('sparse-view imports count first', () => {
  it('5001 views are refused by count before any photo is read (their files do not even exist)', async () => {
    const file = await transformsWith('many', {
      ...CAMERA,
      frames: Array.from({ length: 5001 }, (_, i) => frame(i)),
    });
    const out = path.join(root, 'many.camtrack');
    for (const opts of [{}, { cameraPath: '{}' }])
      await expect(writeProjectFromTransforms(out, file, opts)).rejects.toThrow(
        '5001 views: a project holds at most 1000 (the photo included). Choose fewer views.',
      );
    const thirty = await transformsWith('thirty', {
      ...CAMERA,
      frames: Array.from({ length: 30 }, (_, i) => frame(i)),
    });
    await expect(writeProjectFromTransforms(out, thirty)).rejects.toThrow(
      '30 views do not fit on a 25-frame track (one key per view). Give more frames, or a camera path.',
    );
    expect(await fs.stat(out).catch(() => null)).toBeNull();
    expect(() => checkViewCount(1000, { cameraPath: '{}' })).not.toThrow();
    expect(() => checkViewCount(1001, { cameraPath: '{}' })).toThrow(/at most 1000/);
  });

  it('an MVSNet folder is counted when its cameras are listed, before a depth map is read', async () => {
    const dir = path.join(root, 'mvsnet');
    await fs.cp(fixture('dtu_scan1_mvsnet'), dir, { recursive: true });
    // A third view whose depth map is not a depth map: reading it would fail with another message.
    await fs.copyFile(path.join(dir, 'cams', '00000002_cam.txt'), path.join(dir, 'cams', '00000003_cam.txt'));
    await fs.copyFile(path.join(dir, 'images', '00000002.png'), path.join(dir, 'images', '00000003.png'));
    await fs.writeFile(path.join(dir, 'depths', '00000003.pfm'), 'not a depth map');
    await fs.writeFile(path.join(dir, 'depths', '00000001.pfm'), 'not a depth map');
    await expect(writeProjectFromMvsnet(path.join(root, 'm.camtrack'), dir, { numFrames: 2 })).rejects.toThrow(
      '3 views do not fit on a 2-frame track',
    );
  });
});

describe('sparse-view imports name what is wrong (issue 24, item 10)', () => {
  it('a NUL in a file_path is refused by name, not as an internal error (exit 1, not 70)', async () => {
    const file = await transformsWith('nul', {
      ...CAMERA,
      frames: [{ ...frame(0), file_path: 'images/a\u0000.png' }],
    });
    const r = await runCli('project', 'new', path.join(root, 'nul'), '--transforms', file);
    expect(r.code).toBe(1);
    expect(r.err).toContain('frame 0: "file_path" holds a NUL character, which no file name can');
    expect(r.err).toMatch(/\[bad-file\]\n$/);
  });

  it("a focal length that no keyframe can take is named as the view's focal length, not as a keyframe fovY", async () => {
    const data = await writeSparseViewDataset(path.join(root, 'focal'));
    const doc = JSON.parse(await fs.readFile(data.transforms, 'utf8')) as Record<string, unknown>;
    await fs.writeFile(data.transforms, JSON.stringify({ ...doc, fl_y: 1e300 }));
    const r = await runCli('project', 'new', path.join(root, 'focal-out'), '--transforms', data.transforms);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /The view left\.png: its focal length fy = 1e\+300 pixels on a \d+-pixel side is a field of view of [0-9.e-]+ degrees; a camera's must be between 1 and 179\./,
    );
    expect(r.err).not.toMatch(/fovY/);
  });

  const cam = (ext: string) => `extrinsic\n${ext}\n\nintrinsic\n361.5 0 82.9\n0 360.4 66.4\n0 0 1\n\n425 2.5\n`;

  it('MVSNet: a value that is not a number is named with its row and column', () => {
    expect(() => parseMvsnetCamera(cam('1 0 0 0\nNaN 1 0 0\n0 0 1 0\n0 0 0 1'), 'c.txt')).toThrow(
      `c.txt: the extrinsic's row 2, column 1 is "NaN", not a finite number.`,
    );
    expect(() => parseMvsnetCamera(cam('1 0 0 0\n0 1 0 0\n0 0 1 0'), 'c.txt')).toThrow(
      'the extrinsic block must hold 16 numbers (a 4x4 matrix); it holds 12.',
    );
  });

  it('MVSNet: a camera beyond ±1e6 is refused as transforms.json refuses it', () => {
    expect(() => parseMvsnetCamera(cam('1 0 0 1e300\n0 1 0 0\n0 0 1 0\n0 0 0 1'), 'c.txt')).toThrow(
      'c.txt: the camera is 1.00e+300 units from the origin; positions beyond ±1e+6 are refused.',
    );
    expect(parseMvsnetCamera(cam('1 0 0 -1e6\n0 1 0 0\n0 0 1 0\n0 0 0 1'), 'c.txt').w2c[3]).toBe(-1e6);
  });
});

describe('camtrack serve', () => {
  it('--port 99999 is refused by name, not as an internal error', async () => {
    const r = await runCli('serve', '--port', '99999');
    expect(r.code).toBe(1);
    expect(r.err).toContain('--port must be a whole number from 1 to 65535 (got "99999")');
  });
});
