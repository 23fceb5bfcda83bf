import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SvdPipeline } from '../models/svdPipeline';
import type { LambdaDoc } from '../project/schema';
import { renderProject, type RenderProgress } from '../render/render';
import { readSidecar, readSidecarLambda } from '../render/sidecar';
import { writeTinyProject } from '../../test/tinyProject';
import { probeVideo } from '../video';
import { windowSeeds } from './seeds';
import { tinyModelDir } from '../../test/tinySvd';

/**
 * A windowed render through a real-architecture SVD (fixtures/tiny-svd, random weights, on the
 * CPU): 20 frames in 14-frame windows with overlap 4, [0,14) and [6,20), 2 steps at 64x64.
 * The windows are in the sidecar, the video is what ffprobe reads, and each window samples its
 * own columns of the lambda table: changing window 2's own columns leaves window 1's own frames
 * bit for bit and changes window 2's. (The re-render of a windowed render from its sidecar is
 * tested with the draft model in render.test.ts.)
 */
let root: string;
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-windows-svd-'));
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});
afterEach(() => vi.restoreAllMocks());

const STEPS = 2,
  FRAMES = 20;
function table(windowTwoOwn: number): LambdaDoc {
  const values: number[] = [];
  for (let i = 0; i < STEPS; i++)
    for (let f = 0; f < FRAMES; f++) values.push(f === 0 ? 1 : f >= 14 ? windowTwoOwn : 0.6);
  return { steps: STEPS, frames: FRAMES, values, lambdaMin: 0, preset: { kind: 'custom' } };
}

describe('windows with the tiny SVD model', () => {
  it('renders 20 frames as two 14-frame windows: sidecar, ffprobe, per-window lambda', async () => {
    const render = {
      model: tinyModelDir('fp32'),
      steps: STEPS,
      width: 64,
      height: 64,
      windowFrames: 14,
      windowOverlap: 4,
      decodeChunk: 7,
      guidanceMin: 1,
      guidanceMax: 2,
    };
    const dirA = path.join(root, 'a.camtrack');
    const docA = await writeTinyProject(dirA, { frames: FRAMES, degreesPerFrame: 0.5, render, lambda: table(1) });
    const outA = path.join(root, 'a.mp4');
    const progress: RenderProgress[] = [];
    const conditioned = vi.spyOn(SvdPipeline.prototype, 'conditioning');
    const a = await renderProject({ projectDir: dirA, doc: docA, out: outA, onProgress: (p) => progress.push(p) });
    expect(await probeVideo(outA)).toMatchObject({ codec: 'h264', frames: FRAMES, width: 64, height: 64 });
    const side = await readSidecar(a.sidecarPath);
    expect(side.windows).toEqual({
      overlap: 4,
      list: [
        { start: 0, end: 14 },
        { start: 6, end: 20 },
      ],
      // Window 1 keeps the render seed; window 2 draws its own noise (recorded, so a re-render is the same).
      seeds: windowSeeds(side.settings.seed, 2),
    });
    expect(side.windows!.seeds![0]).toBe(side.settings.seed);
    expect(side.windows!.seeds![1]).not.toBe(side.settings.seed);
    // Each window is conditioned (its augmentation noise) with its own seed, as recorded.
    expect(conditioned.mock.calls.map((c) => c[1])).toEqual(side.windows!.seeds);
    conditioned.mockRestore();
    expect(side.model.family).toBe('svd-xt');
    // The per-window lambda columns round-trip through the sidecar (inline or in its lambda file).
    expect(Array.from((await readSidecarLambda(a.sidecarPath, side)).data)).toEqual(docA.lambda.values);
    expect([
      ...new Set(progress.filter((p) => p.stage === 'denoise' && p.window).map((p) => `${p.window}/${p.windows}`)),
    ]).toEqual(['1/2', '2/2']);

    // Window 2's own columns (14..19) changed: window 1's own frames (0..5) are the same bytes, window 2's own are not.
    const dirB = path.join(root, 'b.camtrack');
    const docB = await writeTinyProject(dirB, { frames: FRAMES, degreesPerFrame: 0.5, render, lambda: table(0) });
    const b = await renderProject({ projectDir: dirB, doc: docB, out: path.join(root, 'b.mp4') });
    for (let f = 0; f < 6; f++)
      expect(Buffer.from(b.frames[f]).equals(Buffer.from(a.frames[f])), `frame ${f}`).toBe(true);
    for (let f = 14; f < 20; f++)
      expect(Buffer.from(b.frames[f]).equals(Buffer.from(a.frames[f])), `frame ${f}`).toBe(false);
  }, 120_000);
});
