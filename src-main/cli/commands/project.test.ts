import { describe, it, expect, beforeEach, afterEach, vi } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { main } from '../main';
import { fixture } from '../../test/fixtures';
import { intrinsicsFromFovY, mat4Multiply, rigidInverse } from '../../engine/geometry/conventions';
import { cameraPathFromFrames, stringifyCameraPath } from '../../engine/camera/nerfstudio';
import { evaluateTrack } from '../../engine/camera/evaluate';
import { focalFromFovY, fovYFromFocal, renderIntrinsics } from '../../engine/camera/intrinsics';
import { poseAt } from '../../engine/scene/poses';
import { openProject } from '../../engine/project/store';
import { sampleProjectDir } from '../../test/tinyProject';

let tmp: string;
let out: string;
let err: string;
beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-cli-project-'));
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await fs.rm(tmp, { recursive: true, force: true });
});

const run = (...args: string[]) => main(['node', 'camtrack', ...args]);
const lines = () =>
  out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('camtrack project', () => {
  it('new (from an image and depth), info and validate', async () => {
    const dir = path.join(tmp, 'Scan');
    expect(
      await run(
        'project',
        'new',
        dir,
        '--image',
        fixture('dtu_scan1', '000001.jpg'),
        '--depth',
        fixture('dtu_scan1', '000001.pfm'),
        '--depth-kind',
        'depth',
        '--depth-scale',
        '1',
        '--near',
        '100',
        '--far',
        '1500',
        '--frames',
        '14',
        '--steps',
        '50',
      ),
    ).toBe(0);
    const created = lines()[0];
    expect(created.dir).toBe(`${dir}.camtrack`);
    expect(created.name).toBe('Scan');
    expect(created.depth).toMatchObject({ mapping: { kind: 'depth', scale: 1, near: 100, far: 1500 } });
    expect(created.lambda).toMatchObject({ steps: 50, frames: 14 });

    out = '';
    expect(await run('project', 'info', path.join(`${dir}.camtrack`, 'project.json'))).toBe(0);
    expect(lines()[0]).toMatchObject({ name: 'Scan', image: { width: 1600, height: 1200 }, track: { numFrames: 14 } });

    out = '';
    const empty = path.join(tmp, 'Empty.camtrack');
    expect(await run('project', 'new', empty)).toBe(0);
    out = '';
    expect(await run('project', 'validate', `${dir}.camtrack`, empty)).toBe(0);
    expect(lines().map((l) => l.ok)).toEqual([true, true]);
  });

  it("new --camera-path imports a nerfstudio path as the track: one key per camera, its frame count and fps, the first camera as the photo's", async () => {
    // Five cameras at the photo's size (1600x1200), the first one NOT at the origin, 40 degrees vertical field of view.
    const K = intrinsicsFromFovY(40, 1600, 1200);
    const frames = Array.from({ length: 5 }, (_, i) => ({
      c2w: poseAt([1 + 0.1 * i, 2, 3 - 0.2 * i], 10 + 3 * i),
      intrinsics: K,
    }));
    const file = path.join(tmp, 'camera_path.json');
    await fs.writeFile(file, stringifyCameraPath(cameraPathFromFrames(frames, 12)));
    const dir = path.join(tmp, 'Imported');
    expect(
      await run(
        'project',
        'new',
        dir,
        '--image',
        fixture('dtu_scan1', '000001.jpg'),
        '--depth',
        fixture('dtu_scan1', '000001.pfm'),
        '--camera-path',
        file,
      ),
    ).toBe(0);
    expect(lines()[0]).toMatchObject({ track: { numFrames: 5, fps: 12, keyframes: 5 }, lambda: { frames: 5 } });
    expect((lines()[0].notes as string[]).join(' ')).toMatch(/first camera stands at \(1, 2, 3\).*re-based onto it/);
    const { doc } = await openProject(`${dir}.camtrack`);
    expect(doc.track.keyframes[0].fovY).toBeCloseTo(40, 6);
    // The path's field of view is the photo's camera: frames 0 to 4 all render 40 degrees tall (no jump at frame 1).
    const source = renderIntrinsics(doc).intrinsics;
    expect(source.fy).toBeCloseTo(focalFromFovY(40, doc.render.height), 6);
    for (const c of evaluateTrack(doc.track, source)) expect(c.intrinsics.fy).toBeCloseTo(source.fy, 6);
    // Relative to the first camera: the track reproduces each camera's pose relative to camera 0.
    const cams = evaluateTrack(doc.track, intrinsicsFromFovY(40, 1600, 1200));
    const rel = (i: number) => mat4Multiply(rigidInverse(frames[0].c2w), frames[i].c2w);
    for (let i = 0; i < 5; i++) for (let k = 0; k < 16; k++) expect(cams[i].c2w[k]).toBeCloseTo(rel(i)[k], 5);
    out = '';
    err = '';
    expect(
      await run(
        'project',
        'new',
        path.join(tmp, 'Bad'),
        '--image',
        fixture('dtu_scan1', '000001.jpg'),
        '--camera-path',
        file,
        '--frames',
        '9',
      ),
    ).toBe(1);
    expect(err).toMatch(/--camera-path sets the frame count/);
    err = '';
    await fs.writeFile(file, '{"camera_path": []}');
    expect(
      await run(
        'project',
        'new',
        path.join(tmp, 'Bad2'),
        '--image',
        fixture('dtu_scan1', '000001.jpg'),
        '--camera-path',
        file,
      ),
    ).toBe(1);
    expect(err).toMatch(/non-empty list of cameras/);
  });

  it("new --fov sets the photo's camera (frame 0 renders that tall), and is refused where it cannot apply", async () => {
    const dir = path.join(tmp, 'Narrow');
    const image = fixture('dtu_scan1', '000001.jpg');
    expect(await run('project', 'new', dir, '--image', image, '--fov', '30')).toBe(0);
    const { doc } = await openProject(`${dir}.camtrack`);
    // 1600x1200 cropped to 1024x576: 30 degrees tall at the render size, the principal point still centred.
    const k = renderIntrinsics(doc).intrinsics;
    expect(fovYFromFocal(k.fy, k.height)).toBeCloseTo(30, 9);
    expect([k.fx / k.fy, k.cx, k.cy]).toEqual([1, 512, 288]);
    expect(doc.image!.intrinsics.fy).toBeCloseTo(focalFromFovY(30, 576) / (1024 / 1600), 6);
    // Without --fov: the default camera, 60 degrees across the photo.
    await run('project', 'new', path.join(tmp, 'Plain'), '--image', image);
    const plain = (await openProject(path.join(tmp, 'Plain.camtrack'))).doc.image!.intrinsics;
    expect(plain.fx).toBeCloseTo(800 / Math.tan(Math.PI / 6), 9);
    for (const [args, message] of [
      [['--fov', '30'], /--fov sets the photo's camera: give --image/],
      [['--image', image, '--fov', '30', '--camera-path', 'x.json'], /--camera-path brings the photo's camera/],
      [['--image', image, '--fov', '200'], /between 1 and 179 degrees \(got 200\)/],
    ] as const) {
      err = '';
      expect(await run('project', 'new', path.join(tmp, 'Refused'), ...args)).toBe(1);
      expect(err).toMatch(message);
    }
    await expect(fs.stat(path.join(tmp, 'Refused.camtrack'))).rejects.toThrow();
  });

  it('validate reports a corrupt project with its code and exits non-zero without changing it', async () => {
    const dir = path.join(tmp, 'Bad.camtrack');
    await run('project', 'new', dir);
    await fs.writeFile(path.join(dir, 'project.json'), '{"schemaVersion": 1, "name": ');
    const before = await fs.readFile(path.join(dir, 'project.json'));
    out = '';
    expect(await run('project', 'validate', dir)).toBe(1);
    expect(lines()[0]).toMatchObject({ ok: false, code: 'bad-file' });
    expect(err).toContain('[bad-file]');
    expect(await fs.readFile(path.join(dir, 'project.json'))).toEqual(before);
  });

  it('validate names each schema problem on one line: the field, what it must be, what it was', async () => {
    const dir = path.join(tmp, 'Wrong.camtrack');
    await run('project', 'new', dir);
    const doc = JSON.parse(await fs.readFile(path.join(dir, 'project.json'), 'utf8'));
    await fs.writeFile(
      path.join(dir, 'project.json'),
      JSON.stringify({ ...doc, render: { ...doc.render, steps: 'x', seed: 1e12, format: 'mkv' } }),
    );
    err = '';
    expect(await run('project', 'validate', dir)).toBe(1);
    const line = err.trim();
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toMatch(/project\.json is not a valid project: /);
    expect(line).toContain('render.steps must be a number (got "x")');
    expect(line).toContain('render.seed must be a number ≤ 4294967295 (got 1000000000000)');
    expect(line).toMatch(/render\.format must be one of "mp4", .* \(got "mkv"\)/);
    expect(line).toMatch(/\[bad-file\]$/);
  });

  it('validate and render refuse a render size past the limits before anything is allocated (issue 24, item 3)', async () => {
    const dir = path.join(tmp, 'Huge.camtrack');
    await run('project', 'new', dir, '--image', fixture('dtu_scan1', '000001.jpg'));
    const doc = JSON.parse(await fs.readFile(path.join(dir, 'project.json'), 'utf8'));
    await fs.writeFile(
      path.join(dir, 'project.json'),
      JSON.stringify({ ...doc, render: { ...doc.render, width: 2 ** 30 } }),
    );
    err = '';
    expect(await run('project', 'validate', dir)).toBe(1);
    expect(err).toContain('render.width must be a number ≤ 8192 (got 1073741824)');
    // 8192 x 8192 x 25 frames: each side in range, the whole past the pixel budget.
    await fs.writeFile(
      path.join(dir, 'project.json'),
      JSON.stringify({ ...doc, render: { ...doc.render, width: 8192, height: 8192 } }),
    );
    err = '';
    expect(await run('project', 'validate', dir)).toBe(1);
    expect(err).toMatch(/render\.width: A render of 25 frames at 8192x8192 is 1\.68 gigapixels; at most 1\.07/);
    err = '';
    expect(await run('render', dir, '--preview', '--out', path.join(tmp, 'huge.mp4'))).toBe(1);
    expect(err).toMatch(/1\.68 gigapixels/);
    // The flags are held to the same table.
    await fs.writeFile(path.join(dir, 'project.json'), JSON.stringify(doc));
    err = '';
    expect(await run('render', dir, '--preview', '--width', '16384', '--out', path.join(tmp, 'w.mp4'))).toBe(1);
    expect(err).toContain('--width must be a whole number from 2 to 8192 (got "16384")');
    err = '';
    expect(
      await run('render', dir, '--preview', '--width', '8192', '--height', '8192', '--out', path.join(tmp, 'w.mp4')),
    ).toBe(1);
    expect(err).toMatch(/1\.68 gigapixels/);
  });

  it('new --depth decodes the depth: a .npy that will not load is refused, no project is made (issue 12, item 5)', async () => {
    // A valid .npy header of a 1-D array: it passes the format sniff and the hash, but is no depth map.
    const head = "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }\n";
    const npy = Buffer.concat([
      Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, head.length, 0]),
      Buffer.from(head, 'latin1'),
      Buffer.alloc(12),
    ]);
    const depth = path.join(tmp, 'flat.npy');
    await fs.writeFile(depth, npy);
    const dir = path.join(tmp, 'Bad.camtrack');
    expect(await run('project', 'new', dir, '--image', fixture('dtu_scan1', '000001.jpg'), '--depth', depth)).toBe(1);
    expect(err).toMatch(/flat\.npy has shape \(3\); a depth map is 2-D/);
    expect(await fs.stat(path.join(dir, 'project.json')).catch(() => null)).toBeNull();
  });

  it('validate fails with a clear message on a depth that passes its hash check but does not decode (issue 12, item 5)', async () => {
    const dir = path.join(tmp, 'Scan.camtrack');
    expect(
      await run(
        'project',
        'new',
        dir,
        '--image',
        fixture('dtu_scan1', '000001.jpg'),
        '--depth',
        fixture('dtu_scan1', '000001.pfm'),
      ),
    ).toBe(0);
    const docFile = path.join(dir, 'project.json');
    const doc = JSON.parse(await fs.readFile(docFile, 'utf8'));
    const asset = doc.depth.source.asset as { file: string; sha256: string };
    // A PFM whose header promises 160x128 pixels but that holds 10 bytes of them; the project records its sha256.
    const broken = Buffer.concat([Buffer.from('Pf\n160 128\n-1\n', 'latin1'), Buffer.alloc(10)]);
    await fs.writeFile(path.join(dir, 'assets', asset.file), broken);
    asset.sha256 = createHash('sha256').update(broken).digest('hex');
    await fs.writeFile(docFile, JSON.stringify(doc, null, 2));
    const before = await fs.readFile(docFile);
    out = '';
    err = '';
    const t0 = performance.now();
    expect(await run('project', 'validate', dir)).toBe(1);
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(lines()[0]).toMatchObject({
      path: dir,
      ok: false,
      code: 'bad-file',
      message: expect.stringMatching(
        new RegExp(
          `${asset.file.replace('.', '\\.')} is not a readable PFM file: it holds 10 bytes of pixels, 81920 are needed`,
        ),
      ),
    });
    expect(err).toMatch(/^camtrack: depth-[\w-]+\.pfm is not a readable PFM file: .* \[bad-file\]\n$/);
    expect(err).not.toMatch(/TypeError|Cannot read|\n\s+at /);
    // validate never changes the project.
    expect(await fs.readFile(docFile)).toEqual(before);
  });

  it('refuses bad options with a readable message', async () => {
    expect(await run('project', 'new', path.join(tmp, 'X'), '--fps', '-2')).toBe(1);
    expect(err).toContain('track.fps');
    expect(await run('project', 'new', path.join(tmp, 'Y'), '--depth', 'd.npy')).toBe(1);
    expect(err).toContain('--depth needs --image');
  });
});

