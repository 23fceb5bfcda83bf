import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { constantLambda } from '../lambda/summary';
import { lambdaDocFromTable } from '../lambda/doc';
import { sigmasForSteps } from '../schedule/sigmas';
import { CamtrackError } from '../util/errors';
import { probeVideo } from '../video';
import { prepareWarp, warpPrepared } from '../warp/method';
import type { ProjectDoc } from '../project/schema';
import { loadRenderInputs } from './inputs';
import { renderFromSidecar } from './fromSidecar';
import { modelDirFor, renderProject, type RenderProgress } from './render';
import { readSidecar } from './sidecar';
import { writeTinyProject } from '../../test/tinyProject';

let root: string;
let projectDir: string;
let doc: ProjectDoc;
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-render-'));
  projectDir = path.join(root, 'tiny.camtrack');
  doc = await writeTinyProject(projectDir);
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

async function expectRejects(p: Promise<unknown>): Promise<CamtrackError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(CamtrackError);
    return e as CamtrackError;
  }
  throw new Error('expected a rejection');
}

/** The RGB24 8x8-block average of a float image at latent pixel (lx, ly): what the draft VAE round trip gives. */
function blockAverage(img: Float32Array, width: number, lx: number, ly: number): number[] {
  const sum = [0, 0, 0];
  for (let y = ly * 8; y < ly * 8 + 8; y++)
    for (let x = lx * 8; x < lx * 8 + 8; x++) for (let c = 0; c < 3; c++) sum[c] += img[(y * width + x) * 3 + c];
  return sum.map((s) => Math.round(Math.min(1, Math.max(0, s / 64)) * 255));
}

