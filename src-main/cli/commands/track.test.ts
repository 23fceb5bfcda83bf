import { tempDir } from '../../test/tmp';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { evaluateTrack } from '../../engine/camera/evaluate';
import { renderIntrinsics, sourceIntrinsics } from '../../engine/camera/intrinsics';
import { parseCameraPath } from '../../engine/camera/nerfstudio';
import { parseTrack } from '../../engine/camera/track-json';
import { writeTinyProject } from '../../test/tinyProject';
import { runCli } from '../../test/cli';
import { writeNpy } from '../../engine/npy/npy';
import { openProject } from '../../engine/project/store';
import { loadRenderInputs } from '../../engine/render/inputs';
import { focusDepth } from '../../engine/render/orbitShowcase';

const run = runCli;

const dir = tempDir('camtrack-track-');
afterEach(() => vi.restoreAllMocks());

describe('camtrack track preset', () => {
  it('writes an orbit as a camera path: 90 degrees around a target 2 ahead ends at (2, 0, -2), yawed +90', async () => {
    const out = path.join(dir, 'orbit.json');
    const trackOut = path.join(dir, 'orbit.track.json');
    const r = await run(
      'track',
      'preset',
      'orbit',
      '--frames',
      '25',
      '--degrees-per-frame',
      '3.75',
      '--target-depth',
      '2',
      '--width',
      '1024',
      '--height',
      '576',
      '--out',
      out,
      '--track-out',
      trackOut,
    );
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ preset: 'orbit', frames: 25, fps: 7, keys: 7 });
    const p = parseCameraPath(readFileSync(out, 'utf8'));
    expect([p.frames.length, p.width, p.height, p.fps]).toEqual([25, 1024, 576, 7]);
    const last = p.frames[24].c2w;
    const expected = [0, 0, 1, 2, 0, 1, 0, 0, -1, 0, 0, -2, 0, 0, 0, 1];
    last.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(1e-12));
    // The default source camera: 60 degrees horizontal.
    expect(p.frames[0].intrinsics.fx).toBeCloseTo(512 / Math.tan(Math.PI / 6), 9);
    // The track file evaluates to the same cameras.
    const cams = evaluateTrack(parseTrack(readFileSync(trackOut, 'utf8')), sourceIntrinsics(1024, 576));
    cams.forEach((c, f) => c.c2w.forEach((v, i) => expect(Math.abs(v - p.frames[f].c2w[i])).toBeLessThan(1e-12)));
  });

  it('passes preset options through (dolly with easing, zoom, crane, arc) and the source focal length', async () => {
    const out = path.join(dir, 'dolly.json');
    expect(
      (
        await run(
          'track',
          'preset',
          'dolly',
          '--frames',
          '14',
          '--distance',
          '1.5',
          '--easing',
          'easeInOut',
          '--width',
          '640',
          '--height',
          '480',
          '--focal35',
          '36',
          '--out',
          out,
        )
      ).code,
    ).toBe(0);
    const d = parseCameraPath(readFileSync(out, 'utf8'));
    expect(d.frames[13].c2w[11]).toBeCloseTo(-1.5, 12);
    expect(d.frames[1].c2w[11]).toBeGreaterThan(-1.5 / 13); // eased: slower than linear at the start
    expect(d.frames[0].intrinsics.fx).toBeCloseTo((36 * 800) / Math.hypot(36, 24), 9);
    expect(
      (
        await run(
          'track',
          'preset',
          'zoom',
          '--frames',
          '5',
          '--factor',
          '2',
          '--width',
          '64',
          '--height',
          '64',
          '--out',
          out,
        )
      ).code,
    ).toBe(0);
    const z = parseCameraPath(readFileSync(out, 'utf8'));
    expect(z.frames[4].intrinsics.fy / z.frames[0].intrinsics.fy).toBeCloseTo(2, 9);
    expect(
      (
        await run(
          'track',
          'preset',
          'crane',
          '--frames',
          '5',
          '--rise-by',
          '1',
          '--target-depth',
          '2',
          '--width',
          '64',
          '--height',
          '64',
          '--out',
          out,
        )
      ).code,
    ).toBe(0);
    expect(parseCameraPath(readFileSync(out, 'utf8')).frames[4].c2w[6]).toBeCloseTo(1 / Math.sqrt(5), 12);
    expect(
      (
        await run(
          'track',
          'preset',
          'arc',
          '--frames',
          '9',
          '--end',
          '1,0,-1',
          '--target-depth',
          '1',
          '--width',
          '64',
          '--height',
          '64',
          '--out',
          out,
        )
      ).code,
    ).toBe(0);
    expect(parseCameraPath(readFileSync(out, 'utf8')).frames[8].c2w[3]).toBeCloseTo(1, 12);
  });

  it('exports a track file to a camera path at another size', async () => {
    const trackOut = path.join(dir, 't.json');
    await run(
      'track',
      'preset',
      'truck',
      '--frames',
      '5',
      '--distance',
      '1',
      '--width',
      '64',
      '--height',
      '64',
      '--out',
      path.join(dir, 'x.json'),
      '--track-out',
      trackOut,
    );
    const out = path.join(dir, 'exported.json');
    const r = await run('track', 'export', trackOut, '--width', '320', '--height', '180', '--out', out);
    expect(r.code, r.err).toBe(0);
    const p = parseCameraPath(readFileSync(out, 'utf8'));
    expect([p.width, p.height, p.frames.length]).toEqual([320, 180, 5]);
    expect(p.frames[4].c2w[3]).toBeCloseTo(1, 12);
  });

  it('refuses unknown presets, missing and bad options with a readable line', async () => {
    const out = path.join(dir, 'bad.json');
    const common = ['--frames', '14', '--width', '64', '--height', '64', '--out', out];
    const cases: [string[], RegExp][] = [
      [['spin', ...common], /Unknown preset "spin"/],
      [['dolly', ...common], /dolly preset needs --distance/],
      [['arc', ...common], /needs --end/],
      [['zoom', ...common], /needs --factor or --end-fov/],
      [['orbit', '--direction', 'up', ...common], /direction is "ccw" or "cw"/],
      [['truck', '--distance', 'far', ...common], /--distance must be a number/],
      [['dolly', '--distance', '1', '--easing', 'bounce', ...common], /--easing is one of/],
      [['arc', '--end', '1,2', ...common], /--end must be three numbers/],
    ];
    for (const [args, re] of cases) {
      const r = await run('track', 'preset', ...args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.err).toMatch(re);
      expect(r.err).toMatch(/\[bad-input\]/);
    }
  });
});

