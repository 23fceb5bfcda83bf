import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readSidecar, sidecarPathFor, type RenderSidecar } from '../render/sidecar';
import { appVersion } from '../util/appRoot';
import { tempPathBeside, writeFileAtomic } from '../util/atomic';
import { CamtrackError } from '../util/errors';
import { commitGroup, discardStaged, type StagedFile } from '../video/commit';
import { exportFrames, type ExportProgress } from '../video/export';
import { DEFAULT_CRF, pngDigits, type ExportFormat } from '../video/ffmpeg-args';
import { resolveFfmpeg } from '../video/resolve-ffmpeg';
import { decodeFrames, type DecodeSource } from './decode';
import { interpolatedFrameCount, interpolationFilter } from './interpolate';
import { hasMaster, masterPathFor } from './master';
import { EXPORT_SIDECAR_KIND, EXPORT_SIDECAR_VERSION, ExportSidecar, type ExportReadFrom } from './sidecar';

/**
 * Export a finished render to another format, and optionally another frame rate, without
 * rendering again: the frames are read back (from the render's lossless master, its PNG frames,
 * or failing both its video), interpolated when the rate changes, and encoded to the new file
 * beside the render. The file and its sidecar (pointing to the render) are committed together; a
 * failed or cancelled export leaves whatever was there before.
 */
export interface ExportRenderOptions {
  /** The render's output: its video file, or its PNG folder. */
  render: string;
  format: ExportFormat;
  /** Frames per second of the export; absent or null: the render's own (no interpolation). */
  fps?: number | null;
  /** mp4/webm quality; default: the render's when it had this format, else the format's default. */
  crf?: number;
  /** Default: exportPathFor(render, format, fps) beside the render. */
  out?: string;
  signal?: AbortSignal;
  onProgress?: (p: ExportProgress) => void;
  ffmpegPath?: string;
}

export interface ExportRenderResult {
  out: string;
  sidecarPath: string;
  sidecar: ExportSidecar;
}

/** "7", "24", "29.97": a frame rate as it appears in a file name. */
function fpsLabel(fps: number): string {
  return String(Number(fps.toFixed(3)));
}

/** `renders/Shot-seed42-…-1a2b.mp4` at 24 fps as gif -> `renders/Shot-seed42-…-1a2b-24fps.gif` (a folder for png). */
export function exportPathFor(render: string, format: ExportFormat, fps: number): string {
  const clean = render.replace(/[\\/]+$/, '');
  const base = path.basename(clean).replace(/\.(mp4|webm|gif)$/i, '');
  const name = `${base}-${fpsLabel(fps)}fps`;
  return path.join(path.dirname(clean), format === 'png' ? name : `${name}.${format}`);
}

interface Source extends DecodeSource {
  readFrom: ExportReadFrom;
  width: number;
  height: number;
}

/** Where the frames come from: the master, the PNG folder, else the video itself (one more lossy pass). */
async function frameSource(render: string, isFolder: boolean, s: RenderSidecar): Promise<Source> {
  const { width, height } = s.settings;
  if (isFolder) {
    const pattern = path.join(render, `frame_%0${pngDigits(s.output.frames)}d.png`);
    return { input: pattern, pngRate: s.output.fps, readFrom: 'png', width: s.output.width, height: s.output.height };
  }
  if (await hasMaster(render)) return { input: masterPathFor(render), readFrom: 'master', width, height };
  return { input: render, readFrom: 'video', width: s.output.width, height: s.output.height };
}

export async function exportRender(o: ExportRenderOptions): Promise<ExportRenderResult> {
  const render = path.resolve(o.render.replace(/[\\/]+$/, ''));
  const st = await fs.stat(render).catch(() => null);
  if (!st) throw new CamtrackError('not-found', `The render ${render} is no longer there: nothing to export.`);
  const sidecarFile = sidecarPathFor(render);
  const raw = await fs.readFile(sidecarFile, 'utf8').catch(() => null);
  if (raw === null)
    throw new CamtrackError(
      'not-found',
      `${render} has no sidecar (${path.basename(sidecarFile)}): only a render made by Camtrack Studio can be exported from.`,
    );
  if (/"kind":\s*"camtrack-export"/.test(raw))
    throw new CamtrackError('bad-input', `${render} is itself an export: export from the render it was made from.`);
  const sidecar = await readSidecar(sidecarFile);

  const source = await frameSource(render, st.isDirectory(), sidecar);
  const fromFps = sidecar.output.fps;
  const toFps = o.fps ?? fromFps;
  const interpolate = Math.abs(toFps - fromFps) > 1e-9;
  const count = interpolate ? interpolatedFrameCount(sidecar.output.frames, fromFps, toFps) : sidecar.output.frames;
  // A padded mp4 (an odd side) is cropped back to the rendered size.
  const { width, height } = sidecar.settings;
  const crop = source.width !== width || source.height !== height ? `crop=${width}:${height}:0:0` : null;
  const motion = interpolate ? interpolationFilter(fromFps, toFps) : null;
  const filter = [crop, motion].filter(Boolean).join(',') || undefined;
  const crf =
    o.format === 'mp4' || o.format === 'webm'
      ? (o.crf ?? (sidecar.settings.format === o.format ? sidecar.settings.crf : DEFAULT_CRF[o.format]))
      : undefined;
  const out = path.resolve(o.out ?? exportPathFor(render, o.format, toFps));
  if (out === render || out === masterPathFor(render))
    throw new CamtrackError('bad-input', `The export would replace its own source ${out}: choose another name.`);
  const ffmpeg = o.ffmpegPath ?? (await resolveFfmpeg()).path;

  const exported = await exportFrames({
    format: o.format,
    width,
    height,
    fps: toFps,
    crf,
    frames: decodeFrames({
      ffmpeg,
      source,
      width: source.width,
      height: source.height,
      count,
      filter,
      signal: o.signal,
    }),
    count,
    out,
    signal: o.signal,
    onProgress: o.onProgress,
    ffmpegPath: ffmpeg,
    stage: true,
  });
  const staged: StagedFile[] = [{ tmp: exported.staged!, target: exported.out }];
  try {
    const result = ExportSidecar.parse({
      kind: EXPORT_SIDECAR_KIND,
      sidecarVersion: EXPORT_SIDECAR_VERSION,
      app: { name: 'Camtrack Studio', version: appVersion() },
      createdAt: new Date().toISOString(),
      output: {
        file: path.basename(exported.out),
        format: o.format,
        width: exported.width,
        height: exported.height,
        frames: exported.frames,
        fps: toFps,
        crf: crf ?? null,
        bytes: exported.bytes,
      },
      source: {
        render: path.basename(render),
        sidecar: path.basename(sidecarFile),
        frames: sidecar.output.frames,
        fps: fromFps,
        readFrom: source.readFrom,
        lossless: source.readFrom !== 'video',
      },
      interpolation: motion ? { method: 'minterpolate', fromFps, toFps, filter: motion } : null,
    } satisfies ExportSidecar);
    const sidecarPath = sidecarPathFor(exported.out);
    const tmp = tempPathBeside(sidecarPath);
    staged.push({ tmp, target: sidecarPath });
    await writeFileAtomic(tmp, `${JSON.stringify(result, null, 2)}\n`);
    if (o.signal?.aborted) throw new CamtrackError('cancelled', `The export of ${out} was cancelled.`);
    await commitGroup(staged);
    return { out: exported.out, sidecarPath, sidecar: result };
  } catch (e) {
    await discardStaged(staged);
    throw e;
  }
}