describe('renderProject with the draft model', () => {
  it('renders the draft at guidance 1 whatever the project asks, and says so in the notes and the sidecar', async () => {
    const out = path.join(root, 'guided.mp4');
    const r = await renderProject({
      projectDir,
      doc: { ...doc, render: { ...doc.render, guidanceMin: 1, guidanceMax: 3 } },
      out,
    });
    expect(r.notes.join('\n')).toMatch(/draft model renders at guidance 1 \(the project asks 1 to 3/);
    const side = await readSidecar(r.sidecarPath);
    expect(side.settings).toMatchObject({ guidanceMin: 1, guidanceMax: 1 });
  });

  it('with lambda = 1 the frames are the warped views where they are valid, frame 0 the photo; mp4 checked with ffprobe', async () => {
    const lambda = lambdaDocFromTable(constantLambda(4, 4, 1), 0.3, { kind: 'constant', value: 1 });
    const out = path.join(root, 'lambda1.mp4');
    const progress: RenderProgress[] = [];
    const previews: number[] = [];
    const r = await renderProject({
      projectDir,
      doc: { ...doc, lambda },
      out,
      onProgress: (p) => progress.push(p),
      onPreview: (p) => previews.push(p.step),
    });

    // The oracle: the photo warped into each camera on this thread, averaged over 8x8 blocks.
    const inputs = await loadRenderInputs(projectDir, doc);
    const prepared = prepareWarp(
      {
        image: inputs.image,
        depth: inputs.depth,
        intrinsics: inputs.intrinsics,
        c2w: inputs.cameras[0].c2w,
      },
      doc.render.warp,
    );
    let compared = 0;
    for (let f = 0; f < 4; f++) {
      const w = warpPrepared(prepared, inputs.cameras[f]);
      for (let ly = 0; ly < w.latentHeight; ly++) {
        for (let lx = 0; lx < w.latentWidth; lx++) {
          if (f > 0 && w.latentHoles[ly * w.latentWidth + lx]) continue;
          const want = blockAverage(f === 0 ? inputs.image.data : w.image, 128, lx, ly);
          for (const [dy, dx] of [
            [0, 0],
            [7, 7],
            [3, 5],
          ]) {
            const p = ((ly * 8 + dy) * 128 + lx * 8 + dx) * 3;
            for (let c = 0; c < 3; c++) expect(Math.abs(r.frames[f][p + c] - want[c])).toBeLessThanOrEqual(1);
          }
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(4 * 16 * 8 * 0.6);

    const probe = await probeVideo(out);
    expect(probe).toMatchObject({ codec: 'h264', pixFmt: 'yuv420p', frames: 4, width: 128, height: 64 });
    expect(probe.fps).toBeCloseTo(7, 6);
    // Progress: every step reported once, in order, fractions never going back, ending at 1.
    expect(progress.filter((p) => p.stage === 'denoise' && p.step! > 0).map((p) => p.step)).toEqual([1, 2, 3, 4]);
    for (let i = 1; i < progress.length; i++)
      expect(progress[i].fraction).toBeGreaterThanOrEqual(progress[i - 1].fraction);
    expect(progress.at(-1)!.fraction).toBe(1);
    expect(previews).toEqual([1, 2, 3, 4]);
    expect(r.timings.map((t) => t.stage)).toEqual([
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

  it('writes a sidecar that re-renders the same frames bit for bit; another seed gives other frames', async () => {
    const out = path.join(root, 'seeded.mp4');
    const first = await renderProject({ projectDir, doc, out, thumbnail: true });
    const side = await readSidecar(first.sidecarPath);
    expect(side.settings.seed).toBe(7);
    expect(side.source.asset.sha256).toBe(doc.image!.asset.sha256);
    expect(side.schedule.sigmas).toEqual(Array.from(sigmasForSteps(4)));
    expect(side.lambda.table).toEqual({ storage: 'inline', values: doc.lambda.values });
    expect(side.camera.poses).toHaveLength(4);
    expect(side.executionProvider).toEqual({ requested: 'cpu', used: 'cpu', fallbackReason: null });
    expect(side.model.family).toBe('draft');
    expect(side.model.files.map((f) => f.file).sort()).toEqual([
      'image_encoder.onnx',
      'unet.onnx',
      'vae_decoder.onnx',
      'vae_encoder.onnx',
    ]);
    expect(first.thumbnail).toBe(`${out}.thumb.jpg`);
    await expect(fs.stat(first.thumbnail!)).resolves.toBeTruthy();

    // The sidecar alone, with the project's assets found through its recorded folder.
    const again = await renderFromSidecar(first.sidecarPath, { out: path.join(root, 'again.mp4') });
    expect(again.frames).toEqual(first.frames);
    const other = await renderProject({ projectDir, doc, out: path.join(root, 'other.mp4'), overrides: { seed: 8 } });
    expect(other.frames[2]).not.toEqual(first.frames[2]);
    // Frame 0 is the photo whatever the seed.
    expect(other.frames[0]).toEqual(first.frames[0]);
  });

  it('refuses a lambda table of the wrong shape, naming both shapes, before anything is written', async () => {
    const out = path.join(root, 'mismatch.mp4');
    const lambda = lambdaDocFromTable(constantLambda(3, 4, 0.5), 0.3, { kind: 'constant', value: 0.5 });
    const e = await expectRejects(renderProject({ projectDir, doc: { ...doc, lambda }, out }));
    expect(e.code).toBe('shape-mismatch');
    expect(e.message).toMatch(/3 steps x 4 frames.*4 steps x 4 frames/);
    await expect(fs.stat(out)).rejects.toThrow();
    const size = await expectRejects(
      renderProject({ projectDir, doc: { ...doc, render: { ...doc.render, width: 100 } }, out }),
    );
    expect(size.message).toMatch(/100x64 .*multiples of 64/);
  });

  it('stops within one step when cancelled, leaving the previous output in place', async () => {
    const out = path.join(root, 'cancel.mp4');
    await renderProject({ projectDir, doc, out });
    const before = await fs.readFile(out);
    const sidecarBefore = await fs.readFile(`${out}.json`, 'utf8');
    const controller = new AbortController();
    const steps: number[] = [];
    const e = await expectRejects(
      renderProject({
        projectDir,
        doc,
        out,
        overrides: { seed: 99 },
        signal: controller.signal,
        onProgress: (p) => {
          if (p.stage !== 'denoise' || !p.step) return;
          steps.push(p.step);
          if (p.step === 2) controller.abort();
        },
      }),
    );
    expect(e.code).toBe('cancelled');
    expect(steps).toEqual([1, 2]);
    expect((await fs.readFile(out)).equals(before)).toBe(true);
    expect(await fs.readFile(`${out}.json`, 'utf8')).toBe(sidecarBefore);
    expect((await fs.readdir(root)).filter((n) => n.includes('partial'))).toEqual([]);
  });

  it('stops the warp worker pool at once when cancelled during a large warp', async () => {
    const controller = new AbortController();
    const stages: string[] = [];
    let framesAfterAbort = 0;
    const e = await expectRejects(
      renderProject({
        projectDir,
        // 4 frames of 1024x512: enough pixels for the worker pool.
        doc: { ...doc, render: { ...doc.render, width: 1024, height: 512 } },
        out: path.join(root, 'warp-cancel.mp4'),
        signal: controller.signal,
        onProgress: (p) => {
          stages.push(p.stage);
          if (p.stage !== 'warp' || p.fraction <= 0.03) return;
          if (controller.signal.aborted) framesAfterAbort++;
          else controller.abort();
        },
      }),
    );
    expect(e.code).toBe('cancelled');
    expect(e.message).toMatch(/warp/);
    expect(stages.filter((s) => s !== 'load' && s !== 'warp')).toEqual([]);
    // The frame the other worker had in flight may land; the two not started yet never do.
    expect(framesAfterAbort).toBeLessThanOrEqual(1);
  });

  it('takes a model folder relative to the project, records it absolute, and re-hashes it when its files changed', async () => {
    const model = path.join(root, 'model-copy');
    await fs.cp(modelDirFor('draft'), model, { recursive: true });
    const out = path.join(root, 'model-copy.mp4');
    const first = await renderProject({ projectDir, doc, out, overrides: { model: path.relative(projectDir, model) } });
    expect(first.sidecar.model.location).toBe(model);
    // Same size, other bytes: only the sha256 can tell.
    const file = path.join(model, 'vae_decoder.onnx');
    const bytes = await fs.readFile(file);
    bytes[bytes.length - 1] ^= 0xff;
    await fs.writeFile(file, bytes);
    const e = await expectRejects(renderProject({ projectDir, doc, out, overrides: { model } }));
    expect(e.code).toBe('model');
    expect(e.message).toMatch(/vae_decoder\.onnx has sha256/);
  });

  it("shows ffmpeg's own message when it fails, and leaves the previous output and sidecar intact", async () => {
    const out = path.join(root, 'ffmpeg-fails.mp4');
    await renderProject({ projectDir, doc, out });
    const before = await fs.readFile(out);
    const sidecarBefore = await fs.readFile(`${out}.json`, 'utf8');
    const fake = path.join(root, 'fake-ffmpeg.sh');
    await fs.writeFile(fake, '#!/bin/sh\necho "Unknown encoder libx264 (this build has no H.264)" >&2\nexit 1\n', {
      mode: 0o755,
    });
    const saved = process.env.FFMPEG_PATH;
    process.env.FFMPEG_PATH = fake;
    try {
      const e = await expectRejects(renderProject({ projectDir, doc, out, overrides: { seed: 5 } }));
      expect(e.code).toBe('ffmpeg');
      expect(`${e.message}\n${e.detail ?? ''}`).toMatch(/Unknown encoder libx264/);
    } finally {
      if (saved === undefined) delete process.env.FFMPEG_PATH;
      else process.env.FFMPEG_PATH = saved;
    }
    expect((await fs.readFile(out)).equals(before)).toBe(true);
    expect(await fs.readFile(`${out}.json`, 'utf8')).toBe(sidecarBefore);
  });

  it('commits the video and its sidecar as a pair: a failure writing the sidecar into place leaves the old video and old sidecar (issue 12, item 6)', async () => {
    const out = path.join(root, 'pair.mp4');
    await renderProject({ projectDir, doc, out, thumbnail: true });
    const before = await fs.readFile(out);
    const sidecarBefore = await fs.readFile(`${out}.json`, 'utf8');
    const thumbBefore = await fs.readFile(`${out}.thumb.jpg`);
    const rename = fs.rename.bind(fs);
    const spy = vi.spyOn(fs, 'rename').mockImplementation(async (from, to) => {
      if (String(to) === `${out}.json`)
        throw Object.assign(new Error('ENOSPC: no space left on device, rename'), { code: 'ENOSPC' });
      return rename(from, to);
    });
    try {
      await expectRejects(renderProject({ projectDir, doc, out, thumbnail: true, overrides: { seed: 12345 } }));
    } finally {
      spy.mockRestore();
    }
    expect((await fs.readFile(out)).equals(before)).toBe(true);
    expect(await fs.readFile(`${out}.json`, 'utf8')).toBe(sidecarBefore);
    expect((await fs.readFile(`${out}.thumb.jpg`)).equals(thumbBefore)).toBe(true);
    expect((await fs.readdir(root)).filter((n) => /\.(partial|tmp|commit)|\.old$/.test(n))).toEqual([]);
    // And the next render that succeeds replaces the whole set.
    const r = await renderProject({ projectDir, doc, out, thumbnail: true, overrides: { seed: 12345 } });
    expect(r.sidecar.settings.seed).toBe(12345);
    expect((await readSidecar(`${out}.json`)).output.bytes).toBe((await fs.stat(out)).size);
  });
});
