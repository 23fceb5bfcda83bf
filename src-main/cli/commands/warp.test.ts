import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDENTITY4, intrinsicsFromFovY } from '../../engine/geometry/conventions';
import { cameraPathFromFrames, stringifyCameraPath } from '../../engine/camera/nerfstudio';
import { buildTestDepthModel } from '../../test/depthModel';
import { encodePng } from '../../engine/image/encode';
import { decodeImage } from '../../engine/image/load';
import { writeNpy } from '../../engine/npy/npy';
import { poseAt } from '../../engine/scene/poses';
import { renderScene, sampleScene } from '../../engine/scene/scene';
import { runCli } from '../../test/cli';

let tmp: string;
let out: string;
let err: string;
const K = intrinsicsFromFovY(50, 96, 64);
const shot = renderScene(sampleScene(), { c2w: IDENTITY4, intrinsics: K }, 1);
const file = (name: string) => path.join(tmp, name);

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-cli-warp-'));
  await fs.writeFile(file('photo.png'), await encodePng(shot.image));
  await fs.writeFile(file('depth.npy'), writeNpy(shot.depth, [64, 96]));
  const cams = [0, 1, 2].map((i) => ({ c2w: poseAt([0.1 * i, 0, -0.1 * i], 2 * i), intrinsics: K }));
  await fs.writeFile(file('path.json'), stringifyCameraPath(cameraPathFromFrames(cams, 10)));
  await fs.writeFile(file('nan.npy'), writeNpy(new Float32Array(96 * 64).fill(NaN), [64, 96]));
  await fs.writeFile(file('wrong.npy'), writeNpy(new Float32Array(50 * 50).fill(1), [50, 50]));
  await fs.writeFile(file('depth-model.onnx'), buildTestDepthModel());
  await fs.writeFile(file('broken.png'), (await fs.readFile(file('photo.png'))).subarray(0, 60));
});
afterAll(() => fs.rm(tmp, { recursive: true, force: true }));

/** `camtrack warp ARGS` through the shared in-process runner; what it printed stays in `out` and `err` for the assertions. */
const run = async (...args: string[]) => {
  const r = await runCli('warp', ...args);
  out = r.out;
  err = r.err;
  return r.code;
};
const base = (depth = 'depth.npy', image = 'photo.png') => [
  '--image',
  file(image),
  '--depth',
  file(depth),
  '--camera-path',
  file('path.json'),
];

