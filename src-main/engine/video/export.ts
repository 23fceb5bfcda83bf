import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { tempPathBeside } from '../util/atomic';
import { CamtrackError, toErrorInfo } from '../util/errors';
import { buildFfmpegArgs, outputSize, type EncodeFormat, type EncodeSpec } from './ffmpeg-args';
import { resolveFfmpeg } from './resolve-ffmpeg';

/**
 * Exports frames through ffmpeg. Frames are piped to ffmpeg's stdin as raw rgb24 (never written
 * to disk first), one at a time: each write is awaited until the pipe has taken it, so a slow
 * encoder slows the producer instead of piling frames up in memory, and a producer may reuse one
 * buffer for every frame. ffmpeg writes to a temporary path beside the target, renamed into
 * place only when ffmpeg succeeded; a failed or cancelled export leaves the previous output.
 */
export interface ExportOptions extends EncodeSpec {
  /** RGB24 frames, width * height * 3 bytes each, exactly `count` of them. */
  frames: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
  count: number;
  /** Target file (mp4/webm/gif) or folder (png: frame_0000.png ...). */
  out: string;
  onProgress?: (p: ExportProgress) => void;
  signal?: AbortSignal;
  /** ffmpeg to run; resolved with resolveFfmpeg() when absent. */
  ffmpegPath?: string;
  /**
   * Leave the finished output in its temporary (result.staged) instead of renaming it to `out`:
   * the caller commits it together with other files (commit.ts) or discards it.
   */
  stage?: boolean;
}

export interface ExportProgress {
  /** 'encoding' while frames are piped, 'finishing' while ffmpeg flushes and writes the trailer. */
  phase: 'encoding' | 'finishing' | 'done';
  framesWritten: number;
  /** Frames ffmpeg reports as encoded (from -progress); lags framesWritten by the encoder's lookahead. */
  framesEncoded: number;
  count: number;
  /** 0..1, half for frames piped and half for frames encoded; 1 only once the output is in place. */
  fraction: number;
}

export interface ExportResult {
  out: string;
  format: EncodeFormat;
  frames: number;
  /** Output size (mp4 pads an odd side by one pixel unless evenSize is 'refuse'). */
  width: number;
  height: number;
  padded: boolean;
  /** Bytes written (the sum of the frame files for png). */
  bytes: number;
  ffmpeg: string;
  /** With `stage`: the complete temporary beside `out`, not yet in place. */
  staged?: string;
}

const STDERR_KEEP = 64 * 1024;

export async function exportFrames(opts: ExportOptions): Promise<ExportResult> {
  const { width, height, count, format } = opts;
  if (!Number.isInteger(count) || count < 1)
    throw new CamtrackError('bad-input', `An export needs at least one frame (count ${count}).`);
  const out = path.resolve(opts.out);
  const tmp = tempPathBeside(out);
  const args = buildFfmpegArgs(opts, count, tmp);
  const size = outputSize(opts);
  const frameBytes = width * height * 3;
  throwIfAborted(opts.signal, out);
  await checkTarget(out, format);
  const ffmpeg = opts.ffmpegPath ?? (await resolveFfmpeg()).path;

  await withFsErrors(out, async () => {
    await fs.mkdir(path.dirname(out), { recursive: true });
    if (format === 'png') await fs.mkdir(tmp);
  });

  const child = spawn(ffmpeg, args, { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
  let stderr = '';
  let spawnError: Error | null = null;
  let writeError: Error | null = null;
  let cancelled = false;
  const progress: ExportProgress = { phase: 'encoding', framesWritten: 0, framesEncoded: 0, count, fraction: 0 };
  let progressError: unknown = null;
  const report = () => {
    if (!opts.onProgress || progressError) return;
    progress.fraction =
      progress.phase === 'done' ? 1 : Math.min(0.999, (progress.framesWritten + progress.framesEncoded) / (2 * count));
    try {
      opts.onProgress({ ...progress });
    } catch (e) {
      progressError = e;
      child.kill('SIGKILL');
    }
  };

  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString('utf8')).slice(-STDERR_KEEP);
  });
  let stdoutRest = '';
  child.stdout.on('data', (d: Buffer) => {
    const lines = (stdoutRest + d.toString('utf8')).split('\n');
    stdoutRest = lines.pop() ?? '';
    let changed = false;
    for (const line of lines) {
      const m = /^frame=(\d+)/.exec(line.trim());
      if (m && Number(m[1]) !== progress.framesEncoded) {
        progress.framesEncoded = Math.min(count, Number(m[1]));
        changed = true;
      }
    }
    if (changed) report();
  });
  // ffmpeg dying early makes our writes fail with EPIPE; its own message explains why, so the
  // write error is only kept for the case where ffmpeg claims success.
  child.stdin.on('error', (e) => {
    writeError ??= e;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('error', (e) => {
      spawnError = e;
      resolve({ code: null, signal: null });
    });
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  const onAbort = () => {
    cancelled = true;
    child.kill('SIGKILL');
  };
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  let failure: unknown = null;
  try {
    let index = 0;
    for await (const frame of opts.frames) {
      if (cancelled || writeError || spawnError || progressError) break;
      if (index >= count)
        throw new CamtrackError('bad-input', `More frames were given than the ${count} announced for ${out}.`);
      if (!(frame instanceof Uint8Array) || frame.byteLength !== frameBytes)
        throw new CamtrackError(
          'bad-input',
          `Frame ${index} has ${frame?.byteLength ?? 0} bytes; a ${width}x${height} RGB frame has ${frameBytes}.`,
        );
      const ok = await writeChunk(child.stdin, Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength));
      if (!ok) {
        writeError ??= new Error('the pipe to ffmpeg closed');
        break;
      }
      index++;
      progress.framesWritten = index;
      report();
    }
    if (!cancelled && !writeError && !spawnError && !progressError && index !== count)
      throw new CamtrackError('bad-input', `Only ${index} of the ${count} announced frames were given for ${out}.`);
  } catch (e) {
    failure = e;
    child.kill('SIGKILL');
  }
  child.stdin.end();
  if (!failure && !cancelled) {
    progress.phase = 'finishing';
    report();
  }
  const { code, signal } = await exited;
  opts.signal?.removeEventListener('abort', onAbort);

  try {
    if (cancelled || opts.signal?.aborted) throw cancelledError(out);
    if (failure) throw failure;
    if (progressError) throw progressError;
    if (spawnError)
      throw new CamtrackError('ffmpeg', `ffmpeg could not be started (${ffmpeg}): ${(spawnError as Error).message}`, {
        cause: spawnError,
      });
    if (code !== 0) throw ffmpegFailure(out, ffmpeg, args, stderr, code, signal);
    if (writeError)
      throw new CamtrackError('ffmpeg', `ffmpeg stopped reading frames for ${out}: ${(writeError as Error).message}`, {
        detail: stderrTail(stderr),
      });
    const bytes = await withFsErrors(out, async () => {
      const b = await outputBytes(tmp, format);
      if (b === 0)
        throw new CamtrackError('ffmpeg', `ffmpeg reported success but wrote nothing for ${out}.`, {
          detail: stderrTail(stderr),
        });
      if (opts.stage) return b;
      if (format === 'png') await replaceFolder(tmp, out);
      else await fs.rename(tmp, out);
      return b;
    });
    progress.phase = 'done';
    progress.framesEncoded = count;
    report();
    return {
      out,
      format,
      frames: count,
      width: size.width,
      height: size.height,
      padded: size.padded,
      bytes,
      ffmpeg,
      ...(opts.stage && { staged: tmp }),
    };
  } catch (e) {
    await fs.rm(tmp, { recursive: true, force: true }).catch(() => {});
    throw e;
  }
}

