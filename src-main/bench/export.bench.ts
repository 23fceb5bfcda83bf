import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { createProject } from '../engine/project/create';
import { RenderQueueStore } from '../engine/queue/store';
import { exportFrames } from '../engine/video/export';
import { pngFrameName } from '../engine/video/ffmpeg-args';
import { resolveFfmpeg } from '../engine/video/resolve-ffmpeg';
import { gradientFrame } from '../test/syntheticFrames';
import { timeMs, type Benchmark, type BenchFigure } from './harness';

/**
 * Export: frames piped to ffmpeg as raw rgb24, against the straightforward way of writing every
 * frame to disk as PNG first and letting ffmpeg read the files back (frames written twice).
 * Queue: a burst of progress reports through the coalescing store, against one atomic write per
 * report.
 */
const W = 1024;
const H = 576;
const N = 25;

async function run(file: string, args: string[]): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const c = spawn(file, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    c.stderr.on('data', (d: Buffer) => (err += d.toString()));
    c.on('error', reject);
    c.on('close', (code) => (code === 0 ? resolve() : reject(new Error(err))));
  });
}

export const exportBenchmark: Benchmark = {
  name: 'export',
  description: `mp4 export of ${N} frames at ${W}x${H} (piped vs PNG files first); queue progress writes`,
  async run(): Promise<BenchFigure[]> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-bench-export-'));
    try {
      const ffmpeg = (await resolveFfmpeg()).path;
      const frames = Array.from({ length: N }, (_, i) => gradientFrame(W, H, i));
      const piped = await timeMs(
        () =>
          exportFrames({
            frames,
            width: W,
            height: H,
            fps: 7,
            count: N,
            format: 'mp4',
            crf: 18,
            out: path.join(dir, 'piped.mp4'),
            ffmpegPath: ffmpeg,
          }),
        3,
        1,
      );
      const viaFiles = await timeMs(
        async () => {
          const tmp = await fs.mkdtemp(path.join(dir, 'pngs-'));
          for (let i = 0; i < N; i++)
            await sharp(frames[i], { raw: { width: W, height: H, channels: 3 } })
              .png()
              .toFile(path.join(tmp, pngFrameName(i, N)));
          await run(ffmpeg, [
            '-v',
            'error',
            '-framerate',
            '7',
            '-start_number',
            '0',
            '-i',
            path.join(tmp, 'frame_%04d.png'),
            '-c:v',
            'libx264',
            '-crf',
            '18',
            '-pix_fmt',
            'yuv420p',
            '-movflags',
            '+faststart',
            '-y',
            path.join(dir, 'files.mp4'),
          ]);
          await fs.rm(tmp, { recursive: true, force: true });
        },
        3,
        1,
      );

      const project = createProject('bench', { numFrames: 14, render: { steps: 10 } });
      const REPORTS = 200;
      const coalesced = await timeMs(
        async () => {
          const store = await RenderQueueStore.open(path.join(dir, `q-${Math.random()}.json`));
          const job = await store.enqueue({ label: 'bench', project });
          await store.markRunning(job.id);
          await Promise.all(
            Array.from({ length: REPORTS }, (_, i) =>
              store.markProgress(job.id, { fraction: (i + 1) / REPORTS, stage: 'denoise' }),
            ),
          );
        },
        3,
        1,
      );
      const eachWrite = await timeMs(
        async () => {
          const file = path.join(dir, `naive-${Math.random()}.json`);
          const store = await RenderQueueStore.open(file);
          const job = await store.enqueue({ label: 'bench', project });
          await store.markRunning(job.id);
          // Awaiting each report leaves nothing to fold together: one atomic write per report.
          for (let i = 0; i < REPORTS; i++)
            await store.markProgress(job.id, { fraction: (i + 1) / REPORTS, stage: 'denoise' });
        },
        3,
        1,
      );
      return [
        {
          label: `mp4 export, ${N} frames ${W}x${H}, piped rgb24`,
          value: piped,
          unit: 'ms',
          baseline: { label: 'PNG files written, then read by ffmpeg', value: viaFiles },
        },
        {
          label: `queue: ${REPORTS} progress reports, coalesced atomic writes`,
          value: coalesced,
          unit: 'ms',
          baseline: { label: 'one atomic write per report', value: eachWrite },
        },
      ];
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  },
};
