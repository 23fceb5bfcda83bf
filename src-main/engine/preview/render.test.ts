import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectDoc } from '../project/schema';
import { loadRenderInputs } from '../render/inputs';
import { renderFromSidecar } from '../render/fromSidecar';
import { renderProject, type RenderProgress } from '../render/render';
import { readSidecar } from '../render/sidecar';
import { writeTinyProject } from '../../test/tinyProject';
import { CamtrackError } from '../util/errors';
import { probeVideo } from '../video';
import { prepareWarp, previewWarpOptions, warpPrepared } from '../warp/method';
import { hiddenLayerFor } from './layer';
import { frameSimilarity } from './similarity';

let root: string;
let projectDir: string;
let doc: ProjectDoc;
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-preview-'));
  projectDir = path.join(root, 'tiny.camtrack');
  // 6 frames, 3 degrees a frame, rendered as a preview at a size that is even but not a multiple of 64.
  doc = await writeTinyProject(projectDir, {
    frames: 6,
    degreesPerFrame: 3,
    render: { model: 'preview', width: 130, height: 74 },
  });
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

describe('preview render (no model)', () => {
  it('renders filled warps at any even size: mp4 checked with ffprobe, sidecar records kind preview, the camera visibly moves', async () => {
    const out = path.join(root, 'preview.mp4');
    const progress: RenderProgress[] = [];
    const r = await renderProject({ projectDir, doc, out, onProgress: (p) => progress.push(p), thumbnail: true });
    const probe = await probeVideo(out);
    expect(probe).toMatchObject({ codec: 'h264', pixFmt: 'yuv420p', frames: 6, width: 130, height: 74 });
    const side = await readSidecar(r.sidecarPath);
    expect(side.renderKind).toBe('preview');
    expect(side.model).toMatchObject({ family: 'preview', location: 'preview', files: [] });
    expect(side.executionProvider.used).toBe('cpu');
    expect(r.timings.map((t) => t.stage)).toEqual(['load', 'warp', 'export', 'sidecar']);
    for (let i = 1; i < progress.length; i++)
      expect(progress[i].fraction).toBeGreaterThanOrEqual(progress[i - 1].fraction);
    expect(progress.at(-1)!.fraction).toBe(1);

    // The oracle: the same warp on this thread. Pixels the warp saw are exactly its colours; frame 0 is the photo.
    const inputs = await loadRenderInputs(projectDir, { ...doc, render: { ...doc.render } });
    const photo = {
      image: inputs.image,
      depth: inputs.depth,
      intrinsics: inputs.intrinsics,
      c2w: inputs.cameras[0].c2w,
    };
    // The project's warp (new projects: the mesh, with its hidden layer), as the render makes it.
    const prepared = prepareWarp(photo, doc.render.warp, { behind: hiddenLayerFor(photo, inputs.cameras) });
    let holes = 0,
      holeBlack = 0,
      mismatched = 0;
    for (let f = 0; f < 6; f++) {
      const w = warpPrepared(prepared, inputs.cameras[f], previewWarpOptions(doc.render.warp));
      for (let p = 0; p < w.width * w.height; p++) {
        if (w.holes[p]) {
          holes++;
          if (r.frames[f][p * 3] + r.frames[f][p * 3 + 1] + r.frames[f][p * 3 + 2] === 0) holeBlack++;
          continue;
        }
        for (let c = 0; c < 3; c++) {
          const v = w.image[p * 3 + c];
          if (r.frames[f][p * 3 + c] !== (v <= 0 ? 0 : v >= 1 ? 255 : Math.round(v * 255))) mismatched++;
        }
      }
    }
    expect(mismatched).toBe(0);
    expect(holes).toBeGreaterThan(100);
    expect(holeBlack).toBe(0);
    const sim = frameSimilarity(r.frames[0], r.frames[5], 130, 74);
    expect(sim).toBeLessThan(0.8);
    expect(frameSimilarity(r.frames[0], r.frames[0], 130, 74)).toBe(1);
  });

  it('is deterministic: a re-render from the sidecar gives the same frames, two frames of one camera are identical', async () => {
    const out = path.join(root, 'again.png');
    const first = await renderProject({
      projectDir,
      doc,
      out: path.join(root, 'frames'),
      overrides: { format: 'png' },
    });
    const again = await renderFromSidecar(first.sidecarPath, { out: path.join(root, 'frames-again') });
    expect(again.frames.every((f, i) => sameBytes(f, first.frames[i]))).toBe(true);
    expect((await fs.readdir(path.join(root, 'frames'))).filter((n) => n.endsWith('.png'))).toHaveLength(6);
    // A track that holds still over its last frames: the held frames are identical (no flicker).
    const keys = doc.track.keyframes;
    const held = {
      ...doc,
      track: {
        ...doc.track,
        keyframes: [
          ...keys.filter((k) => k.frame < 3),
          { ...keys.at(-1)!, id: 'hold-a', frame: 3 },
          { ...keys.at(-1)!, id: 'hold-b', frame: 5 },
        ],
      },
    };
    const r = await renderProject({
      projectDir,
      doc: held,
      out: path.join(root, 'held.webm'),
      overrides: { format: 'webm' },
    });
    expect(sameBytes(r.frames[3], r.frames[4]) && sameBytes(r.frames[4], r.frames[5])).toBe(true);
    expect(sameBytes(r.frames[2], r.frames[3])).toBe(false);
    void out;
  });

  it('refuses an odd size for a preview and a size off the 64 grid for a model, before anything is written', async () => {
    const out = path.join(root, 'odd.mp4');
    await expect(
      renderProject({ projectDir, doc: { ...doc, render: { ...doc.render, width: 131 } }, out }),
    ).rejects.toThrow(/131x74 must have even/);
    await expect(renderProject({ projectDir, doc, out, overrides: { model: 'draft' } })).rejects.toThrow(
      /130x74 .*multiples of 64/,
    );
    await expect(fs.stat(out)).rejects.toThrow();
  });

  it('stops when cancelled and leaves nothing behind', async () => {
    const controller = new AbortController();
    const out = path.join(root, 'cancelled.gif');
    const e = await renderProject({
      projectDir,
      doc,
      out,
      overrides: { format: 'gif' },
      signal: controller.signal,
      onProgress: (p) => p.stage === 'warp' && p.fraction > 0.1 && controller.abort(),
    }).catch((x) => x);
    expect(e).toBeInstanceOf(CamtrackError);
    expect((e as CamtrackError).code).toBe('cancelled');
    expect((await fs.readdir(root)).filter((n) => n.startsWith('cancelled'))).toEqual([]);
    const gif = await renderProject({ projectDir, doc, out, overrides: { format: 'gif' } });
    expect((await probeVideo(gif.out)).frames).toBe(6);
  });
});
