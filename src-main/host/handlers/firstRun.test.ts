import { tempDir } from '../../test/tmp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { createEngineService } from '../service';
import type { ApiEvents, ApiOutputs } from '../../api/contract';
import { depthAsset, type ProjectDoc } from '../../engine/project/schema';
import { writeNpy, readNpy } from '../../engine/npy/npy';
import { buildTestDepthModel } from '../../test/depthModel';
import { installDepthModelFile } from '../../engine/depth/models';
import { appPath } from '../../engine/util/appRoot';

/**
 * The first-run calls through the engine service: what is installed and the render model a new
 * project gets, the sample opened as a copy, depth estimation with a tiny Depth Anything-style
 * model, and the two fixes for a depth of another aspect than the photo.
 */
let models: string;
const saved = process.env.CAMTRACK_MODELS_DIR;
beforeEach(() => {
  models = tempDir('camtrack-models-');
  process.env.CAMTRACK_MODELS_DIR = models;
});
afterEach(() => {
  if (saved === undefined) delete process.env.CAMTRACK_MODELS_DIR;
  else process.env.CAMTRACK_MODELS_DIR = saved;
});

function service() {
  const base = tempDir('camtrack-firstrun-');
  const events: { event: keyof ApiEvents; data: unknown }[] = [];
  const svc = createEngineService(
    { mode: 'browser', appDataDir: path.join(base, 'data'), workspace: path.join(base, 'ws') },
    (event, data) => events.push({ event, data }),
  );
  return { svc, events, base };
}

async function photoPng(w: number, h: number): Promise<Uint8Array> {
  const px = Buffer.alloc(w * h * 3);
  for (let i = 0; i < w * h; i++) px.set([(i % w) % 256, Math.floor(i / w) % 256, 90], i * 3);
  return new Uint8Array(
    await sharp(px, { raw: { width: w, height: h, channels: 3 } })
      .png()
      .toBuffer(),
  );
}

