import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { main } from '../main';
import { openProject } from '../../engine/project/store';
import { writeNpy } from '../../engine/npy/npy';

/**
 * `project new` without a depth file: depth shapes (a default plane, a room with its vanishing
 * point), their refusals, and the one default mapping per kind of depth file with the
 * plausibility warning, all as a person runs them.
 */
let tmp: string;
let out: string;
let err: string;
let photo: string;
const W = 320;
const H = 180;

beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-cli-depth-'));
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  // A textured photo: stripes and a gradient, so a warp shows the move.
  const px = Buffer.alloc(W * H * 3);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const i = (y * W + x) * 3;
      px[i] = (x * 255) / W;
      px[i + 1] = (Math.floor(x / 16) + Math.floor(y / 16)) % 2 ? 220 : 40;
      px[i + 2] = (y * 255) / H;
    }
  photo = path.join(tmp, 'photo.png');
  await sharp(px, { raw: { width: W, height: H, channels: 3 } })
    .png()
    .toFile(photo);
});
afterEach(async () => {
  vi.restoreAllMocks();
  await fs.rm(tmp, { recursive: true, force: true });
});

const run = (...args: string[]) => main(['node', 'camtrack', ...args]);
/** The last JSON line printed: a project summary, a validate line or warp's summary. */
interface Printed {
  ok?: boolean;
  depthMapping?: unknown;
  depth: { source: string; shape: unknown; description: string; mapping: unknown };
}
const last = () => JSON.parse(out.trim().split('\n').at(-1)!) as Printed;

describe('camtrack project new: depth shapes', () => {
  it('a photo alone gets a plane at 4 units, says so, and renders a preview at once', async () => {
    const dir = path.join(tmp, 'Card');
    expect(await run('project', 'new', dir, '--image', photo), err).toBe(0);
    expect(last().depth).toMatchObject({
      source: 'shape',
      shape: { kind: 'plane', distance: 4 },
      description: 'a plane at 4 units',
    });
    expect(err).toMatch(
      /note: No depth given: the photo's depth is a plane at 4 units, a shape\. For real depth give --depth FILE/,
    );
    const video = path.join(tmp, 'card.mp4');
    expect(
      await run('render', `${dir}.camtrack`, '--preview', '--width', '64', '--height', '36', '--out', video),
      err,
    ).toBe(0);
    expect((await fs.stat(video)).size).toBeGreaterThan(0);
    out = '';
    expect(await run('project', 'validate', `${dir}.camtrack`)).toBe(0);
    expect(last()).toMatchObject({ ok: true });
  }, 60_000);

  it('--depth-shape room --vanishing-point stores the room as what it is, and it renders', async () => {
    const dir = path.join(tmp, 'Room');
    expect(
      await run(
        'project',
        'new',
        dir,
        '--image',
        photo,
        '--depth-shape',
        'room',
        '--vanishing-point',
        '0.4,0.45',
        '--back-wall-distance',
        '10',
      ),
      err,
    ).toBe(0);
    const { doc } = await openProject(`${dir}.camtrack`);
    expect(doc.schemaVersion).toBe(4);
    expect(doc.depth!.source).toEqual({
      type: 'shape',
      shape: {
        kind: 'room',
        vanishingPoint: { x: 0.4, y: 0.45 },
        backWall: expect.objectContaining({
          left: expect.closeTo(0.4 - 1 / 6, 9),
          right: expect.closeTo(0.4 + 1 / 6, 9),
        }),
        distance: 10,
      },
    });
    // Nothing stored for the depth: the assets folder holds the photo only.
    expect(await fs.readdir(path.join(`${dir}.camtrack`, 'assets'))).toHaveLength(1);
    const video = path.join(tmp, 'room.mp4');
    expect(
      await run('render', `${dir}.camtrack`, '--preview', '--width', '64', '--height', '36', '--out', video),
      err,
    ).toBe(0);
    const side = JSON.parse(await fs.readFile(`${video}.json`, 'utf8'));
    expect(side.depth.source.shape.kind).toBe('room');
  }, 60_000);

  it('--plane-distance, --back-wall: the shape as given', async () => {
    expect(
      await run(
        'project',
        'new',
        path.join(tmp, 'P'),
        '--image',
        photo,
        '--depth-shape',
        'plane',
        '--plane-distance',
        '2.5',
      ),
    ).toBe(0);
    expect(last().depth.shape).toEqual({ kind: 'plane', distance: 2.5 });
    out = '';
    expect(
      await run(
        'project',
        'new',
        path.join(tmp, 'R'),
        '--image',
        photo,
        '--depth-shape',
        'room',
        '--back-wall',
        '0.2,0.3,0.7,0.6',
      ),
    ).toBe(0);
    expect(last().depth.shape).toMatchObject({
      vanishingPoint: { x: 0.5, y: 0.5 },
      backWall: { left: 0.2, top: 0.3, right: 0.7, bottom: 0.6 },
      distance: 8,
    });
  });

  it('refuses a vanishing point outside the photo, a zero-size back wall and stray options, naming them; nothing is made', async () => {
    const refused = async (args: string[], message: RegExp) => {
      err = '';
      const dir = path.join(tmp, 'X');
      expect(await run('project', 'new', dir, ...args)).toBe(1);
      expect(err).toMatch(message);
      expect(await fs.stat(`${dir}.camtrack`).catch(() => null)).toBeNull();
    };
    await refused(
      ['--image', photo, '--depth-shape', 'room', '--vanishing-point', '1.3,0.5'],
      /The vanishing point \(1\.3, 0\.5\) lies outside the photo: give it as fractions of the photo's width and height, each between 0 and 1/,
    );
    await refused(
      ['--image', photo, '--depth-shape', 'room', '--back-wall', '0.4,0.3,0.4,0.7'],
      /The back wall is 0 x 0\.4 of the photo: it needs a width and a height of at least 0\.01/,
    );
    await refused(
      ['--image', photo, '--depth-shape', 'room', '--back-wall', '0.6,0.3,0.9,0.7'],
      /The vanishing point \(0\.5, 0\.5\) must lie inside the back wall/,
    );
    await refused(
      ['--image', photo, '--depth-shape', 'room', '--vanishing-point', '0.5'],
      /--vanishing-point takes 2 numbers/,
    );
    await refused(['--image', photo, '--depth-shape', 'cube'], /--depth-shape must be plane or room \(got "cube"\)/);
    await refused(['--image', photo, '--vanishing-point', '0.4,0.4'], /give --depth-shape room or plane too/);
    await refused(
      ['--image', photo, '--depth-shape', 'plane', '--vanishing-point', '0.4,0.4'],
      /shape a room: use --depth-shape room/,
    );
    await refused(['--depth-shape', 'plane'], /--depth-shape needs --image/);
  });
});

