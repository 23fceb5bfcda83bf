import type { Command } from 'commander';
import { exportRender } from '../../engine/transcode';
import { CamtrackError } from '../../engine/util/errors';
import type { ExportFormat } from '../../engine/video';
import { printJson, progressLine } from '../io';

const FORMATS: ExportFormat[] = ['mp4', 'webm', 'gif', 'png'];

/**
 * `camtrack export RENDER --format F [--fps N] [--out PATH]`: a finished render (its video or PNG
 * folder, with its sidecar beside it) to another format or frame rate, without rendering again,
 * as the history card's Export does (engine/transcode).
 */
export function registerExport(program: Command): void {
  program
    .command('export')
    .description('export a finished render to another format or frame rate (24/30 fps by interpolation), no re-render')
    .argument('<render>', 'the render: clip.mp4 (its sidecar clip.mp4.json beside it) or a PNG folder')
    .requiredOption('--format <f>', FORMATS.join(' | '))
    .option(
      '--fps <n>',
      "frames per second; another rate than the render's is made by motion-compensated interpolation (default: the render's)",
    )
    .option('--out <path>', 'where to write it (default: beside the render, NAME-<fps>fps.<format>)')
    .action(async (render: string, opts: { format: string; fps?: string; out?: string }) => {
      if (!FORMATS.includes(opts.format as ExportFormat))
        throw new CamtrackError('bad-input', `--format is one of ${FORMATS.join(', ')} (got "${opts.format}").`);
      const fps = opts.fps === undefined ? null : Number(opts.fps);
      if (fps !== null && !(Number.isFinite(fps) && fps > 0 && fps <= 240))
        throw new CamtrackError('bad-input', `--fps must be a number in (0, 240] (got "${opts.fps}").`);
      const r = await exportRender({
        render,
        format: opts.format as ExportFormat,
        fps,
        out: opts.out,
        onProgress: (p) => progressLine(`export ${Math.round(p.fraction * 100)}%`),
      });
      const o = r.sidecar.output;
      printJson({
        out: r.out,
        sidecar: r.sidecarPath,
        format: o.format,
        frames: o.frames,
        fps: o.fps,
        bytes: o.bytes,
        readFrom: r.sidecar.source.readFrom,
        interpolated: r.sidecar.interpolation !== null,
      });
    });
}
