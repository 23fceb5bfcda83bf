import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSidecar } from '../../engine/render/sidecar';
import { writeTinyProject } from '../../test/tinyProject';
import { probeVideo } from '../../engine/video';
import { runCli } from '../../test/cli';

let tmp: string;
let project: string;
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-cli-windows-'));
  project = path.join(tmp, 'long.camtrack');
  await writeTinyProject(project, { frames: 60, degreesPerFrame: 0.5 });
});
afterAll(() => fs.rm(tmp, { recursive: true, force: true }));

describe('camtrack render --preview --window-frames', () => {
  it('renders a 60-frame track in three 25-frame windows end to end: ffprobe-valid mp4 of 60 frames, progress per window, windows in the sidecar', async () => {
    const out = path.join(tmp, 'long.mp4');
    const r = await runCli('render', project, '--preview', '--window-frames', '25', '--out', out);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/warp, window 1\/3/);
    expect(r.err).toMatch(/warp, window 3\/3/);
    expect(await probeVideo(out)).toMatchObject({
      codec: 'h264',
      pixFmt: 'yuv420p',
      frames: 60,
      width: 128,
      height: 64,
    });
    const side = await readSidecar(`${out}.json`);
    expect(side.settings).toMatchObject({ windowFrames: 25 });
    expect(side.windows).toEqual({
      overlap: 4,
      list: [
        { start: 0, end: 25 },
        { start: 21, end: 46 },
        { start: 35, end: 60 },
      ],
    });
  }, 120_000);

  it('refuses an overlap as long as the window, naming both', async () => {
    const r = await runCli(
      'render',
      project,
      '--preview',
      '--window-frames',
      '25',
      '--window-overlap',
      '25',
      '--out',
      path.join(tmp, 'bad.mp4'),
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/overlap \(25\) must be smaller than the model's frame count \(25\)/);
  });
});
