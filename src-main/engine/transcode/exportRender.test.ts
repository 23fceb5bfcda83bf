import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/tmp';
import { renderProject } from '../render/render';
import { writeTinyProject } from '../../test/tinyProject';
import { probeVideo } from '../video/probe';
import { resolveFfmpeg } from '../video/resolve-ffmpeg';
import { decodeFrames } from './decode';
import { exportPathFor, exportRender } from './exportRender';
import { masterPathFor, writeMaster } from './master';
import { readExportSidecar } from './sidecar';

/**
 * Exports of a finished render without rendering again: a 14-frame 7 fps preview render of the
 * tiny project, kept with its lossless master (as the studio's queue keeps it), exported to every
 * format and to 24 and 30 fps; ffprobe checks codec, frame count and rate, and the frames read
 * back are compared with the render's own.
 */
const root = tempDir('camtrack-transcode-');
const W = 128;
const H = 64;
let render: string;
let frames: Uint8Array[];

const meanAbs = (a: Uint8Array, b: Uint8Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return s / a.length;
};
const maxAbs = (a: Uint8Array, b: Uint8Array) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};
async function readPng(folder: string, count: number): Promise<Uint8Array[]> {
  const ffmpeg = (await resolveFfmpeg()).path;
  const out: Uint8Array[] = [];
  for await (const f of decodeFrames({
    ffmpeg,
    source: { input: path.join(folder, 'frame_%04d.png'), pngRate: 1 },
    width: W,
    height: H,
    count,
  }))
    out.push(f);
  return out;
}

beforeAll(async () => {
  const projectDir = path.join(root, 'tiny.camtrack');
  const doc = await writeTinyProject(projectDir, { frames: 14, degreesPerFrame: 3, render: { model: 'preview' } });
  render = path.join(projectDir, 'renders', 'shot.mp4');
  const r = await renderProject({ projectDir, doc, out: render });
  frames = r.frames;
  await writeMaster({ output: render, frames, width: W, height: H, fps: doc.track.fps });
}, 120_000);

describe('exporting a finished render', () => {
  it('keeps a bit-exact master: PNG frames exported at the render rate are the rendered frames', async () => {
    const r = await exportRender({ render, format: 'png' });
    expect(r.out).toBe(exportPathFor(render, 'png', 7));
    const back = await readPng(r.out, 14);
    expect(back).toHaveLength(14);
    back.forEach((f, i) => expect(Buffer.compare(Buffer.from(f), Buffer.from(frames[i]))).toBe(0));
    expect(r.sidecar.source).toEqual({
      render: 'shot.mp4',
      sidecar: 'shot.mp4.json',
      frames: 14,
      fps: 7,
      readFrom: 'master',
      lossless: true,
    });
    expect(r.sidecar.interpolation).toBeNull();
    expect(await readExportSidecar(r.sidecarPath)).toEqual(r.sidecar);
  });

  it('writes webm and gif at the render rate: ffprobe reads the codec, 14 frames and 7 fps', async () => {
    for (const [format, codec] of [
      ['webm', 'vp9'],
      ['gif', 'gif'],
    ] as const) {
      const r = await exportRender({ render, format });
      expect(path.basename(r.out)).toBe(`shot-7fps.${format}`);
      const p = await probeVideo(r.out);
      expect(p).toMatchObject({ codec, frames: 14, width: W, height: H });
      expect(p.fps).toBeCloseTo(7, 6);
      expect(r.sidecar.output).toMatchObject({ file: `shot-7fps.${format}`, format, frames: 14, fps: 7 });
      expect(r.sidecar.output.bytes).toBe((await fs.stat(r.out)).size);
    }
  }, 60_000);

  it('interpolates to 24 and 30 fps: 48 and 60 frames for the same 2 s, recorded in the sidecar', async () => {
    const mp4 = await exportRender({ render, format: 'mp4', fps: 24 });
    expect(path.basename(mp4.out)).toBe('shot-24fps.mp4');
    const p = await probeVideo(mp4.out);
    expect(p).toMatchObject({ codec: 'h264', frames: 48, width: W, height: H });
    expect(p.fps).toBeCloseTo(24, 6);
    expect(mp4.sidecar.interpolation).toMatchObject({ method: 'minterpolate', fromFps: 7, toFps: 24 });
    expect(mp4.sidecar.interpolation!.filter).toContain('minterpolate=fps=24');
    expect(mp4.sidecar.output).toMatchObject({ frames: 48, fps: 24, crf: 18 });

    const gif = await exportRender({ render, format: 'gif', fps: 30 });
    const g = await probeVideo(gif.out);
    expect(g).toMatchObject({ codec: 'gif', frames: 60 });
    expect(gif.sidecar.output.fps).toBe(30);
  }, 120_000);

  it('makes the frames between by motion: at 14 fps every other frame is a rendered one, the others new', async () => {
    const r = await exportRender({ render, format: 'png', fps: 14 });
    const back = await readPng(r.out, 28);
    expect(back).toHaveLength(28);
    for (let k = 0; k < 14; k++) {
      // Full-range 4:4:4 on the way through minterpolate: a rendered frame comes back within one level.
      expect(maxAbs(back[2 * k], frames[k])).toBeLessThanOrEqual(1);
    }
    // An in-between frame is neither neighbour (no duplicate), and closer to them than they are to each other.
    for (const k of [3, 7, 10]) {
      const mid = back[2 * k + 1];
      const step = meanAbs(frames[k], frames[k + 1]);
      expect(meanAbs(mid, frames[k])).toBeGreaterThan(0.05);
      expect(meanAbs(mid, frames[k + 1])).toBeGreaterThan(0.05);
      expect(meanAbs(mid, frames[k])).toBeLessThan(step);
      expect(meanAbs(mid, frames[k + 1])).toBeLessThan(step);
    }
  }, 60_000);

  it('without a master, reads the video itself and says so (one more lossy pass)', async () => {
    const bare = path.join(path.dirname(render), 'bare.mp4');
    await fs.copyFile(render, bare);
    await fs.copyFile(`${render}.json`, `${bare}.json`);
    const sc = JSON.parse(await fs.readFile(`${bare}.json`, 'utf8'));
    sc.output.file = 'bare.mp4';
    await fs.writeFile(`${bare}.json`, JSON.stringify(sc));
    expect(existsSync(masterPathFor(bare))).toBe(false);
    const r = await exportRender({ render: bare, format: 'webm' });
    expect(r.sidecar.source).toMatchObject({ render: 'bare.mp4', readFrom: 'video', lossless: false });
    expect((await probeVideo(r.out)).frames).toBe(14);
  }, 60_000);

  it('refuses an export of an export, a render without sidecar, and a cancelled export leaves nothing', async () => {
    const gif = exportPathFor(render, 'gif', 7);
    await expect(exportRender({ render: gif, format: 'mp4' })).rejects.toThrow(/is itself an export/);
    const loose = path.join(root, 'loose.mp4');
    await fs.copyFile(render, loose);
    await expect(exportRender({ render: loose, format: 'gif' })).rejects.toThrow(/has no sidecar \(loose\.mp4\.json\)/);

    const controller = new AbortController();
    const out = path.join(path.dirname(render), 'cancelled.webm');
    const run = exportRender({
      render,
      format: 'webm',
      fps: 30,
      out,
      signal: controller.signal,
      onProgress: (p) => p.framesWritten >= 5 && controller.abort(),
    });
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.json`)).toBe(false);
  }, 60_000);
});