describe('camtrack project new --orbit 360 (the showcase)', () => {
  it('makes a full orbit around the focus point that renders in windows; refuses what it cannot orbit', async () => {
    const sample = path.join(sampleProjectDir(), 'assets');
    const files = await fs.readdir(sample);
    const image = path.join(
      sample,
      files.find((f) => f.endsWith('.png'))!,
    );
    const depth = path.join(
      sample,
      files.find((f) => f.endsWith('.npy'))!,
    );
    const dir = path.join(tmp, 'Orbit');
    expect(
      await run(
        'project',
        'new',
        dir,
        '--image',
        image,
        '--depth',
        depth,
        '--orbit',
        '360',
        '--frames',
        '48',
        '--steps',
        '4',
      ),
      err,
    ).toBe(0);
    expect(lines()[0]).toMatchObject({ track: { numFrames: 48 }, lambda: { steps: 4, frames: 48 } });
    const { doc } = await openProject(`${dir}.camtrack`);
    // A key at least every 15 degrees of the 360 / 48 = 7.5 degrees a frame: frames 0, 2, 4, ..., 46, 47.
    expect(doc.track.keyframes.map((k) => k.frame)).toEqual([...Array.from({ length: 24 }, (_, i) => 2 * i), 47]);
    // The camera goes round the focus point: half-way (frame 24, 180 degrees) it is on the far side.
    const cams = evaluateTrack(doc.track, intrinsicsFromFovY(50, 64, 32));
    const focus = -(doc.track.keyframes[0].orientation as { target: number[] }).target[2];
    expect(cams[24].c2w[11]).toBeCloseTo(-2 * focus, 6);
    expect(cams[24].c2w[3]).toBeCloseTo(0, 6);
    if (doc.render.model === 'preview' || doc.render.model === 'draft') expect(doc.render.windowFrames).toBe(25);

    out = '';
    const video = path.join(tmp, 'orbit.mp4');
    expect(
      await run(
        'render',
        `${dir}.camtrack`,
        '--preview',
        '--width',
        '64',
        '--height',
        '32',
        '--window-frames',
        '25',
        '--out',
        video,
      ),
      err,
    ).toBe(0);
    const side = JSON.parse(await fs.readFile(`${video}.json`, 'utf8'));
    expect(side.windows).toEqual({
      overlap: 4,
      list: [
        { start: 0, end: 25 },
        { start: 21, end: 46 },
        { start: 23, end: 48 },
      ],
    });
    expect(side.output.frames).toBe(48);

    expect(
      await run('project', 'new', path.join(tmp, 'Half'), '--image', image, '--depth', depth, '--orbit', '180'),
    ).toBe(1);
    expect(err).toMatch(/--orbit takes 360, a full orbit \(got "180"\)/);
    expect(await run('project', 'new', path.join(tmp, 'Nothing'), '--orbit', '360')).toBe(1);
    expect(err).toMatch(/--orbit 360 needs --image \(and its depth: --depth, --estimate-depth or --depth-shape\)/);
  }, 60_000);
});
