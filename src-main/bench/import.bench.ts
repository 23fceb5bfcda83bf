import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ApiOutputs } from '../api/contract';
import { createEngineService } from '../host/service';
import { encodePng } from '../engine/image/encode';
import { decodeImage } from '../engine/image/load';
import { storeAsset } from '../engine/project/assets';
import { makeTestPhoto } from '../test/photo';
import { timeMs, type Benchmark, type BenchFigure } from './harness';

/** Bytes of every file in a folder. */
async function folderBytes(dir: string): Promise<number> {
  const files = await fs.readdir(dir).catch(() => [] as string[]);
  const sizes = await Promise.all(files.map((f) => fs.stat(path.join(dir, f)).then((s) => s.size)));
  return sizes.reduce((a, b) => a + b, 0);
}

/**
 * The studio's photo import of a 20-megapixel JPEG (5472 x 3648 with a camera's grain, about
 * 5 MB), through the engine's own handler: the file kept as it is plus a 2048-pixel working copy,
 * against the import it replaced (the photo decoded in full and stored as a PNG). Time, and the
 * bytes stored as a multiple of the JPEG's (the target is at most 1.2).
 */
export const importBenchmark: Benchmark = {
  name: 'import',
  description: 'studio photo import of a 20 MP JPEG: time and bytes stored (original + working copy vs decode + PNG)',
  async run(): Promise<BenchFigure[]> {
    const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-bench-import-'));
    try {
      const jpeg = new Uint8Array(await makeTestPhoto({ width: 5472, height: 3648, grain: 24 }));
      const svc = createEngineService(
        { mode: 'browser', appDataDir: path.join(tmp, 'data'), workspace: path.join(tmp, 'ws') },
        () => undefined,
      );
      let dir = '';
      const fresh = async () => {
        dir = ((await svc.handle('project.new', {})) as ApiOutputs['project.new']).dir;
      };
      let newMs = 0;
      let newBytes = 0;
      const runs = 3;
      for (let i = 0; i < runs + 1; i++) {
        await fresh();
        const t0 = performance.now();
        await svc.handle('image.import', { project: dir, name: 'big.jpg', bytes: jpeg });
        if (i > 0) newMs += (performance.now() - t0) / runs;
        newBytes = await folderBytes(path.join(dir, 'assets'));
      }
      let oldDir = '';
      const old = await timeMs(
        async () => {
          oldDir = await fs.mkdtemp(path.join(tmp, 'old-'));
          const loaded = await decodeImage(jpeg, { name: 'big.jpg' });
          await storeAsset(oldDir, 'image', await encodePng(loaded.image), 'png');
        },
        1,
        0,
      );
      const oldBytes = await folderBytes(path.join(oldDir, 'assets'));
      const mb = jpeg.length / 1e6;
      return [
        {
          label: `import a 20 MP JPEG (${mb.toFixed(2)} MB) in the studio's engine`,
          value: newMs,
          unit: 'ms',
          baseline: { label: 'decode in full and store as PNG (the import before)', value: old },
          target: { max: 5000 },
        },
        {
          label: 'bytes stored per byte of the JPEG (original + working copy)',
          value: newBytes / jpeg.length,
          unit: 'x',
          baseline: { label: 'decode in full and store as PNG', value: oldBytes / jpeg.length },
          target: { max: 1.2 },
        },
      ];
    } finally {
      await fs.rm(tmp, { recursive: true, force: true });
    }
  },
};
