import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderProject } from '../../engine/render/render';
import { writeTinyProject } from '../../test/tinyProject';
import { probeVideo } from '../../engine/video/probe';
import { tempDir } from '../../test/tmp';
import { runCli } from '../../test/cli';

describe('camtrack export', () => {
  it('exports a render made on the command line to webm at 30 fps (read from its video: no master)', async () => {
    const dir = tempDir('camtrack-cli-export-');
    const projectDir = path.join(dir, 'p.camtrack');
    const doc = await writeTinyProject(projectDir, { frames: 7, render: { model: 'preview', width: 64, height: 32 } });
    const render = path.join(dir, 'clip.mp4');
    await renderProject({ projectDir, doc, out: render });
    const r = await runCli('export', render, '--format', 'webm', '--fps', '30');
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out);
    expect(out).toMatchObject({
      out: path.join(dir, 'clip-30fps.webm'),
      format: 'webm',
      frames: 30,
      fps: 30,
      readFrom: 'video',
      interpolated: true,
    });
    expect(await probeVideo(out.out)).toMatchObject({ codec: 'vp9', frames: 30 });
    const bad = await runCli('export', render, '--format', 'avi');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/--format is one of mp4, webm, gif, png \(got "avi"\)/);
  }, 60_000);
});
