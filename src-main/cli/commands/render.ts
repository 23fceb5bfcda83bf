import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { parseProviderChoice } from '../../engine/models/providers';
import { openProject } from '../../engine/project/store';
import { Fidelity, OutputFormat, type ExecutionProviderName, type WarpMethod } from '../../engine/project/schema';
import {
  applyRenderOverrides,
  renderFromSidecar,
  renderProject,
  type RenderProgress,
  type RenderResult,
} from '../../engine/render';
import { isPreviewModel, PREVIEW_MODEL } from '../../engine/preview/kind';
import { CamtrackError } from '../../engine/util/errors';
import { inRange, LIMITS, rangeText, type Range } from '../../engine/util/limits';
import { removeOwnTemporariesSync, removeStalePartials, startTemporaryReaper } from '../../engine/video';
import { printJson, progressLine } from '../io';

interface RenderFlags {
  out: string;
  model?: string;
  ep?: string;
  steps?: string;
  seed?: string;
  format?: string;
  preview?: boolean;
  width?: string;
  height?: string;
  windowFrames?: string;
  windowOverlap?: string;
  fidelity?: string;
  warp?: string;
}

const EXTENSION_FORMAT: Record<string, OutputFormat> = { '.mp4': 'mp4', '.webm': 'webm', '.gif': 'gif' };

function fidelityChoice(value: string): Fidelity {
  const r = Fidelity.safeParse(value);
  if (!r.success)
    throw new CamtrackError('bad-input', `--fidelity must be studio or reference (got ${JSON.stringify(value)}).`);
  return r.data;
}

function wholeNumber(flag: string, value: string, range: Range): number {
  const n = Number(value);
  if (!inRange(n, range))
    throw new CamtrackError('bad-input', `${flag} must be a whole number ${rangeText(range)} (got "${value}").`);
  return n;
}

/** The output format: --format, else the --out extension, else the project's setting. A contradiction is refused. */
export function outputFormat(out: string, flag: string | undefined, projectFormat: OutputFormat): OutputFormat {
  const ext = path.extname(out).toLowerCase();
  const byExt = EXTENSION_FORMAT[ext];
  // An extension camtrack does not write (.mkv, .mov) would get another container's bytes: refused.
  if (flag === undefined && ext && !byExt)
    throw new CamtrackError(
      'bad-input',
      `--out ${out}: camtrack does not write ${ext} files. Use .mp4, .webm or .gif (or --format png with a folder).`,
    );
  if (flag === undefined) return byExt ?? projectFormat;
  const r = OutputFormat.safeParse(flag);
  if (!r.success) throw new CamtrackError('bad-input', `--format must be mp4, png, webm or gif (got "${flag}").`);
  if (byExt && byExt !== r.data)
    throw new CamtrackError(
      'bad-input',
      `--out ${out} is a .${byExt} file name but --format is ${r.data}. Make them agree.`,
    );
  if (!byExt && r.data !== 'png' && path.extname(out))
    throw new CamtrackError('bad-input', `--out ${out} has an extension that is not .${r.data}.`);
  return r.data;
}

function progressPrinter(): (p: RenderProgress) => void {
  let last = '';
  return (p) => {
    const pct = Math.floor(p.fraction * 100);
    const stage = p.window && p.windows ? `${p.stage}, window ${p.window}/${p.windows}` : p.stage;
    const line =
      p.stage === 'denoise' && p.steps
        ? `render ${pct}%  denoise step ${p.step}/${p.steps}`
        : `render ${pct}%  ${stage}`;
    if (line === last) return;
    last = line;
    progressLine(line);
  };
}

function report(r: RenderResult): void {
  if (process.stderr.isTTY) process.stderr.write('\n');
  const { sidecar } = r;
  const ep = sidecar.executionProvider;
  process.stderr.write(
    `wrote ${r.out} (${sidecar.output.frames} frames, ${sidecar.output.width}x${sidecar.output.height}, ${sidecar.output.format}) and ${r.sidecarPath}\n`,
  );
  if (ep.fallbackReason) process.stderr.write(`execution provider: ${ep.used} (${ep.fallbackReason})\n`);
  printJson({
    out: r.out,
    sidecar: r.sidecarPath,
    frames: sidecar.output.frames,
    width: sidecar.output.width,
    height: sidecar.output.height,
    format: sidecar.output.format,
    model: sidecar.model.name,
    executionProvider: ep.used,
    timingsMs: Object.fromEntries(r.timings.map((t) => [t.stage, Math.round(t.ms)])),
  });
}

/**
 * `camtrack render PROJECT --out OUT.mp4`: renders a project headless, with the built-in draft
 * model unless --model names a model folder. PROJECT may also be a render's sidecar JSON, which
 * renders the same frames again.
 */