describe('camtrack warp', () => {
  it('writes frames, white-hole masks and warp.json; frame 0 is the photo itself', async () => {
    const dir = file('out');
    expect(await run(...base(), '--out', dir)).toBe(0);
    const printed = JSON.parse(out.trim().split('\n').pop()!);
    expect(printed).toMatchObject({ frames: 3, width: 96, height: 64, depthInvalid: 0 });
    const names = (await fs.readdir(dir)).sort();
    expect(names).toEqual([
      'frame_0000.png',
      'frame_0001.png',
      'frame_0002.png',
      'mask_0000.png',
      'mask_0001.png',
      'mask_0002.png',
      'warp.json',
    ]);
    const photo = await decodeImage(await fs.readFile(file('photo.png')));
    const f0 = await decodeImage(await fs.readFile(path.join(dir, 'frame_0000.png')));
    expect(Buffer.from(f0.image.data.buffer).equals(Buffer.from(photo.image.data.buffer))).toBe(true);
    const summary = JSON.parse(await fs.readFile(path.join(dir, 'warp.json'), 'utf8'));
    expect(summary).toMatchObject({ width: 96, height: 64, latentWidth: 12, latentHeight: 8, fit: 'crop', frames: 3 });
    expect(summary.depth).toMatchObject({ origin: 'npy <f4', valid: 96 * 64, mapping: { kind: 'depth', scale: 1 } });
    expect(summary.holeFraction[0]).toBe(0);
    expect(summary.holeFraction[2]).toBeGreaterThan(0);
    expect(summary.timings.frameMs).toHaveLength(3);
    // The mask is white exactly where the frame is a hole (and the hole pixels are black).
    const m2 = await decodeImage(await fs.readFile(path.join(dir, 'mask_0002.png')));
    const f2 = await decodeImage(await fs.readFile(path.join(dir, 'frame_0002.png')));
    let holes = 0;
    for (let p = 0; p < 96 * 64; p++) {
      if (m2.image.data[p * 3] === 1) {
        holes++;
        expect(f2.image.data[p * 3] + f2.image.data[p * 3 + 1] + f2.image.data[p * 3 + 2]).toBe(0);
      }
    }
    expect(holes / (96 * 64)).toBeCloseTo(summary.holeFraction[2], 6);
  });

  it('renders at another size with pad', async () => {
    const dir = file('out-pad');
    expect(await run(...base(), '--out', dir, '--width', '64', '--height', '64', '--fit', 'pad')).toBe(0);
    const summary = JSON.parse(await fs.readFile(path.join(dir, 'warp.json'), 'utf8'));
    expect(summary).toMatchObject({ width: 64, height: 64, fit: 'pad' });
    // Pad bars have no depth: they are holes even in frame 0.
    expect(summary.holeFraction[0]).toBeGreaterThan(0.2);
  });

  it('estimates the depth with a model (its output is disparity, median at 4 units as in project new)', async () => {
    const dir = file('out-model');
    expect(
      await run(
        '--image',
        file('photo.png'),
        '--depth-model',
        file('depth-model.onnx'),
        '--camera-path',
        file('path.json'),
        '--out',
        dir,
      ),
    ).toBe(0);
    const summary = JSON.parse(await fs.readFile(path.join(dir, 'warp.json'), 'utf8'));
    expect(summary.depth).toMatchObject({
      origin: 'depth model depth-model.onnx (relative disparity)',
      mapping: { kind: 'disparity', near: 0.05, far: 1000 },
    });
    expect(summary.depth.zMedian).toBeCloseTo(4, 4);
    expect(summary.holeFraction[0]).toBe(0);
  });

  it('warps a photo with no depth as a plane at 4 units (as project new), saying so: a sideways step of d moves it by fx d / 4 pixels', async () => {
    // Camera 1 steps right by the distance that shifts a plane at 4 units by exactly 8 pixels.
    const d = (8 * 4) / K.fx;
    const sideways = [IDENTITY4, poseAt([d, 0, 0], 0)].map((c2w) => ({ c2w, intrinsics: K }));
    await fs.writeFile(file('sideways.json'), stringifyCameraPath(cameraPathFromFrames(sideways, 10)));
    const dir = file('plane');
    const args = ['--image', file('photo.png'), '--camera-path', file('sideways.json'), '--out', dir];
    expect(await run(...args)).toBe(0);
    expect(err).toMatch(/No depth given: the photo is a plane at 4 units/);
    expect(JSON.parse(out.trim().split('\n').pop()!)).toMatchObject({
      frames: 2,
      depthShape: 'a plane at 4 units',
      warp: 'mesh',
      depthMapping: { kind: 'depth', scale: 1 },
    });
    const photo = (await decodeImage(await fs.readFile(file('photo.png')))).image;
    const f1 = (await decodeImage(await fs.readFile(path.join(dir, 'frame_0001.png')))).image;
    const mask = (await decodeImage(await fs.readFile(path.join(dir, 'mask_0001.png')))).image;
    const ch = photo.data.length / (96 * 64);
    const mch = mask.data.length / (96 * 64);
    let worst = 0;
    for (let y = 0; y < 64; y++)
      for (let x = 0; x < 96; x++) {
        const hole = mask.data[(y * 96 + x) * mch] > 0.5;
        // The photo ends 8 pixels before the right edge: only there are holes, widened by the
        // 5x5 dilation every guidance mask gets (as in a model render), so from column 86.
        expect(hole, `pixel ${x},${y}`).toBe(x >= 86);
        if (hole) continue;
        for (let c = 0; c < 3; c++)
          worst = Math.max(worst, Math.abs(f1.data[(y * 96 + x) * ch + c] - photo.data[(y * 96 + x + 8) * ch + c]));
      }
    expect(worst).toBeLessThanOrEqual(1 / 255);

    // The room, splatted on request: named in the summary.
    expect(await run(...args.slice(0, -1), file('room'), '--depth-shape', 'room', '--warp', 'splat')).toBe(0);
    expect(JSON.parse(out.trim().split('\n').pop()!)).toMatchObject({
      depthShape: expect.stringMatching(/^a room, back wall at 8 units/),
      warp: 'splat',
    });
  });

  it('refuses bad inputs with a readable message and exit code 1', async () => {
    const cases: [string[], RegExp][] = [
      [
        [...base('depth.npy', 'missing.png'), '--out', file('x')],
        /camtrack: Image not found: .*missing\.png \[not-found\]/,
      ],
      [
        [...base('depth.npy', 'broken.png'), '--out', file('x')],
        /broken\.png looks like PNG but cannot be decoded .* \[bad-file\]/,
      ],
      [
        [...base('nan.npy'), '--out', file('x')],
        /The depth \(npy <f4, 96x64\) has no usable value: 6144 NaN\. .*\[bad-input\]/,
      ],
      [
        [...base('wrong.npy'), '--out', file('x')],
        /The depth is 50x50 \(aspect 1\.000\) but the photo is 96x64 .*\[shape-mismatch\]/,
      ],
      [[...base(), '--out', file('x'), '--fit', 'stretch'], /--fit must be crop or pad \(got "stretch"\)/],
      [
        [...base(), '--out', file('x'), '--depth-kind', 'disparity', '--near', '5', '--far', '1'],
        /Depth mapping needs scale > 0 and 0 < near < far/,
      ],
      [
        [
          '--image',
          file('photo.png'),
          '--depth',
          file('depth.npy'),
          '--camera-path',
          file('nope.json'),
          '--out',
          file('x'),
        ],
        /Camera path not found: .*nope\.json \[not-found\]/,
      ],
      [
        [...base(), '--depth-model', file('depth-model.onnx'), '--out', file('x')],
        /Give the depth either as a file \(--depth FILE\) or as a model/,
      ],
      [[...base(), '--depth-shape', 'room', '--out', file('x')], /Give --depth, --depth-model or --depth-shape: one/],
      [
        ['--image', file('photo.png'), '--camera-path', file('path.json'), '--near', '2', '--out', file('x')],
        /--near and --far map a depth file's values; a depth shape is in scene units/,
      ],
      [[...base(), '--warp', 'voxels', '--out', file('x')], /--warp must be mesh or splat \(got "voxels"\)/],
    ];
    for (const [args, message] of cases) {
      err = '';
      expect(await run(...args)).toBe(1);
      expect(err).toMatch(message);
    }
  });
});
