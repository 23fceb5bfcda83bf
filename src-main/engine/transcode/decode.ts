import { spawn } from 'node:child_process';
import { CamtrackError } from '../util/errors';
import { stderrTail } from '../video/export';
import { fpsRational } from '../video/ffmpeg-args';

/**
 * Decodes a render's frames back to RGB24 through ffmpeg (an edge module): from its lossless
 * master, its PNG folder, or its video, optionally through a filter (frame interpolation). Frames
 * stream from ffmpeg's stdout one at a time, so a long clip never sits in memory whole; a consumer
 * that stops early (or a cancel) kills ffmpeg.
 */
export interface DecodeSource {
  /** A video file, or a PNG folder's frame pattern (frame_%04d.png) with `pngRate`. */
  input: string;
  /** The PNG sequence's frame rate (files carry no timing); absent for a video file. */
  pngRate?: number;
}

export interface DecodeOptions {
  ffmpeg: string;
  source: DecodeSource;
  width: number;
  height: number;
  /** Exactly this many frames are expected; fewer is an error naming both counts. */
  count: number;
  /** A -vf filter chain (crop, interpolation), or none. */
  filter?: string;
  signal?: AbortSignal;
}

export async function* decodeFrames(o: DecodeOptions): AsyncGenerator<Uint8Array> {
  const frameBytes = o.width * o.height * 3;
  const input = o.source.pngRate
    ? ['-framerate', fpsRational(o.source.pngRate), '-f', 'image2', '-start_number', '0', '-i', o.source.input]
    : ['-i', o.source.input];
  const args = [
    '-hide_banner',
    '-v',
    'error',
    '-nostdin',
    ...input,
    '-map',
    '0:v:0',
    ...(o.filter ? ['-vf', o.filter] : []),
    // Exact rounding in the conversions back to RGB (a source frame comes back within one level).
    '-sws_flags',
    'bicubic+accurate_rnd+full_chroma_int',
    '-fps_mode',
    'passthrough',
    '-frames:v',
    String(o.count),
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    'pipe:1',
  ];
  const child = spawn(o.ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString('utf8')).slice(-16_384)));
  let spawnError: Error | null = null;
  const exited = new Promise<number | null>((resolve) => {
    child.on('error', (e) => {
      spawnError = e;
      resolve(null);
    });
    child.on('close', (code) => resolve(code));
  });
  const kill = () => child.kill('SIGKILL');
  o.signal?.addEventListener('abort', kill, { once: true });
  let made = 0;
  try {
    let pending: Buffer[] = [];
    let have = 0;
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      pending.push(chunk);
      have += chunk.length;
      while (have >= frameBytes && made < o.count) {
        const all = pending.length === 1 ? pending[0] : Buffer.concat(pending);
        const frame = new Uint8Array(frameBytes);
        frame.set(all.subarray(0, frameBytes));
        pending = have > frameBytes ? [all.subarray(frameBytes)] : [];
        have -= frameBytes;
        made++;
        yield frame;
      }
    }
    const code = await exited;
    if (o.signal?.aborted) throw new CamtrackError('cancelled', 'The export was cancelled.');
    if (spawnError)
      throw new CamtrackError('ffmpeg', `ffmpeg could not be started (${o.ffmpeg}): ${(spawnError as Error).message}`);
    if (code !== 0)
      throw new CamtrackError(
        'ffmpeg',
        `ffmpeg could not read the frames of ${o.source.input}: ${stderrTail(stderr, 3).replace(/\n/g, ' | ') || `exit code ${code}`}`,
        { detail: stderrTail(stderr) },
      );
    if (made < o.count)
      throw new CamtrackError(
        'bad-file',
        `${o.source.input} gave ${made} frames of ${o.width}x${o.height}; its sidecar says ${o.count}. The render was changed after it was made.`,
      );
  } finally {
    o.signal?.removeEventListener('abort', kill);
    if (child.exitCode === null) kill();
  }
}
