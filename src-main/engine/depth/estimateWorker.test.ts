import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateDepth, loadDepthModel } from './estimate';
import { estimateInWorker } from './estimateWorker';
import { buildTestDepthModel } from '../../test/depthModel';

let dir: string;
const image = {
  width: 64,
  height: 36,
  data: Float32Array.from({ length: 64 * 36 * 3 }, (_, i) => ((i * 37) % 101) / 100),
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'camtrack-depth-worker-'));
  await writeFile(path.join(dir, 'model.onnx'), buildTestDepthModel());
  await writeFile(path.join(dir, 'slow.onnx'), buildTestDepthModel({ slowOps: 60 }));
  await writeFile(path.join(dir, 'garbage.onnx'), 'not a model');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('depth estimation in a worker thread', () => {
  it('gives the same disparity as running the model in this thread', async () => {
    const progress: string[] = [];
    const r = await estimateInWorker(path.join(dir, 'model.onnx'), image, { onProgress: (s) => progress.push(s) });
    const model = await loadDepthModel(path.join(dir, 'model.onnx'));
    const here = await estimateDepth(model, image);
    await model.session.release();
    expect([r.raw.width, r.raw.height]).toEqual([here.width, here.height]);
    expect(Array.from(r.raw.values)).toEqual(Array.from(here.values));
    expect(progress).toEqual(['estimate']);
    expect(r.provider).toBe('cpu');
  });

  it('a cancel answers at once, long before the model would have finished, and the process survives the run it drops', async () => {
    const ac = new AbortController();
    const t0 = performance.now();
    const p = estimateInWorker(
      path.join(dir, 'slow.onnx'),
      { width: 640, height: 360, data: new Float32Array(640 * 360 * 3) },
      { signal: ac.signal, onProgress: () => setTimeout(() => ac.abort(), 50) },
    );
    await expect(p).rejects.toMatchObject({ code: 'cancelled' });
    const cancelMs = performance.now() - t0;
    // The same model run to its end, for scale.
    const t1 = performance.now();
    await estimateInWorker(path.join(dir, 'slow.onnx'), {
      width: 640,
      height: 360,
      data: new Float32Array(640 * 360 * 3),
    });
    const fullMs = performance.now() - t1;
    expect(cancelMs).toBeLessThan(fullMs);
    // The dropped run ended in its own time and this process is still here to run another.
    await expect(estimateInWorker(path.join(dir, 'model.onnx'), image)).resolves.toMatchObject({ provider: 'cpu' });
  });

  it("passes the engine's own error for a file that is not a model", async () => {
    await expect(estimateInWorker(path.join(dir, 'garbage.onnx'), image)).rejects.toMatchObject({ code: 'model' });
  });
});
