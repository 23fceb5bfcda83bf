import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CamtrackError } from '../util/errors';
import { exportFrames } from './export';
import { gradientFrames, noiseFrame } from '../../test/syntheticFrames';

/**
 * How failures reach the user: ffmpeg's own message (not EPIPE), a full disk as 'disk-full'
 * naming the file, and backpressure (frames are not pulled faster than ffmpeg reads them).
 * Fake ffmpegs are small shell scripts; the full-disk case also runs for real on a tiny tmpfs.
 */
const posix = process.platform !== 'win32';
let dir: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-export-fail-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function fakeFfmpeg(name: string, body: string): Promise<string> {
  const file = path.join(dir, name);
  await fs.writeFile(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}

async function caught(p: Promise<unknown>): Promise<CamtrackError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(CamtrackError);
    return e as CamtrackError;
  }
  throw new Error('expected the export to fail');
}

const sha = async (file: string) =>
  createHash('sha256')
    .update(await fs.readFile(file))
    .digest('hex');
const big = (count: number) => ({
  frames: gradientFrames(1024, 1024, count),
  width: 1024,
  height: 1024,
  fps: 25,
  count,
});

describe.runIf(posix)("ffmpeg failures surface ffmpeg's message", () => {
  it('ffmpeg dying before it reads anything reports its stderr, not EPIPE, and keeps the old file', async () => {
    const ffmpegPath = await fakeFfmpeg(
      'dies.sh',
      'echo "[libx264 @ 0x1] Fake encoder refused: broken option" >&2\necho "Conversion failed!" >&2\nexit 1',
    );
    const out = path.join(dir, 'dies.mp4');
    await fs.writeFile(out, 'previous good video');
    const e = await caught(exportFrames({ ...big(6), format: 'mp4', out, ffmpegPath }));
    expect(e.code).toBe('ffmpeg');
    expect(e.message).toMatch(/exit code 1/);
    expect(e.message).toMatch(/Fake encoder refused: broken option/);
    expect(e.message).not.toMatch(/EPIPE/);
    expect(e.detail).toMatch(/Conversion failed!/);
    expect(await fs.readFile(out, 'utf8')).toBe('previous good video');
    expect((await fs.readdir(dir)).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('"No space left on device" from ffmpeg becomes disk-full naming the output', async () => {
    const ffmpegPath = await fakeFfmpeg(
      'nospace.sh',
      'head -c 100000 >/dev/null\necho "av_interleaved_write_frame(): No space left on device" >&2\nexit 1',
    );
    const out = path.join(dir, 'full.webm');
    const e = await caught(exportFrames({ ...big(3), format: 'webm', out, ffmpegPath }));
    expect(e.code).toBe('disk-full');
    expect(e.message).toContain(out);
    expect(existsSync(out)).toBe(false);
  });

  it('a missing ffmpeg executable is an ffmpeg error', async () => {
    const e = await caught(
      exportFrames({
        ...big(1),
        format: 'gif',
        out: path.join(dir, 'x.gif'),
        ffmpegPath: path.join(dir, 'no-such-ffmpeg'),
      }),
    );
    expect(e.code).toBe('ffmpeg');
    expect(e.message).toMatch(/could not be started/);
  });

  it('frames are pulled only as fast as ffmpeg reads them (backpressure)', async () => {
    // The fake ffmpeg waits, marks that it started reading, then drains stdin. A 3 MB frame cannot
    // fit in a pipe, so without backpressure every frame would be pulled before the mark exists.
    const mark = path.join(dir, 'reading');
    const ffmpegPath = await fakeFfmpeg(
      'slow.sh',
      `sleep 0.3\ntouch "${mark}"\ncat >/dev/null\nfor last; do :; done\necho GIF89a > "$last"`,
    );
    const pulledBeforeRead: number[] = [];
    function* frames() {
      for (let i = 0; i < 4; i++) {
        if (!existsSync(mark)) pulledBeforeRead.push(i);
        yield noiseFrame(1024, 1024, i + 1);
      }
    }
    // The script writes its last argument (the temporary output), so the export succeeds.
    const r = await exportFrames({
      frames: frames(),
      width: 1024,
      height: 1024,
      fps: 25,
      count: 4,
      format: 'gif',
      out: path.join(dir, 'bp.gif'),
      ffmpegPath,
    });
    expect(pulledBeforeRead).toEqual([0]);
    expect(r.frames).toBe(4);
    expect(await fs.readFile(path.join(dir, 'bp.gif'), 'utf8')).toBe('GIF89a\n');
  });
});

/** A real full disk: a 256 KiB tmpfs (needs root and mount; the reason is shown when skipped). */
describe('a real full disk (tmpfs)', () => {
  const mountPoint = path.join(os.tmpdir(), `camtrack-tmpfs-${process.pid}`);
  let mountProblem: string | null = null;
  beforeAll(async () => {
    if (process.platform !== 'linux') {
      mountProblem = 'tmpfs mounts need Linux';
      return;
    }
    try {
      await fs.mkdir(mountPoint, { recursive: true });
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mountPoint], { stdio: 'pipe' });
    } catch (e) {
      mountProblem = `mount -t tmpfs is not permitted here (${
        String((e as { stderr?: Buffer }).stderr ?? e)
          .trim()
          .split('\n')[0]
      })`;
      await fs.rm(mountPoint, { recursive: true, force: true }).catch(() => {});
    }
  });
  afterAll(async () => {
    if (mountProblem) return;
    execFileSync('umount', [mountPoint]);
    await fs.rm(mountPoint, { recursive: true, force: true });
  });

  it('mp4 and png exports that fill the disk fail as disk-full and keep the previous render', async (ctx) => {
    if (mountProblem) {
      console.warn(`SKIPPED real full-disk test: ${mountProblem}`);
      ctx.skip(mountProblem);
    }
    const out = path.join(mountPoint, 'render.mp4');
    await exportFrames({
      frames: gradientFrames(64, 48, 5),
      width: 64,
      height: 48,
      fps: 10,
      count: 5,
      format: 'mp4',
      preset: 'ultrafast',
      out,
    });
    const before = await sha(out);
    const noise = (n: number) => Array.from({ length: n }, (_, i) => noiseFrame(160, 120, i + 7));
    const e = await caught(
      exportFrames({
        frames: noise(30),
        width: 160,
        height: 120,
        fps: 10,
        count: 30,
        format: 'mp4',
        crf: 0,
        preset: 'ultrafast',
        out,
      }),
    );
    expect(e.code).toBe('disk-full');
    expect(e.message).toContain(out);
    expect(await sha(out)).toBe(before);

    const seq = path.join(mountPoint, 'frames');
    const p = await caught(
      exportFrames({ frames: noise(30), width: 160, height: 120, fps: 10, count: 30, format: 'png', out: seq }),
    );
    expect(p.code).toBe('disk-full');
    expect(p.message).toContain(seq);
    expect((await fs.readdir(mountPoint)).sort()).toEqual(['render.mp4']);
  });
});