describe('camtrack track preset size', () => {
  it('defaults the size to 1024x576, or to the --project render size; a flag still wins', async () => {
    const plain = await run('track', 'preset', 'orbit', '--frames', '5', '--out', path.join(dir, 'default.json'));
    expect(plain.code).toBe(0);
    expect(JSON.parse(plain.out)).toMatchObject({ width: 1024, height: 576 });
    const project = path.join(dir, 'sized.camtrack');
    await writeTinyProject(project, { render: { width: 320, height: 192 } });
    const fromProject = await run(
      'track',
      'preset',
      'orbit',
      '--frames',
      '5',
      '--project',
      project,
      '--out',
      path.join(dir, 'project.json'),
    );
    expect(JSON.parse(fromProject.out)).toMatchObject({ width: 320, height: 192 });
    const path0 = JSON.parse(readFileSync(path.join(dir, 'project.json'), 'utf8')) as {
      render_width: number;
      render_height: number;
    };
    expect([path0.render_width, path0.render_height]).toEqual([320, 192]);
    const override = await run(
      'track',
      'preset',
      'orbit',
      '--frames',
      '5',
      '--project',
      project,
      '--width',
      '256',
      '--out',
      path.join(dir, 'override.json'),
    );
    expect(JSON.parse(override.out)).toMatchObject({ width: 256, height: 192 });
  });
});

