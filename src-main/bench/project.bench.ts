import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { writeFileAtomic } from '../engine/util/atomic';
import { createProject } from '../engine/project/create';
import { saveProject, openProject, projectJsonText } from '../engine/project/store';
import { assetFileName, sha256Hex } from '../engine/project/assets';
import { DEFAULT_DEPTH_MAPPING, type ProjectDoc } from '../engine/project/schema';
import { timeMs, type Benchmark, type BenchFigure } from './harness';

/**
 * What the folder layout buys: saving after an edit of the track writes one small JSON file, where
 * a single-file project (the straightforward design) rewrites the photo and the depth with it.
 * Sizes are those of a 1920x1080 photo (about 3 MB as PNG) and its float32 depth (8.3 MB).
 */
export const projectBenchmark: Benchmark = {
  name: 'project',
  description: 'project save after a track edit (folder vs one-file rewrite) and open with asset verification',
  async run(): Promise<BenchFigure[]> {
    const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-bench-project-'));
    try {
      const png = new Uint8Array(randomBytes(3_000_000));
      png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      const npy = new Uint8Array(randomBytes(1920 * 1080 * 4 + 128));
      const img = { file: assetFileName('image', sha256Hex(png), 'png'), sha256: sha256Hex(png) };
      const dep = { file: assetFileName('depth', sha256Hex(npy), 'npy'), sha256: sha256Hex(npy) };
      let doc: ProjectDoc = createProject('Bench', {
        image: { asset: img, originalName: 'a.png', width: 1920, height: 1080 },
        depth: { source: { type: 'file', asset: dep, originalName: 'a.npy' }, mapping: DEFAULT_DEPTH_MAPPING },
      });
      const dir = path.join(tmp, 'Bench.camtrack');
      await saveProject(dir, doc, [
        { name: img.file, bytes: png },
        { name: dep.file, bytes: npy },
      ]);

      let x = 0;
      const edit = () => {
        x += 0.01;
        doc = { ...doc, track: { ...doc.track, keyframes: [{ ...doc.track.keyframes[0], position: [x, 0, 0] }] } };
      };
      const save = await timeMs(async () => {
        edit();
        await saveProject(dir, doc);
      }, 7);
      const single = path.join(tmp, 'Bench.camtrack-single');
      const rewrite = await timeMs(async () => {
        edit();
        const json = Buffer.from(projectJsonText(doc));
        await writeFileAtomic(single, Buffer.concat([json, png, npy]));
      }, 7);
      const open = await timeMs(() => openProject(dir), 7);
      const openNoVerify = await timeMs(() => openProject(dir, { verifyAssets: false }), 7);
      return [
        {
          label: 'save after a track edit (project folder, 11 MB of assets in place)',
          value: save,
          unit: 'ms',
          baseline: { label: 'rewrite one project file of JSON + assets', value: rewrite },
        },
        {
          label: 'open with sha256 check of 11 MB of assets',
          value: open,
          unit: 'ms',
          baseline: { label: 'open without the check', value: openNoVerify },
        },
      ];
    } finally {
      await fs.rm(tmp, { recursive: true, force: true });
    }
  },
};