describe('first run through the engine service', () => {
  it('with nothing installed, says what to install and new projects render previews', async () => {
    const { svc } = service();
    const s = (await svc.handle('models.status', {})) as ApiOutputs['models.status'];
    expect(s).toMatchObject({ dir: models, svd: [], defaultRenderModel: 'preview' });
    expect(s.depth.map((d) => d.installed)).toEqual([false, false, false]);
    expect(s.depthHint).toContain('npx camtrack depth download --size small');
    const created = (await svc.handle('project.new', {})) as ApiOutputs['project.new'];
    expect(created.doc.render.model).toBe('preview');
    const info = (await svc.handle('model.info', { model: 'preview' })) as ApiOutputs['model.info'];
    expect(info).toMatchObject({ family: 'preview', isPreview: true, isDraft: false, frameCounts: 'any' });
  });

  it('an SVD folder in the models folder becomes the default render model', async () => {
    const folder = path.join(models, 'svd-test');
    await fs.cp(appPath('assets', 'models', 'draft'), folder, { recursive: true });
    const manifest = JSON.parse(await fs.readFile(path.join(folder, 'model.json'), 'utf8'));
    await fs.writeFile(
      path.join(folder, 'model.json'),
      JSON.stringify({ ...manifest, family: 'svd', name: 'Test SVD' }),
    );
    const { svc } = service();
    const s = (await svc.handle('models.status', {})) as ApiOutputs['models.status'];
    if (s.svd.length === 0)
      throw new Error(`the test folder was not taken as an SVD model folder: ${JSON.stringify(s)}`);
    expect(s.defaultRenderModel).toBe(folder);
  });

  it('opens the sample as a never-saved copy, leaving the committed sample alone', async () => {
    const { svc, base } = service();
    const before = await fs.readdir(appPath('assets', 'samples', 'synthetic-orbit.camtrack'));
    const opened = (await svc.handle('project.openSample', {})) as ApiOutputs['project.openSample'];
    expect(opened.path).toBeNull();
    expect(opened.dir.startsWith(path.join(base, 'data', 'untitled'))).toBe(true);
    expect(opened.doc.name).toBe('Synthetic orbit (sample)');
    expect(opened.doc.render.model).toBe('preview');
    await expect(fs.readdir(path.join(opened.dir, 'assets'))).resolves.toHaveLength(2);
    await expect(fs.readdir(appPath('assets', 'samples', 'synthetic-orbit.camtrack'))).resolves.toEqual(before);
  });

  it("estimates depth into a new asset with the CLI's mapping (median at 4 units), reporting progress; refuses without a model", async () => {
    const { svc, events } = service();
    const created = (await svc.handle('project.new', {})) as ApiOutputs['project.new'];
    const img = (await svc.handle('image.import', {
      project: created.dir,
      name: 'p.png',
      bytes: await photoPng(56, 42),
    })) as ApiOutputs['image.import'];
    const doc: ProjectDoc = { ...created.doc, image: img.image };
    await expect(svc.handle('depth.estimate', { project: created.dir, doc })).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringContaining('npx camtrack depth download'),
    });
    const file = path.join(tempDir('camtrack-model-'), 'model.onnx');
    await fs.writeFile(file, buildTestDepthModel());
    await installDepthModelFile(file, 'small', models);
    const r = (await svc.handle('depth.estimate', { project: created.dir, doc })) as ApiOutputs['depth.estimate'];
    expect(r.depth.source).toMatchObject({ type: 'model', model: 'depth-anything-v2-small/model.onnx' });
    expect(r.depth.mapping.kind).toBe('disparity');
    expect([r.report.width, r.report.height]).toEqual([686, 518]);
    const stored = readNpy(
      new Uint8Array(await fs.readFile(path.join(created.dir, 'assets', depthAsset(r.depth)!.file))),
    );
    expect(stored.shape).toEqual([518, 686]);
    const z = Array.from(stored.data, (d) => r.depth.mapping.scale / d).sort((a, b) => a - b);
    expect(z[z.length >> 1]).toBeCloseTo(4, 5);
    expect(events.filter((e) => e.event === 'depth.progress').map((e) => (e.data as { stage: string }).stage)).toEqual([
      'load',
      'estimate',
      'done',
    ]);
    await expect(svc.handle('depth.cancel', { project: created.dir })).resolves.toEqual({ cancelled: false });
  });

  it('fits a depth of another aspect to the photo, or crops the photo to it with its intrinsics', async () => {
    const { svc } = service();
    const created = (await svc.handle('project.new', {})) as ApiOutputs['project.new'];
    const img = (await svc.handle('image.import', {
      project: created.dir,
      name: 'p.png',
      bytes: await photoPng(160, 120),
    })) as ApiOutputs['image.import'];
    const values = Float32Array.from({ length: 16 * 20 }, (_, i) => 100 + (i % 20));
    const dep = (await svc.handle('depth.import', {
      project: created.dir,
      name: 'd.npy',
      bytes: writeNpy(values, [16, 20]),
    })) as ApiOutputs['depth.import'];
    const doc: ProjectDoc = { ...created.doc, image: img.image, depth: dep.depth };
    await expect(svc.handle('depth.preview', { project: created.dir, doc, maxSide: 64 })).rejects.toMatchObject({
      code: 'shape-mismatch',
    });

    const fitted = (await svc.handle('depth.fitToPhoto', {
      project: created.dir,
      doc,
    })) as ApiOutputs['depth.fitToPhoto'];
    expect([fitted.report.width, fitted.report.height]).toEqual([160, 120]);
    await expect(
      svc.handle('depth.preview', { project: created.dir, doc: { ...doc, depth: fitted.depth }, maxSide: 64 }),
    ).resolves.toMatchObject({ width: 64, height: 48 });

    const cropped = (await svc.handle('image.cropToDepth', {
      project: created.dir,
      doc,
    })) as ApiOutputs['image.cropToDepth'];
    // 160x120 cropped to 5:4 is 150x120 at x 5, then 140x112 (7 x the 20x16 depth).
    expect(cropped.image).toMatchObject({ width: 140, height: 112 });
    const k0 = { fx: 160 / 2 / Math.tan(Math.PI / 6) }; // the 60 degree horizontal field of view assumed for a photo without one
    expect(cropped.image.intrinsics!.fx).toBeCloseTo(k0.fx * (140 / 150), 9);
    expect(cropped.image.intrinsics!.cx).toBeCloseTo((80 - 5) * (140 / 150), 9);
    const meta = await sharp(await fs.readFile(path.join(created.dir, 'assets', cropped.image.asset.file))).metadata();
    expect([meta.width, meta.height]).toEqual([140, 112]);
    await expect(
      svc.handle('depth.preview', { project: created.dir, doc: { ...doc, image: cropped.image }, maxSide: 70 }),
    ).resolves.toMatchObject({ width: 70, height: 56 });
  });
});