describe('camtrack track preset bounds', () => {
  it('refuses a turn per frame beyond 90 degrees (-1e9 made a chaotic track)', async () => {
    const r = await run(
      'track',
      'preset',
      'orbit',
      '--frames',
      '25',
      '--degrees-per-frame',
      '-1e9',
      '--width',
      '1024',
      '--height',
      '576',
      '--out',
      path.join(dir, 'chaos.json'),
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Degrees per frame must be from -90 to 90 \(got -1000000000\)/);
  });
});

describe('camtrack track preset defaults (frames, fps, target depth)', () => {
  const orbitEnd = (file: string) => {
    const p = parseCameraPath(readFileSync(file, 'utf8'));
    const c = p.frames[p.frames.length - 1].c2w;
    return { frames: p.frames.length, fps: p.fps, position: [c[3], c[7], c[11]] };
  };

  it('needs no --frames: 25 at 7 fps without a project, the project frames and fps with one; the help says so', async () => {
    const plain = await run('track', 'preset', 'dolly', '--distance', '1', '--out', path.join(dir, 'd25.json'));
    expect(plain.code, plain.err).toBe(0);
    expect(JSON.parse(plain.out)).toMatchObject({ frames: 25, fps: 7 });
    expect(orbitEnd(path.join(dir, 'd25.json'))).toMatchObject({ frames: 25, fps: 7 });

    const project = path.join(dir, 'frames.camtrack');
    await writeTinyProject(project, { frames: 9 });
    const dolly = (out: string, ...more: string[]) =>
      run('track', 'preset', 'dolly', '--distance', '1', '--project', project, ...more, '--out', path.join(dir, out));
    const withProject = await dolly('d9.json');
    expect(withProject.code, withProject.err).toBe(0);
    expect(JSON.parse(withProject.out)).toMatchObject({ frames: 9, fps: 7 });
    // A flag still wins over the project.
    expect(JSON.parse((await dolly('d14.json', '--frames', '14')).out)).toMatchObject({ frames: 14 });

    const help = await run('track', 'preset', '--help');
    expect(help.out.replace(/\s+/g, ' ')).toMatch(/--frames <n> number of frames \(default: the --project's, else 25/);
    expect(help.out.replace(/\s+/g, ' ')).toMatch(/--target-depth <d>.*default: the scene's focus depth/);
  });

  it("--apply makes the preset the project's track, saved, with the lambda table remade for its frame count", async () => {
    const project = path.join(dir, 'apply.camtrack');
    await writeTinyProject(project, { frames: 9 });
    const before = (await openProject(project)).doc;
    const r = await run(
      'track',
      'preset',
      'dolly',
      '--distance',
      '2',
      '--frames',
      '12',
      '--project',
      project,
      '--apply',
    );
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ applied: project, out: null, frames: 12 });
    expect(JSON.parse(r.out).notes.join(' ')).toMatch(/recomputed for 4 steps x 12 frames/);
    const { doc } = await openProject(project);
    expect(doc.track.numFrames).toBe(12);
    expect([doc.lambda.steps, doc.lambda.frames]).toEqual([4, 12]);
    // The camera moves 2 units forward (-z), from the photo's camera, which is unchanged.
    const cams = evaluateTrack(doc.track, renderIntrinsics(doc).intrinsics);
    expect(cams[0].c2w[11]).toBeCloseTo(0, 12);
    expect(cams[11].c2w[11]).toBeCloseTo(-2, 12);
    expect(doc.image).toEqual(before.image);
    // --apply needs the project, and one of --out and --apply is needed.
    const noProject = await run('track', 'preset', 'orbit', '--apply');
    expect(noProject.code).not.toBe(0);
    expect(noProject.err).toMatch(/--apply makes the move a project's track: name it with --project/);
    const nowhere = await run('track', 'preset', 'orbit', '--project', project);
    expect(nowhere.err).toMatch(/--out camera_path\.json, or --apply/);
  });

  it("turns around the scene's focus depth (the median depth) of --depth or --project when --target-depth is left out", async () => {
    // A depth map whose median is 3: a quarter orbit around it ends at (3, 0, -3).
    const z = new Float32Array(64 * 48).map((_, i) => (i % 4 === 0 ? 10 : i % 4 === 1 ? 1 : 3));
    const depthFile = path.join(dir, 'median3.npy');
    writeFileSync(depthFile, writeNpy(z, [48, 64]));
    const orbit = (out: string, ...more: string[]) =>
      run(
        'track',
        'preset',
        'orbit',
        '--frames',
        '25',
        '--degrees-per-frame',
        '3.75',
        ...more,
        '--out',
        path.join(dir, out),
      );
    const fromDepth = await orbit('o-depth.json', '--depth', depthFile);
    expect(fromDepth.code, fromDepth.err).toBe(0);
    expect(JSON.parse(fromDepth.out)).toMatchObject({ targetDepth: 3, targetDepthFrom: 'depth' });
    orbitEnd(path.join(dir, 'o-depth.json')).position.forEach((v, i) => expect(v).toBeCloseTo([3, 0, -3][i], 9));

    // The project: its mapped depth at the render size, as the 360° showcase reads it.
    const project = path.join(dir, 'focus.camtrack');
    await writeTinyProject(project);
    const opened = await openProject(project);
    const expected = focusDepth((await loadRenderInputs(opened.dir, opened.doc)).depth);
    expect(expected).not.toBe(1);
    const fromProject = await orbit('o-project.json', '--project', project);
    expect(JSON.parse(fromProject.out)).toMatchObject({ targetDepth: expected, targetDepthFrom: 'project' });
    const end = orbitEnd(path.join(dir, 'o-project.json')).position;
    expect(end[0]).toBeCloseTo(expected, 6);
    expect(end[2]).toBeCloseTo(-expected, 6);

    // Without either, 1 as before; a flag always wins.
    const plain = await orbit('o-plain.json');
    expect(JSON.parse(plain.out)).toMatchObject({ targetDepth: 1, targetDepthFrom: 'default' });
    const flag = await orbit('o-flag.json', '--depth', depthFile, '--target-depth', '2');
    expect(JSON.parse(flag.out)).toMatchObject({ targetDepth: 2, targetDepthFrom: 'flag' });
  });
});

describe('camtrack track export of a project', () => {
  it("takes a project folder or its project.json (the project's track at its render size)", async () => {
    const project = path.join(dir, 'export-me.camtrack');
    const doc = await writeTinyProject(project, { frames: 6 });
    for (const given of [project, path.join(project, 'project.json')]) {
      const out = path.join(dir, `from-project-${path.basename(given)}.json`);
      const r = await run('track', 'export', given, '--out', out);
      expect(r.code, r.err).toBe(0);
      expect(JSON.parse(r.out)).toMatchObject({ frames: 6, keys: doc.track.keyframes.length });
      const p = parseCameraPath(readFileSync(out, 'utf8'));
      expect([p.frames.length, p.width, p.height]).toEqual([6, doc.render.width, doc.render.height]);
    }
  });

  it('says what it wants for a folder that is not a project (it answered "Internal error: EISDIR")', async () => {
    const folder = path.join(dir, 'not-a-project');
    mkdirSync(folder, { recursive: true });
    const r = await run('track', 'export', folder, '--out', path.join(dir, 'x.json'));
    expect(r.code).toBe(1);
    expect(r.err).not.toMatch(/EISDIR|Internal error/);
    expect(r.err).toMatch(
      /is a folder without a project\.json: give a Camtrack track file \(track\.json\) or a project folder/,
    );
    const missing = await run('track', 'export', path.join(dir, 'nope.camtrack'), '--out', path.join(dir, 'y.json'));
    expect(missing.err).toMatch(/does not exist: give a track file or a project folder/);
  });
});
