import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sortNaturally } from './depthSequence';
import { probeVideo, type VideoProbe } from '../video/probe';
import { resolveFfmpeg } from '../video/resolve-ffmpeg';
import { CamtrackError } from '../util/errors';
import { checkRegularFile } from '../util/readBytes';

/**
 * Decodes a video (any format ffmpeg reads) to PNG frames (edge module). Every decoded frame is
 * kept as it is (no frame-rate conversion: `-fps_mode passthrough`), turned upright as players show
 * it, as 8-bit RGB. The frames are written to a temporary folder the caller removes (`dispose`).
 */
export interface DecodedVideo {
  probe: VideoProbe;
  /** PNG files in frame order. */
  files: string[];
  dispose(): Promise<void>;
}

export async function probeInputVideo(file: string): Promise<VideoProbe> {
  const st = await fs.stat(file).catch(() => null);
  if (!st) throw new CamtrackError('not-found', `The video ${file} does not exist.`);
  if (st.isDirectory())
    throw new CamtrackError('bad-input', `The video ${file} is a folder; give a video file (mp4, mov, webm, mkv...).`);
  // A FIFO or a device would hold ffprobe forever.
  await checkRegularFile(file);
  let probe: VideoProbe;
  try {
    probe = await probeVideo(file);
  } catch (e) {
    if (e instanceof CamtrackError && e.code === 'bad-file')
      throw new CamtrackError(
        'bad-file',
        `The video ${file} cannot be read (damaged, or not a video ffmpeg knows): ${e.message}`,
        { cause: e },
      );
    throw e;
  }
  if (!(probe.frames > 0)) throw new CamtrackError('bad-file', `The video ${file} has no frames ffmpeg can decode.`);
  return probe;
}

/** Decodes the first `maxFrames` frames of `file` to PNGs. */
export async function decodeVideoFrames(
  file: string,
  probe: VideoProbe,
  maxFrames: number,
  signal?: AbortSignal,
): Promise<DecodedVideo> {
  const ffmpeg = (await resolveFfmpeg()).path;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-video-'));
  const dispose = () => fs.rm(dir, { recursive: true, force: true });
  try {
    const args = [
      '-v',
      'error',
      '-nostdin',
      '-i',
      file,
      '-map',
      '0:v:0',
      '-frames:v',
      String(maxFrames),
      '-fps_mode',
      'passthrough',
      '-pix_fmt',
      'rgb24',
      '-f',
      'image2',
      '-start_number',
      '0',
      path.join(dir, 'frame_%06d.png'),
    ];
    const { code, stderr } = await run(ffmpeg, args, signal);
    if (signal?.aborted) throw new CamtrackError('cancelled', 'The video import was cancelled.');
    if (code !== 0)
      throw new CamtrackError(
        'bad-file',
        `ffmpeg could not decode the video ${file}: ${stderr.trim().split('\n').slice(-3).join(' | ') || `exit code ${code}`}`,
      );
    const files = sortNaturally((await fs.readdir(dir)).filter((n) => n.endsWith('.png'))).map((n) =>
      path.join(dir, n),
    );
    if (files.length === 0) throw new CamtrackError('bad-file', `ffmpeg decoded no frames from the video ${file}.`);
    return { probe, files, dispose };
  } catch (e) {
    await dispose();
    throw e;
  }
}

function run(file: string, args: string[], signal?: AbortSignal): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'ignore', 'pipe'], windowsHide: true });
    let stderr = '';
    const onAbort = () => child.kill('SIGKILL');
    signal?.addEventListener('abort', onAbort, { once: true });
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString('utf8')).slice(-16_384)));
    child.on('error', (e) => {
      signal?.removeEventListener('abort', onAbort);
      reject(new CamtrackError('ffmpeg', `ffmpeg could not be started (${file}): ${e.message}`, { cause: e }));
    });
    child.on('close', (code) => {
      signal?.removeEventListener('abort', onAbort);
      resolve({ code, stderr });
    });
  });
}
