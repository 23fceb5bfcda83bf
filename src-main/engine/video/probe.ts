import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CamtrackError } from '../util/errors';
import { resolveFfprobe } from './resolve-ffmpeg';

/** What ffprobe sees in a video file or a PNG-sequence folder. */
export interface VideoProbe {
  codec: string;
  pixFmt: string;
  /** Frames actually decoded (ffprobe -count_frames), not the container's claim. */
  frames: number;
  width: number;
  height: number;
  /** Average frame rate; null for a PNG sequence, whose files carry no timing. */
  fps: number | null;
  /** Container duration in seconds, when the container has one. */
  durationS: number | null;
}

export interface ProbeOptions {
  ffprobePath?: string;
}

/** "30000/1001" -> 29.97..; "0/0" -> null. */
export function parseRate(rate: string | undefined): number | null {
  if (!rate) return null;
  const [n, d] = rate.split('/').map(Number);
  const v = d === undefined ? n : n / d;
  return Number.isFinite(v) && v > 0 ? v : null;
}

export async function probeVideo(target: string, opts: ProbeOptions = {}): Promise<VideoProbe> {
  const ffprobe = opts.ffprobePath ?? (await resolveFfprobe()).path;
  const st = await fs.stat(target).catch(() => null);
  if (!st) throw new CamtrackError('not-found', `No such video: ${target}`);
  let input = ['-i', target];
  let fileCount: number | null = null;
  if (st.isDirectory()) {
    const names = (await fs.readdir(target)).filter((n) => /^frame_\d+\.png$/.test(n)).sort();
    if (names.length === 0) throw new CamtrackError('bad-file', `${target} holds no frame_NNNN.png files.`);
    const digits = names[0].length - 'frame_.png'.length;
    fileCount = names.length;
    input = ['-f', 'image2', '-start_number', '0', '-i', path.join(target, `frame_%0${digits}d.png`)];
  }
  const args = [
    '-v',
    'error',
    '-count_frames',
    '-select_streams',
    'v:0',
    '-show_entries',
    'stream=codec_name,pix_fmt,width,height,avg_frame_rate,r_frame_rate,nb_read_frames:format=duration',
    '-of',
    'json',
    ...input,
  ];
  const { code, stdout, stderr } = await run(ffprobe, args);
  if (code !== 0)
    throw new CamtrackError(
      'bad-file',
      `ffprobe could not read ${target}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`,
    );
  const json = JSON.parse(stdout) as {
    streams?: Array<Record<string, string | number | undefined>>;
    format?: { duration?: string };
  };
  const s = json.streams?.[0];
  if (!s) throw new CamtrackError('bad-file', `${target} has no video stream.`);
  const duration = Number(json.format?.duration);
  return {
    codec: String(s.codec_name),
    pixFmt: String(s.pix_fmt),
    frames: Number(s.nb_read_frames),
    width: Number(s.width),
    height: Number(s.height),
    fps: fileCount !== null ? null : (parseRate(String(s.avg_frame_rate)) ?? parseRate(String(s.r_frame_rate))),
    durationS: fileCount !== null || !Number.isFinite(duration) ? null : duration,
  };
}

function run(file: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString('utf8')).slice(-16_384)));
    child.on('error', (e) =>
      reject(new CamtrackError('ffmpeg', `ffprobe could not be started (${file}): ${e.message}`, { cause: e })),
    );
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
