import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meanAbs, median } from '../../test/frameStats';
import { saveProject } from '../project/store';
import { orbit360Doc } from '../render/orbitShowcase';
import { renderProject } from '../render/render';
import { readSidecar } from '../render/sidecar';
import { writeTinyProject } from '../../test/tinyProject';
import { probeVideo } from '../video';
import { planWindows } from './plan';

/**
 * The showcase: a full 360° orbit of the bundled sample (the ray-cast scene) around its focus
 * point, 96 frames, as a preview in 25-frame windows: the loop closes (the last frame is next to
 * the first), half-way round the picture is far from the photo, and no window boundary shows.
 */
let root: string;
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-orbit360-'));
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe('the 360° orbit showcase', () => {
  it('renders a closed loop in windows with no visible seam', async () => {
    const dir = path.join(root, 'orbit.camtrack');
    const tiny = await writeTinyProject(dir, { frames: 96, render: { model: 'preview', width: 96, height: 48 } });
    const doc = await orbit360Doc(dir, tiny);
    expect(doc.render.windowFrames).toBe(25);
    await saveProject(dir, doc);
    const out = path.join(root, 'orbit.mp4');
    const r = await renderProject({ projectDir: dir, doc, out });
    expect(await probeVideo(out)).toMatchObject({ frames: 96, width: 96, height: 48 });
    const side = await readSidecar(r.sidecarPath);
    const plan = planWindows(96, 25, 4);
    expect(side.windows).toEqual({ overlap: 4, list: plan });
    expect(plan).toHaveLength(5);

    const f = r.frames;
    const d = f.slice(1).map((x, i) => meanAbs(f[i], x)); // d[i]: frame i -> i+1
    // Closed loop: the wrap-around step (last frame back to the first) is an ordinary step of that
    // part of the orbit, and the frame half-way round is far from the photo.
    const closure = meanAbs(f[95], f[0]);
    const half = meanAbs(f[0], f[48]);
    const endSteps = Math.max(d[0], d[94]);
    // Seams: each step entering or leaving an overlap against the median step inside the window
    // on its outer side (that window's steps outside any overlap): entering overlap k is a step of
    // window k-1's own frames, leaving it a step into window k's own frames. The scene changes at
    // very different rates round the orbit (the photo side is sharp and turns fast, the far side
    // is fill), so a window's own steps are the scale; the track-wide median is printed too.
    const overlapSteps = new Set<number>();
    for (let k = 1; k < plan.length; k++) for (let t = plan[k].start - 1; t < plan[k - 1].end; t++) overlapSteps.add(t);
    const insideMedian = (w: { start: number; end: number }) =>
      median(d.filter((_, i) => i >= w.start && i < w.end - 1 && !overlapSteps.has(i)));
    const globalMedian = median(d.filter((_, i) => !overlapSteps.has(i)));
    const ratios: string[] = [];
    let worstRatio = 0;
    let worstGlobal = 0;
    for (let k = 1; k < plan.length; k++) {
      for (const [i, w] of [
        [plan[k].start - 1, plan[k - 1]],
        [plan[k - 1].end - 1, plan[k]],
      ] as const) {
        const med = insideMedian(w);
        worstRatio = Math.max(worstRatio, d[i] / med);
        worstGlobal = Math.max(worstGlobal, d[i] / globalMedian);
        ratios.push(`${i}->${i + 1}: ${d[i].toFixed(1)}/${med.toFixed(1)}`);
      }
    }
    console.log(
      `orbit 360 (96 frames, 5 windows): wrap-around |f95 - f0| ${closure.toFixed(2)} (first/last steps ${d[0].toFixed(2)}, ${d[94].toFixed(2)}), half-way |f48 - f0| ${half.toFixed(2)}; seams (step/median inside): ${ratios.join(', ')}; worst ratio ${worstRatio.toFixed(2)} (against the track-wide median ${globalMedian.toFixed(2)}: ${worstGlobal.toFixed(2)})`,
    );
    expect(closure).toBeLessThanOrEqual(1.5 * endSteps);
    expect(half).toBeGreaterThan(1.4 * closure);
    expect(worstRatio).toBeLessThanOrEqual(2);
  }, 120_000);
});