/** Resolves true once the pipe took the chunk, false when the pipe is closed (ffmpeg exited). */
function writeChunk(stdin: NodeJS.WritableStream & { destroyed?: boolean }, buf: Buffer): Promise<boolean> {
  if (stdin.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    stdin.write(buf, (err) => resolve(!err));
  });
}

function cancelledError(out: string): CamtrackError {
  return new CamtrackError('cancelled', `The export of ${out} was cancelled; any previous file there is unchanged.`);
}

function throwIfAborted(signal: AbortSignal | undefined, out: string): void {
  if (signal?.aborted) throw cancelledError(out);
}

/** The last meaningful lines of ffmpeg's stderr. */
export function stderrTail(stderr: string, lines = 8): string {
  return stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .slice(-lines)
    .join('\n');
}

export function isNoSpaceMessage(stderr: string): boolean {
  return /No space left on device|ENOSPC|Disk quota exceeded/i.test(stderr);
}

function diskFull(out: string, detail?: string): CamtrackError {
  return new CamtrackError(
    'disk-full',
    `The disk is full: ${out} could not be written. Free some space and try again; any previous file there is unchanged.`,
    { detail },
  );
}

function ffmpegFailure(
  out: string,
  ffmpeg: string,
  args: string[],
  stderr: string,
  code: number | null,
  signal: NodeJS.Signals | null,
): CamtrackError {
  const tail = stderrTail(stderr);
  if (isNoSpaceMessage(stderr)) return diskFull(out, tail);
  const how = signal ? `was killed by ${signal}` : `failed (exit code ${code})`;
  const said = tail ? `: ${stderrTail(stderr, 3).replace(/\n/g, ' | ')}` : ' without a message';
  return new CamtrackError('ffmpeg', `ffmpeg ${how} while writing ${out}${said}`, {
    detail: `${ffmpeg} ${args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}\n${tail}`,
  });
}

/** Runs file-system steps, turning ENOSPC and friends into CamtrackErrors that name the target. */
async function withFsErrors<T>(out: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof CamtrackError) throw e;
    const info = toErrorInfo(e);
    if (info.code === 'disk-full') throw diskFull(out);
    if (info.code === 'internal') throw e;
    throw new CamtrackError(info.code, info.message, { cause: e });
  }
}

async function checkTarget(out: string, format: EncodeFormat): Promise<void> {
  const st = await fs.lstat(out).catch(() => null);
  if (!st) return;
  if (format === 'png' && !st.isDirectory())
    throw new CamtrackError(
      'bad-input',
      `${out} is a file; a PNG sequence is written as a folder. Choose another name.`,
    );
  if (format !== 'png' && st.isDirectory())
    throw new CamtrackError('bad-input', `${out} is a folder; a ${format} export is one file. Choose another name.`);
}

async function outputBytes(tmp: string, format: EncodeFormat): Promise<number> {
  if (format !== 'png') return (await fs.stat(tmp)).size;
  let total = 0;
  for (const name of await fs.readdir(tmp)) total += (await fs.stat(path.join(tmp, name))).size;
  return total;
}

/**
 * Puts the finished folder `tmp` at `out`. A folder cannot be renamed over a non-empty one, so
 * the old one is first moved aside and deleted only after the new one is in place; if the second
 * rename fails the old one is moved back.
 */
async function replaceFolder(tmp: string, out: string): Promise<void> {
  const existing = await fs.lstat(out).catch(() => null);
  if (!existing) {
    await fs.rename(tmp, out);
    return;
  }
  const backup = `${tempPathBeside(out)}.old`;
  await fs.rename(out, backup);
  try {
    await fs.rename(tmp, out);
  } catch (e) {
    await fs.rename(backup, out).catch(() => {});
    throw e;
  }
  await fs.rm(backup, { recursive: true, force: true });
}
