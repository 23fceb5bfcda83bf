import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rm } from 'node:fs/promises';
import { IMAGENET_MEAN, IMAGENET_STD, depthModelInputSize, toPixelValues } from './estimate-tensor';
import { estimateDepth, loadDepthModel } from './estimate';
import { applyDepthMapping } from './mapping';
import { buildTestDepthModel } from '../../test/depthModel';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'camtrack-depth-model-'));
  await mkdir(path.join(dir, 'hf', 'onnx'), { recursive: true });
  await writeFile(path.join(dir, 'hf', 'onnx', 'model.onnx'), buildTestDepthModel());
  await writeFile(path.join(dir, 'renamed.onnx'), buildTestDepthModel({ input: 'image', output: 'depth' }));
  await writeFile(path.join(dir, 'half.onnx'), buildTestDepthModel({ pool: 28, upscale: 14 }));
  await writeFile(path.join(dir, 'garbage.onnx'), 'not a model');
  await mkdir(path.join(dir, 'empty'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('depth model contract', () => {
  it('sizes the input: shorter side 518, both multiples of 14, aspect kept', () => {
    expect(depthModelInputSize(1024, 576)).toEqual({ width: 924, height: 518 });
    expect(depthModelInputSize(1200, 1600)).toEqual({ width: 518, height: 686 });
    expect(depthModelInputSize(10, 10, 5)).toEqual({ width: 14, height: 14 });
  });

  it('normalises with the ImageNet mean and std, channel-planar', () => {
    const img = { width: 1, height: 1, data: Float32Array.from([1, 0.5, 0]) };
    const t = toPixelValues(img, { width: 1, height: 1 });
    expect(Array.from(t)).toEqual(
      [0, 1, 2].map((c) => Math.fround((img.data[c] - IMAGENET_MEAN[c]) / IMAGENET_STD[c])),
    );
  });

  it('runs a model folder in the Hugging Face layout and returns relative disparity at the model size', async () => {
    const model = await loadDepthModel(path.join(dir, 'hf'));
    expect(model.file.endsWith(path.join('onnx', 'model.onnx'))).toBe(true);
    // Left half red-ish, right half blue-ish: 56x28 -> input 56x28 with shortSide 28.
    const w = 56,
      h = 28;
    const data = new Float32Array(w * h * 3);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) data.set(x < 28 ? [0.9, 0.2, 0.1] : [0.1, 0.3, 0.8], (y * w + x) * 3);
    const raw = await estimateDepth(model, { width: w, height: h, data }, 28);
    expect([raw.width, raw.height]).toEqual([56, 28]);
    const expected = (rgb: number[]) =>
      rgb.reduce((a, v, c) => a + (v - IMAGENET_MEAN[c]) / IMAGENET_STD[c], 0) / 3 + 3;
    expect(raw.values[0]).toBeCloseTo(expected([0.9, 0.2, 0.1]), 5);
    expect(raw.values[w - 1]).toBeCloseTo(expected([0.1, 0.3, 0.8]), 5);
    // As disparity it maps to depth: nearer where the disparity is larger.
    const { depth } = applyDepthMapping(raw, { kind: 'disparity', scale: 1, near: 1e-4, far: 500 });
    expect(depth.z[0]).toBeCloseTo(1 / raw.values[0], 5);
    await model.session.release();
  });

  it('refuses missing models, empty folders, non-models and other contracts', async () => {
    await expect(loadDepthModel(path.join(dir, 'nowhere'))).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringMatching(/^Depth model not found: /),
    });
    await expect(loadDepthModel(path.join(dir, 'empty'))).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringMatching(/No depth model in .*empty: looked for model\.onnx and onnx\/model\.onnx/),
    });
    await expect(loadDepthModel(path.join(dir, 'garbage.onnx'))).rejects.toMatchObject({
      code: 'model',
      message: expect.stringMatching(/Loading the depth model .*garbage\.onnx failed in ONNX Runtime/),
    });
    await expect(loadDepthModel(path.join(dir, 'renamed.onnx'))).rejects.toMatchObject({
      code: 'model',
      message: expect.stringMatching(
        /renamed\.onnx is not a Depth Anything V2 style model: it must take "pixel_values" and give "predicted_depth", but it takes "image" and gives "depth"\./,
      ),
    });
  });

  it('refuses a model whose output does not match its input size', async () => {
    const model = await loadDepthModel(path.join(dir, 'half.onnx'));
    const img = { width: 56, height: 56, data: new Float32Array(56 * 56 * 3).fill(0.5) };
    await expect(estimateDepth(model, img, 56)).rejects.toMatchObject({
      code: 'model',
      message: 'The depth model gave float32 [1, 28, 28] for a 56x56 input; expected float32 [1, 56, 56].',
    });
    await model.session.release();
  });
});