describe('camtrack project new and warp: one default depth mapping per kind of file', () => {
  /** z from 1.5 to 6 m across the photo's columns. */
  const metres = (x: number) => 1.5 + (4.5 * x) / (W - 1);

  it('a 16-bit PNG is z-depth in millimetres', async () => {
    const mm = Uint16Array.from({ length: W * H }, (_, i) => Math.round(metres(i % W) * 1000));
    const depth = path.join(tmp, 'depth.png');
    await sharp(mm, { raw: { width: W, height: H, channels: 1 } })
      .toColourspace('grey16')
      .png()
      .toFile(depth);
    expect(await run('project', 'new', path.join(tmp, 'Mm'), '--image', photo, '--depth', depth), err).toBe(0);
    expect(last().depth.mapping).toEqual({ kind: 'depth', scale: 0.001, near: 1e-4, far: 1e6 });
    expect(err).not.toMatch(/warning/);
  });

  it('a float .npy is z-depth in scene units, and millimetres in one are named by the plausibility check', async () => {
    const mm = Float32Array.from({ length: W * H }, (_, i) => metres(i % W) * 1000);
    const depth = path.join(tmp, 'depth.npy');
    await fs.writeFile(depth, writeNpy(mm, [H, W]));
    expect(await run('project', 'new', path.join(tmp, 'F'), '--image', photo, '--depth', depth), err).toBe(0);
    expect(last().depth.mapping).toMatchObject({ kind: 'depth', scale: 1 });
    expect(err).toMatch(/warning: The median depth is 3760 units, outside 0\.05 to 1000: is the scale right/);
    // Told the unit, it is quiet.
    err = '';
    expect(
      await run('project', 'new', path.join(tmp, 'G'), '--image', photo, '--depth', depth, '--depth-scale', '0.001'),
    ).toBe(0);
    expect(last().depth.mapping).toMatchObject({ kind: 'depth', scale: 0.001 });
    expect(err).not.toMatch(/warning/);
  });

  it('warp takes the same default as project new and warns the same way', async () => {
    const mm = Float32Array.from({ length: W * H }, (_, i) => metres(i % W) * 1000);
    const depth = path.join(tmp, 'depth.npy');
    await fs.writeFile(depth, writeNpy(mm, [H, W]));
    const cameraPath = path.join(tmp, 'path.json');
    expect(
      await run(
        'track',
        'preset',
        'dolly',
        '--frames',
        '3',
        '--distance',
        '0.5',
        '--width',
        `${W}`,
        '--height',
        `${H}`,
        '--out',
        cameraPath,
      ),
      err,
    ).toBe(0);
    out = '';
    err = '';
    expect(
      await run('warp', '--image', photo, '--depth', depth, '--camera-path', cameraPath, '--out', path.join(tmp, 'w')),
      err,
    ).toBe(0);
    expect(last().depthMapping).toMatchObject({ kind: 'depth', scale: 1 });
    expect(err).toMatch(/warning: The median depth is 3760 units/);
  }, 60_000);
});
