import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Tensor } from 'onnxruntime-node';
import { SvdPipeline } from '../models/svdPipeline';
import { createProject } from '../project/create';
import { probeVideo } from '../video';
import { tinyModelDir } from '../../test/tinySvd';
import { applyFidelity, REFERENCE_STEPS } from './fidelity';
import { renderProject } from './render';
import { readSidecar } from './sidecar';
import { writeTinyProject } from '../../test/tinyProject';

let root: string;
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-fidelity-'));
});
afterAll(() => fs.rm(root, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/** Every UNet feed's added_time_ids, and the `reference` flag of every encodeViews call. */
function spyOnPipeline() {
  const timeIds: number[][] = [];
  const encodeFlags: boolean[] = [];
  const run = (SvdPipeline.prototype as unknown as { run: (...a: unknown[]) => Promise<unknown> }).run;
  vi.spyOn(SvdPipeline.prototype as unknown as { run: typeof run }, 'run').mockImplementation(async function (
    this: unknown,
    component: unknown,
    feeds: unknown,
    what: unknown,
  ) {
    const ati = (feeds as Record<string, Tensor>).added_time_ids;
    if (component === 'unet') timeIds.push(Array.from(ati.data as Float32Array));
    return run.call(this, component, feeds, what);
  });
  const encode = SvdPipeline.prototype.encodeViews;
  vi.spyOn(SvdPipeline.prototype, 'encodeViews').mockImplementation(async function (this: SvdPipeline, v, r = false) {
    encodeFlags.push(r);
    return encode.call(this, v, r);
  });
  return { timeIds, encodeFlags };
}

describe('render fidelity', () => {
  it("studio leaves the project as it is; reference samples 100 steps with the reference's own table, and says so", () => {
    const doc = createProject('f');
    expect(applyFidelity(doc)).toEqual({ doc, notes: [] });
    const r = applyFidelity({ ...doc, render: { ...doc.render, fidelity: 'reference' } });
    expect(r.doc.render.steps).toBe(REFERENCE_STEPS);
    expect(r.doc.lambda).toMatchObject({ steps: 100, frames: doc.track.numFrames, lambdaMin: 0 });
    expect(r.doc.lambda.preset.kind).toBe('default');
    // The reference's warp is its splatting, whatever the project's.
    expect(doc.render.warp).toBe('mesh');
    expect(r.doc.render.warp).toBe('splat');
    expect(r.notes.join(' ')).toMatch(/100 denoising steps.*the project asks 25.*lambda table for 100 steps/s);
    // Applied twice, nothing more changes.
    expect(applyFidelity(r.doc).notes).toEqual([]);
  });

  it('a reference render through the tiny SVD: 100 steps, latents / 5.6, the sidecar records the fidelity', async () => {
    const dir = path.join(root, 'ref.camtrack');
    await writeTinyProject(dir, {
      frames: 14,
      render: {
        model: tinyModelDir('fp32'),
        width: 64,
        height: 64,
        decodeChunk: 7,
        fidelity: 'reference',
        warp: 'mesh',
      },
    });
    const { openProject } = await import('../project/store');
    const { doc } = await openProject(dir);
    const spy = spyOnPipeline();
    const r = await renderProject({ projectDir: dir, doc, out: path.join(root, 'ref.mp4') });
    expect(r.notes.join(' ')).toMatch(/Reference fidelity: 100 denoising steps/);
    expect(await probeVideo(r.out)).toMatchObject({ frames: 14, width: 64, height: 64 });
    const side = await readSidecar(r.sidecarPath);
    expect(side.settings.fidelity).toBe('reference');
    expect(side.settings.steps).toBe(100);
    // It warped by the reference's splatting (the project asks for the mesh): the record says what was used.
    expect(side.settings.warp).toBe('splat');
    expect(side.schedule.steps).toBe(100);
    expect(side.lambda).toMatchObject({ steps: 100, frames: 14, lambdaMin: 0 });
    expect(spy.encodeFlags).toEqual([true]);
    // 100 steps, each one batch-2 UNet call (CFG), every row told [fps - 1, motion bucket, noise aug].
    expect(spy.timeIds).toHaveLength(100);
    expect(spy.timeIds[0]).toEqual([6, 127, Math.fround(0.02), 6, 127, Math.fround(0.02)]);
  });

  it('feeds the UNet added_time_ids = [fps - 1, motion bucket, noise aug] exactly, from the settings', async () => {
    const dir = path.join(root, 'ids.camtrack');
    await writeTinyProject(dir, {
      frames: 14,
      render: {
        model: tinyModelDir('fp32'),
        width: 64,
        height: 64,
        steps: 2,
        decodeChunk: 7,
        conditioningFps: 12,
        motionBucketId: 90,
        noiseAugStrength: 0.05,
        cfgMode: 'two-pass',
      },
    });
    const { openProject } = await import('../project/store');
    const { doc } = await openProject(dir);
    const spy = spyOnPipeline();
    await renderProject({ projectDir: dir, doc, out: path.join(root, 'ids.mp4') });
    expect(spy.encodeFlags).toEqual([false]);
    // Two steps, two batch-1 calls each (unconditional, conditional): the same ids in every call.
    expect(spy.timeIds).toEqual(Array.from({ length: 4 }, () => [11, 90, Math.fround(0.05)]));
  });
});
