import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meanAbs, median } from '../../test/frameStats';
import type { ProjectDoc } from '../project/schema';
import { renderFromSidecar, sidecarWindowSeeds } from '../render/fromSidecar';
import { renderProject, type RenderProgress } from '../render/render';
import { readSidecar } from '../render/sidecar';
import { writeTinyProject } from '../../test/tinyProject';
import { probeVideo } from '../video';
import { windowSeeds } from './seeds';

/**
 * A 60-frame orbit of the sample project (the ray-cast sample scene) as a preview with a 25-frame
 * window: three windows, each from the previous one's last frame, cross-faded where they overlap.
 */
let root: string;
let projectDir: string;
let doc: ProjectDoc;
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-windows-'));
  projectDir = path.join(root, 'tiny.camtrack');
  doc = await writeTinyProject(projectDir, {
    frames: 60,
    degreesPerFrame: 0.5,
    render: { model: 'preview', width: 128, height: 64, windowFrames: 25, windowOverlap: 4 },
  });
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe('a preview longer than its window', () => {
  it('renders 60 frames in three overlapping windows with no seam; the sidecar lists them and re-renders the same frames', async () => {
    const out = path.join(root, 'long.mp4');
    const progress: RenderProgress[] = [];
    const r = await renderProject({ projectDir, doc, out, onProgress: (p) => progress.push(p) });
    expect(await probeVideo(out)).toMatchObject({ codec: 'h264', frames: 60, width: 128, height: 64 });
    const side = await readSidecar(r.sidecarPath);
    expect(side.windows).toEqual({
      overlap: 4,
      list: [
        { start: 0, end: 25 },
        { start: 21, end: 46 },
        { start: 35, end: 60 },
      ],
    });
    // Progress is per window, in order, ending with window 3/3.
    const seen = [...new Set(progress.filter((p) => p.window).map((p) => `${p.window}/${p.windows}`))];
    expect(seen).toEqual(['1/3', '2/3', '3/3']);

    // Frame-to-frame change (mean abs, RGB24): where a window's own frames meet the cross-fade
    // (entering and leaving each overlap), against the median of steps inside one window.
    const d = r.frames.slice(1).map((f, i) => meanAbs(r.frames[i], f)); // d[i]: frame i -> i+1
    const boundaries = [20, 24, 34, 45]; // 20->21 and 24->25 (overlap 21..24), 34->35 and 45->46 (overlap 35..45)
    const inside = d.filter((_, i) => !boundaries.includes(i) && !(i >= 20 && i <= 24) && !(i >= 34 && i <= 45));
    const med = median(inside);
    const worst = Math.max(...boundaries.map((i) => d[i]));
    console.log(
      `window boundaries: max ${worst.toFixed(3)} (${boundaries.map((i) => d[i].toFixed(3)).join(', ')}), median inside ${med.toFixed(3)}, ratio ${(worst / med).toFixed(2)}`,
    );
    expect(med).toBeGreaterThan(0); // the camera moves
    expect(worst).toBeLessThanOrEqual(2 * med);

    // The sidecar reproduces the video: the same frames, bit for bit.
    const again = await renderFromSidecar(r.sidecarPath, { out: path.join(root, 'again.mp4') });
    expect(again.frames.length).toBe(60);
    expect(again.frames.every((f, i) => Buffer.from(f).equals(Buffer.from(r.frames[i])))).toBe(true);
  }, 120_000);
});

describe('a later window starts at its own first frame', () => {
  it("window 2 starts from the frame window 1 made at frame 21 (its camera), so track frame 21 is window 1's frame 21", async () => {
    // Window 1 of the windowed preview is frames 0..24 of the same track rendered in one piece (every frame from the photo).
    const one = await renderProject({
      projectDir,
      doc: { ...doc, render: { ...doc.render, windowFrames: undefined } },
      out: path.join(root, 'one-piece.mp4'),
    });
    const long = await renderProject({ projectDir, doc, out: path.join(root, 'long-start.mp4') });
    for (let f = 0; f < 21; f++)
      expect(Buffer.from(long.frames[f]).equals(Buffer.from(one.frames[f])), `frame ${f}`).toBe(true);
    // Frame 21 is 4/5 window 1's and 1/5 window 2's frame 0, which is window 2's source warped to
    // its own camera: window 1's frame 21 again. Starting from window 1's last frame (24) instead
    // would mix in the view three frames on.
    const d21 = meanAbs(long.frames[21], one.frames[21]);
    const step = meanAbs(one.frames[21], one.frames[24]);
    console.log(
      `frame 21: windowed vs one piece ${d21.toFixed(3)} (frames 21 -> 24 of the orbit differ by ${step.toFixed(3)})`,
    );
    expect(d21).toBeLessThan(0.05 * step);
  }, 120_000);
});

describe('a draft-model render longer than its window', () => {
  it('samples 60 frames as three 25-frame windows, each conditioned on the frame the previous window made at its start; the sidecar lists them and re-renders the same frames', async () => {
    const dir = path.join(root, 'draft.camtrack');
    const draftDoc = await writeTinyProject(dir, {
      frames: 60,
      degreesPerFrame: 0.5,
      render: { model: 'draft', steps: 3, width: 128, height: 64, windowFrames: 25 },
    });
    const out = path.join(root, 'draft.mp4');
    const progress: RenderProgress[] = [];
    const r = await renderProject({ projectDir: dir, doc: draftDoc, out, onProgress: (p) => progress.push(p) });
    expect(await probeVideo(out)).toMatchObject({ frames: 60, width: 128, height: 64 });
    const side = await readSidecar(r.sidecarPath);
    expect(side.windows).toEqual({
      overlap: 4,
      list: [
        { start: 0, end: 25 },
        { start: 21, end: 46 },
        { start: 35, end: 60 },
      ],
      seeds: windowSeeds(side.settings.seed, 3),
    });
    expect(new Set(side.windows!.seeds).size).toBe(3);
    // A sidecar written before windows had their own seeds re-renders with the render seed in every window.
    const seed = side.settings.seed;
    expect(sidecarWindowSeeds({ ...side, windows: { ...side.windows!, seeds: undefined } })).toEqual([
      seed,
      seed,
      seed,
    ]);
    expect([
      ...new Set(progress.filter((p) => p.stage === 'denoise' && p.window).map((p) => `${p.window}/${p.windows}`)),
    ]).toEqual(['1/3', '2/3', '3/3']);
    for (let i = 1; i < progress.length; i++)
      expect(progress[i].fraction).toBeGreaterThanOrEqual(progress[i - 1].fraction);
    const d = r.frames.slice(1).map((f, i) => meanAbs(r.frames[i], f));
    const boundaries = [20, 24, 34, 45];
    const inside = d.filter((_, i) => !(i >= 20 && i <= 24) && !(i >= 34 && i <= 45));
    console.log(
      `draft window boundaries: max ${Math.max(...boundaries.map((i) => d[i])).toFixed(3)} (${boundaries.map((i) => d[i].toFixed(3)).join(', ')}), median inside ${median(inside).toFixed(3)}`,
    );
    expect(Math.max(...boundaries.map((i) => d[i]))).toBeLessThanOrEqual(2 * median(inside));
    const again = await renderFromSidecar(r.sidecarPath, { out: path.join(root, 'draft-again.mp4') });
    expect(again.frames.every((f, i) => Buffer.from(f).equals(Buffer.from(r.frames[i])))).toBe(true);
  }, 240_000);
});