export function registerRender(program: Command): void {
  program
    .command('render')
    .description(
      'render a project (NAME.camtrack) to a video with its camera track, lambda table and seed; or re-render a sidecar (OUT.mp4.json)',
    )
    .argument('<project>', 'the project folder (or its project.json), or a render sidecar .json')
    .requiredOption('--out <file>', 'the video to write (.mp4, .webm, .gif), or a folder for --format png')
    .option(
      '--model <dir>',
      'a model folder (model.json + ONNX files); default: the project setting, "draft" = the built-in draft model, "preview" = no model',
    )
    .option('--ep <name>', 'execution provider: auto, cuda, dml, coreml, webgpu or cpu (default: the project setting)')
    .option('--steps <n>', 'denoising steps (the lambda table is remade or resampled to match)')
    .option('--seed <s>', 'noise seed, 0 to 4294967295')
    .option('--format <f>', 'mp4 | png | webm | gif (default: from --out, else the project setting)')
    .option(
      '--preview',
      'no model: each frame is the photo warped into its camera with the holes filled (fast, any even size)',
    )
    .option('--width <px>', 'render width (a preview: any even size; a model: a multiple of 64)')
    .option('--height <px>', 'render height (a preview: any even size; a model: a multiple of 64)')
    .option(
      '--window-frames <n>',
      'a preview longer than this many frames renders in overlapping windows, each from the last frame of the one before (default: one window)',
    )
    .option('--window-overlap <n>', 'frames consecutive windows share at least, cross-faded (default 4)')
    .option(
      '--fidelity <mode>',
      "studio (the studio's own warp and guidance, default) or reference (the NVS-Solver reference code step for step: its warp and masks, DGS count, 100 steps; docs/reference-deviations.md)",
    )
    .option(
      '--warp <method>',
      "mesh | splat: the photo as a surface torn at depth edges, or the reference's splatting (default: the project setting; reference fidelity always splats)",
    )
    .action(async (target: string, flags: RenderFlags) => {
      const executionProvider =
        flags.ep !== undefined ? (parseProviderChoice(flags.ep) as ExecutionProviderName) : undefined;
      const controller = new AbortController();
      const outDir = path.dirname(path.resolve(flags.out));
      // The first SIGINT/SIGTERM cancels: the render stops at its next check, kills ffmpeg and
      // removes its temporaries, and the command exits with the cancel message. A second one
      // removes this process's temporaries at once and exits.
      let signalled = 0;
      const onSignal = (sig: NodeJS.Signals) => {
        signalled++;
        if (signalled === 1) {
          process.stderr.write(`\n${sig}: cancelling the render; the previous output is kept.\n`);
          controller.abort();
          return;
        }
        removeOwnTemporariesSync(outDir);
        process.exit(130);
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      // Should this process be killed outright (no handler runs), a watcher removes its temporaries.
      const reaper = startTemporaryReaper(outDir);
      try {
        // A render killed before (SIGKILL, power loss) may have left temporaries or a half-committed pair.
        await removeStalePartials(outDir);
        const st = await fs.stat(target).catch(() => null);
        if (!st) throw new CamtrackError('not-found', `No such project or sidecar: ${target}`);
        if (st.isFile() && target.endsWith('.json') && path.basename(target) !== 'project.json') {
          if (
            flags.steps !== undefined ||
            flags.seed !== undefined ||
            flags.format !== undefined ||
            flags.preview ||
            flags.width !== undefined ||
            flags.height !== undefined ||
            flags.windowFrames !== undefined ||
            flags.windowOverlap !== undefined ||
            flags.fidelity !== undefined ||
            flags.warp !== undefined
          )
            throw new CamtrackError(
              'bad-input',
              'A sidecar re-renders exactly what it records: --steps, --seed, --format, --preview, --width, --height, --window-frames, --window-overlap, --fidelity and --warp do not apply.',
            );
          const r = await renderFromSidecar(target, {
            out: flags.out,
            model: flags.model === undefined || flags.model === 'draft' ? flags.model : path.resolve(flags.model),
            executionProvider,
            signal: controller.signal,
            onProgress: progressPrinter(),
          });
          report(r);
          return;
        }
        if (flags.preview && flags.model !== undefined)
          throw new CamtrackError(
            'bad-input',
            '--preview renders without a model: leave out --model (or leave out --preview).',
          );
        const opened = await openProject(target);
        const format = outputFormat(flags.out, flags.format, opened.doc.render.format);
        const { doc, notes } = applyRenderOverrides(opened.doc, {
          // --model is a path from here; the project's own setting is relative to the project.
          model: flags.preview
            ? PREVIEW_MODEL
            : flags.model === undefined || flags.model === 'draft' || isPreviewModel(flags.model)
              ? flags.model
              : path.resolve(flags.model),
          executionProvider,
          format,
          ...(flags.fidelity !== undefined && { fidelity: fidelityChoice(flags.fidelity) }),
          ...(flags.steps !== undefined && { steps: wholeNumber('--steps', flags.steps, LIMITS.steps) }),
          ...(flags.seed !== undefined && { seed: wholeNumber('--seed', flags.seed, { min: 0, max: 2 ** 32 - 1 }) }),
          ...(flags.width !== undefined && { width: wholeNumber('--width', flags.width, LIMITS.renderSide) }),
          ...(flags.height !== undefined && { height: wholeNumber('--height', flags.height, LIMITS.renderSide) }),
          ...(flags.windowFrames !== undefined && {
            windowFrames: wholeNumber('--window-frames', flags.windowFrames, LIMITS.windowFrames),
          }),
          ...(flags.warp !== undefined && { warp: flags.warp as WarpMethod }),
          ...(flags.windowOverlap !== undefined && {
            windowOverlap: wholeNumber('--window-overlap', flags.windowOverlap, LIMITS.windowOverlap),
          }),
        });
        for (const n of notes) process.stderr.write(`${n}\n`);
        if (doc.render.model === 'draft')
          process.stderr.write(
            'Using the built-in draft model: it needs no download and shows the whole pipeline working, but it is a stand-in, not Stable Video Diffusion. Give --model DIR for a real model.\n',
          );
        if (isPreviewModel(doc.render.model))
          process.stderr.write(
            'Preview: no model; each frame is the photo warped into its camera, with the holes filled. Give --model DIR for a generated video.\n',
          );
        const r = await renderProject({
          projectDir: opened.dir,
          doc,
          out: flags.out,
          signal: controller.signal,
          onProgress: progressPrinter(),
        });
        for (const n of r.notes.filter((n) => !notes.includes(n))) process.stderr.write(`${n}\n`);
        report(r);
      } finally {
        reaper.done();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
