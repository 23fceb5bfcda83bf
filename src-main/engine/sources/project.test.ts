import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/cli';
import { tinyModelDir } from '../../test/tinySvd';
import { probeVideo } from '../video/probe';
import { psnr, type RgbImage } from '../image/types';
import { parseProjectText } from '../project/parse';
import { openProject, saveProject } from '../project/store';
import { PROJECT_SCHEMA_VERSION, type ProjectDoc } from '../project/schema';
import { renderProject } from '../render/render';
import { readSidecar } from '../render/sidecar';
import { TWO_VIEW_LAMBDA_FLOOR } from './anchors';
import { parseTransforms } from './transforms';
import { SPARSE_K, writeSparseViewDataset } from '../../test/sparseViews';

let root: string;
let data: Awaited<ReturnType<typeof writeSparseViewDataset>>;
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-sparse-'));
  data = await writeSparseViewDataset(path.join(root, 'data'));
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const rgb = (bytes: Uint8Array): RgbImage => ({
  width: SPARSE_K.width,
  height: SPARSE_K.height,
  data: Float32Array.from(bytes, (v) => v / 255),
});

async function newProject(name: string, ...extra: string[]): Promise<ProjectDoc> {
  const r = await runCli(
    'project',
    'new',
    path.join(root, name),
    '--transforms',
    data.transforms,
    '--frames',
    '5',
    '--steps',
    '4',
    ...extra,
  );
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return (await openProject(path.join(root, `${name}.camtrack`))).doc;
}

