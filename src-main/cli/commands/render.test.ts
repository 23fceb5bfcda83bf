import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSidecar } from '../../engine/render/sidecar';
import { sampleProjectDir, writeTinyProject } from '../../test/tinyProject';
import { probeVideo } from '../../engine/video';
import { frameSimilarity } from '../../engine/preview';
import sharp from 'sharp';
import { runCli } from '../../test/cli';
import { outputFormat } from './render';

let tmp: string;
let tiny: string;
let out: string;
let err: string;
const file = (name: string) => path.join(tmp, name);
/** `camtrack render ARGS` through the shared in-process runner; what it printed stays in `out` and `err` for the assertions. */
const run = async (...args: string[]) => {
  const r = await runCli('render', ...args);
  out = r.out;
  err = r.err;
  return r.code;
};

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-cli-render-'));
  tiny = file('tiny.camtrack');
  await writeTinyProject(tiny);
});
afterAll(() => fs.rm(tmp, { recursive: true, force: true }));

describe('camtrack render', () => {
  it('renders the committed sample project with the draft model to a playable mp4, and says the draft model is used', async () => {
    const target = file('sample.mp4');
    expect(await run(sampleProjectDir(), '--out', target, '--ep', 'cpu')).toBe(0);
    expect(err).toMatch(/built-in draft model/);
    expect(err).toMatch(/denoise step 25\/25/);
    const probe = await probeVideo(target);
    expect(probe).toMatchObject({ codec: 'h264', pixFmt: 'yuv420p', frames: 14, width: 320, height: 192 });
    expect(probe.fps).toBeCloseTo(7, 6);
    const summary = JSON.parse(out.trim().split('\n').at(-1)!);
    expect(summary).toMatchObject({ out: target, frames: 14, format: 'mp4', executionProvider: 'cpu' });
    expect(Object.keys(summary.timingsMs)).toEqual([
      'load',
      'warp',
      'model',
      'encode',
      'denoise',
      'decode',
      'export',
      'sidecar',
    ]);
  });

  it('writes png and webm, and remakes the lambda table for --steps', async () => {
    expect(await run(tiny, '--out', file('frames'), '--format', 'png', '--steps', '3')).toBe(0);
    expect(err).toMatch(/lambda table \(4 x 4, the default preset\) was recomputed for 3 steps x 4 frames/);
    expect(await probeVideo(file('frames'))).toMatchObject({ codec: 'png', frames: 4, width: 128, height: 64 });
    const side = await readSidecar(file('frames.json'));
    expect(side.lambda).toMatchObject({ steps: 3, frames: 4 });
    expect(side.schedule.sigmas).toHaveLength(4);

    expect(await run(tiny, '--out', file('clip.webm'), '--seed', '11')).toBe(0);
    const webm = await probeVideo(file('clip.webm'));
    expect(webm).toMatchObject({ codec: 'vp9', frames: 4, width: 128, height: 64 });
    expect(webm.pixFmt).toBe('yuv420p');
    expect((await readSidecar(file('clip.webm.json'))).settings.seed).toBe(11);
  });

  it('writes gif, and re-renders its sidecar to the same file', async () => {
    expect(await run(tiny, '--out', file('first.gif'), '--seed', '3')).toBe(0);
    const gif = await probeVideo(file('first.gif'));
    expect(gif).toMatchObject({ codec: 'gif', frames: 4, width: 128, height: 64 });
    expect(gif.fps).toBeCloseTo(7, 0);
    expect(await run(file('first.gif.json'), '--out', file('again.gif'))).toBe(0);
    expect((await fs.readFile(file('again.gif'))).equals(await fs.readFile(file('first.gif')))).toBe(true);
  });

  it('--preview renders the sample without a model at any even size (--width/--height), and the camera visibly moves', async () => {
    const target = file('preview-frames');
    expect(
      await run(
        sampleProjectDir(),
        '--preview',
        '--width',
        '258',
        '--height',
        '146',
        '--format',
        'png',
        '--out',
        target,
      ),
    ).toBe(0);
    expect(err).toMatch(/Preview: no model/);
    const summary = JSON.parse(out.trim().split('\n').at(-1)!);
    expect(summary).toMatchObject({ frames: 14, width: 258, height: 146, format: 'png' });
    expect(Object.keys(summary.timingsMs)).toEqual(['load', 'warp', 'export', 'sidecar']);
    expect((await readSidecar(file('preview-frames.json'))).renderKind).toBe('preview');
    const names = (await fs.readdir(target)).filter((n) => n.endsWith('.png')).sort();
    expect(names).toHaveLength(14);
    const read = async (n: string) =>
      new Uint8Array((await sharp(path.join(target, n)).removeAlpha().raw().toBuffer()).buffer);
    const similarity = frameSimilarity(await read(names[0]), await read(names[13]), 258, 146);
    expect(similarity).toBeLessThan(0.7);
    err = '';
    expect(await run(sampleProjectDir(), '--preview', '--width', '257', '--out', file('odd.mp4'))).toBe(1);
    expect(err).toMatch(/257x192 must have even width and height/);
    err = '';
    expect(await run(sampleProjectDir(), '--model', 'draft', '--width', '250', '--out', file('odd.mp4'))).toBe(1);
    expect(err).toMatch(/multiples of 64/);
  });

  it('fails with a clear message and a non-zero exit code', async () => {
    expect(await run(file('missing.camtrack'), '--out', file('x.mp4'))).toBe(1);
    expect(err).toMatch(/missing\.camtrack/);
    err = '';
    expect(await run(tiny, '--out', file('x.mp4'), '--format', 'gif')).toBe(1);
    expect(err).toMatch(/\.mp4 file name but --format is gif/);
    err = '';
    expect(await run(tiny, '--out', file('x.mp4'), '--model', file('no-model'))).toBe(1);
    expect(err).toMatch(/not a model folder/);
    await expect(fs.stat(file('x.mp4'))).rejects.toThrow();
  });

  it('takes the format from --format, else the extension, else the project', () => {
    expect(outputFormat('a.webm', undefined, 'mp4')).toBe('webm');
    expect(outputFormat('frames', undefined, 'gif')).toBe('gif');
    expect(outputFormat('frames', 'png', 'mp4')).toBe('png');
    expect(() => outputFormat('a.mp4', 'webm', 'mp4')).toThrow(/--format is webm/);
    expect(() => outputFormat('a.mov', 'mp4', 'mp4')).toThrow(/not \.mp4/);
    // An extension camtrack does not write is refused, not filled with MP4 bytes.
    expect(() => outputFormat('clip.mkv', undefined, 'mp4')).toThrow(
      '--out clip.mkv: camtrack does not write .mkv files. Use .mp4, .webm or .gif (or --format png with a folder).',
    );
  });
});