describe('sparse-view projects from a nerfstudio transforms.json', () => {
  it('camtrack project new --transforms: the first view is the photo (identity, its own K), the second a source view; the track runs from one to the other', async () => {
    const doc = await newProject('Pair');
    expect(doc.schemaVersion).toBe(PROJECT_SCHEMA_VERSION);
    expect(doc.image).toMatchObject({ width: 128, height: 64, intrinsics: { fx: 80, fy: 80, cx: 64, cy: 32 } });
    expect(doc.depth!.mapping).toMatchObject({ kind: 'depth', scale: 1 });
    expect(doc.sources).toHaveLength(1);
    const v = doc.sources[0];
    expect(v).toMatchObject({ name: 'right.png', enabled: true, depth: { mapping: { kind: 'depth', scale: 0.001 } } });
    // Right relative to left: 1.8 units along the left camera's x, turned 10 degrees.
    const a = (-5 * Math.PI) / 180;
    expect(v.c2w[3]).toBeCloseTo(1.8 * Math.cos(a), 9);
    expect(v.c2w[11]).toBeCloseTo(1.8 * Math.sin(a), 9);
    expect(v.c2w[0]).toBeCloseTo(Math.cos((10 * Math.PI) / 180), 9);
    expect(doc.track.keyframes.map((k) => k.frame)).toEqual([0, 4]);
    expect(doc.lambda.lambdaMin).toBe(TWO_VIEW_LAMBDA_FLOOR);
  });

  it('preview render: the end frames reproduce the two photos, the middle frame matches the true view better than from one photo', async () => {
    const doc = await newProject('PairPreview');
    doc.render = { ...doc.render, model: 'preview', width: 128, height: 64 };
    const both = await renderProject({
      projectDir: path.join(root, 'PairPreview.camtrack'),
      doc,
      out: path.join(root, 'both.mp4'),
    });
    const one = await renderProject({
      projectDir: path.join(root, 'PairPreview.camtrack'),
      doc: { ...doc, sources: doc.sources.map((s) => ({ ...s, enabled: false })) },
      out: path.join(root, 'one.mp4'),
    });
    const first = psnr(rgb(both.frames[0]), data.truth.left.image);
    const last = psnr(rgb(both.frames[4]), data.truth.right.image);
    const mid = psnr(rgb(both.frames[2]), data.truth.middle.image);
    const midOne = psnr(rgb(one.frames[2]), data.truth.middle.image);
    const lastOne = psnr(rgb(one.frames[4]), data.truth.right.image);
    console.log(
      `sparse preview: frame 0 ${first.toFixed(2)} dB, middle ${mid.toFixed(2)} dB (one photo ${midOne.toFixed(2)} dB), last ${last.toFixed(2)} dB (one photo ${lastOne.toFixed(2)} dB)`,
    );
    expect(first).toBeGreaterThanOrEqual(35);
    expect(last).toBeGreaterThanOrEqual(35);
    expect(mid).toBeGreaterThan(midOne + 1);
    expect(last).toBeGreaterThan(lastOne + 5);
    const side = await readSidecar(both.sidecarPath);
    expect(side.sources).toHaveLength(1);
    expect(side.anchors).toEqual({ frames: [4], lambdaFloor: TWO_VIEW_LAMBDA_FLOOR });
  });

  it('draft model render: the last frame is anchored to the second photo and the sampler uses the two-view floor', async () => {
    const doc = await newProject('PairDraft');
    doc.render = { ...doc.render, model: 'draft', executionProvider: 'cpu', width: 128, height: 64, decodeChunk: 5 };
    doc.lambda = { ...doc.lambda, lambdaMin: 0.1 };
    const r = await renderProject({
      projectDir: path.join(root, 'PairDraft.camtrack'),
      doc,
      out: path.join(root, 'draft.mp4'),
    });
    const side = await readSidecar(r.sidecarPath);
    expect(side.anchors).toEqual({ frames: [4], lambdaFloor: TWO_VIEW_LAMBDA_FLOOR });
    // The anchored last frame is as faithful to the right photo as frame 0 (the photo itself) is to the left
    // one through the draft model; without the second view it is a warp of the left photo with holes.
    const off = await renderProject({
      projectDir: path.join(root, 'PairDraft.camtrack'),
      doc: { ...doc, sources: doc.sources.map((s) => ({ ...s, enabled: false })) },
      out: path.join(root, 'draft-one.mp4'),
    });
    const first = psnr(rgb(r.frames[0]), data.truth.left.image);
    const last = psnr(rgb(r.frames[4]), data.truth.right.image);
    const lastOne = psnr(rgb(off.frames[4]), data.truth.right.image);
    console.log(
      `sparse draft: frame 0 vs the left photo ${first.toFixed(2)} dB, last frame vs the right photo ${last.toFixed(2)} dB (one photo ${lastOne.toFixed(2)} dB)`,
    );
    expect(last).toBeGreaterThan(first - 1);
    expect(last).toBeGreaterThan(lastOne + 1);
  });

  it('tiny SVD fixture render: onnxruntime runs the real architecture on a two-view project; the last frame is anchored and the second view guides it', async () => {
    const frames = 14;
    const doc = await newProject('PairTiny', '--frames', String(frames));
    const tiny = (d: ProjectDoc): ProjectDoc => ({
      ...d,
      lambda: {
        steps: 2,
        frames,
        values: new Array(2 * frames).fill(0.8),
        lambdaMin: 0,
        preset: { kind: 'constant', value: 0.8 },
      },
      render: {
        ...d.render,
        model: tinyModelDir('fp32'),
        executionProvider: 'cpu',
        steps: 2,
        width: 128,
        height: 64,
        decodeChunk: frames,
      },
    });
    const dir = path.join(root, 'PairTiny.camtrack');
    const both = await renderProject({ projectDir: dir, doc: tiny(doc), out: path.join(root, 'tiny.mp4') });
    const one = await renderProject({
      projectDir: dir,
      doc: tiny({ ...doc, sources: doc.sources.map((v) => ({ ...v, enabled: false })) }),
      out: path.join(root, 'tiny-one.mp4'),
    });
    const side = await readSidecar(both.sidecarPath);
    expect(side.anchors).toEqual({ frames: [frames - 1], lambdaFloor: TWO_VIEW_LAMBDA_FLOOR });
    expect(side.sources?.length).toBe(1);
    const probe = await probeVideo(path.join(root, 'tiny.mp4'));
    expect([probe.frames, probe.width, probe.height]).toEqual([frames, 128, 64]);
    // Random weights: the pixels mean nothing, but the last frame is guided towards the second photo.
    const diff = (a: Uint8Array, b: Uint8Array) => a.reduce((t, v, i) => t + Math.abs(v - b[i]), 0) / a.length;
    const d = both.frames.map((f, k) => diff(f, one.frames[k]));
    console.log(`sparse tiny SVD: mean |two views - one view| per frame ${d.map((v) => v.toFixed(2)).join(' ')}`);
    expect(d[frames - 1]).toBeGreaterThan(1);
  }, 180_000);

  it("--camera-path: a nerfstudio camera path in the views' world becomes the track", async () => {
    const m = (x: number) => [1, 0, 0, x, 0, 1, 0, 0.1, 0, 0, 1, 0, 0, 0, 0, 1];
    const cp = {
      render_width: 128,
      render_height: 64,
      fps: 12,
      camera_path: [-0.9, -0.3, 0.3, 0.9].map((x) => ({ camera_to_world: m(x), fov: 43.6, aspect: 2 })),
    };
    const file = path.join(root, 'camera_path.json');
    await fs.writeFile(file, JSON.stringify(cp));
    const doc = await newProject('WithPath', '--camera-path', file);
    expect(doc.track.numFrames).toBe(4);
    expect(doc.track.fps).toBe(12);
    // Relative to the left view (turned -5 degrees): the second camera is 0.6 to the right in the world.
    const k1 = doc.track.keyframes[1];
    const a = (-5 * Math.PI) / 180;
    expect(k1.position[0]).toBeCloseTo(0.6 * Math.cos(a), 9);
  });

  it('refuses a transforms.json with distortion, a bad matrix or a depth that is neither npy nor png, naming the problem', async () => {
    const base = JSON.parse(await fs.readFile(data.transforms, 'utf8'));
    const bad = (patch: (t: typeof base) => void) => {
      const t = structuredClone(base);
      patch(t);
      return () => parseTransforms(JSON.stringify(t), '/x/transforms.json');
    };
    expect(bad((t) => (t.k1 = 0.1))).toThrow(/lens distortion \("k1"/);
    expect(bad((t) => (t.frames[1].transform_matrix[0][0] = 2))).toThrow(/frame 1 is not a rigid camera pose/);
    expect(bad((t) => (t.frames[0].depth_file_path = 'd.exr'))).toThrow(/\.npy \(z-depth\) or a 16-bit \.png/);
    expect(bad((t) => delete t.fl_x)).toThrow(/needs "fl_x"/);
    const r = await runCli('project', 'new', path.join(root, 'X'), '--transforms', data.transforms, '--image', 'a.png');
    expect(r.code).toBe(1);
    expect(r.err).toContain('--transforms brings its own photos');
  });

  it('a version-1 project (one photo) opens at the current version with no source views, and saves at it', async () => {
    const doc = await newProject('Old');
    const v1 = { ...doc, schemaVersion: 1 } as Record<string, unknown>;
    delete v1.sources;
    const parsed = parseProjectText(JSON.stringify(v1), 'old.json');
    expect(parsed.migratedFrom).toBe(1);
    expect(parsed.doc.sources).toEqual([]);
    const saved = await saveProject(path.join(root, 'Old.camtrack'), parsed.doc, []);
    expect(JSON.parse(await fs.readFile(path.join(saved.dir, 'project.json'), 'utf8')).schemaVersion).toBe(
      PROJECT_SCHEMA_VERSION,
    );
  });
});
