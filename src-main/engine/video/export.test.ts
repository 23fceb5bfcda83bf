import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CamtrackError } from '../util/errors';
import { exportFrames, type ExportProgress } from './export';
import { probeVideo } from './probe';
import { gradientFrame, gradientFrames } from '../../test/syntheticFrames';

const W = 64;
const H = 48;
const N = 10;
const FPS = 10;
let dir: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-export-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const sha = async (file: string) =>
  createHash('sha256')
    .update(await fs.readFile(file))
    .digest('hex');
const leftovers = async (d: string) => (await fs.readdir(d)).filter((n) => n.startsWith('.'));

async function caught(p: Promise<unknown>): Promise<CamtrackError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(CamtrackError);
    return e as CamtrackError;
  }
  throw new Error('expected the export to fail');
}

describe('exportFrames: every format checked with ffprobe', () => {
  it('mp4 is H.264 yuv420p with every frame, the size and the fps, and progress reaches 1', async () => {
    const out = path.join(dir, 'clip.mp4');
    const seen: ExportProgress[] = [];
    const r = await exportFrames({
      frames: gradientFrames(W, H, N),
      width: W,
      height: H,
      fps: FPS,
      count: N,
      format: 'mp4',
      crf: 18,
      preset: 'veryfast',
      out,
      onProgress: (p) => seen.push(p),
    });
    expect(r).toMatchObject({ out, frames: N, width: W, height: H, padded: false });
    expect(r.bytes).toBe((await fs.stat(out)).size);
    expect(await probeVideo(out)).toMatchObject({
      codec: 'h264',
      pixFmt: 'yuv420p',
      frames: N,
      width: W,
      height: H,
      fps: FPS,
    });
    // Reports from ffmpeg's -progress may repeat a framesWritten value; each frame is reported in order.
    const written = seen.filter((p) => p.phase === 'encoding').map((p) => p.framesWritten);
    expect([...new Set(written)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(written.every((v, i) => i === 0 || v >= written[i - 1])).toBe(true);
    expect(seen.at(-1)).toMatchObject({ phase: 'done', fraction: 1, framesEncoded: N });
    expect(seen.slice(0, -1).every((p) => p.fraction < 1)).toBe(true);
    // faststart: the index (moov) precedes the media data (mdat).
    const head = (await fs.readFile(out)).toString('latin1');
    expect(head.indexOf('moov')).toBeGreaterThan(0);
    expect(head.indexOf('moov')).toBeLessThan(head.indexOf('mdat'));
    expect(await leftovers(dir)).toEqual([]);
  });

  it('webm is VP9 yuv420p; async frames work too', async () => {
    const out = path.join(dir, 'clip.webm');
    async function* frames() {
      for (let i = 0; i < N; i++) {
        await new Promise((r) => setImmediate(r));
        yield gradientFrame(W, H, i);
      }
    }
    await exportFrames({
      frames: frames(),
      width: W,
      height: H,
      fps: FPS,
      count: N,
      format: 'webm',
      crf: 40,
      preset: 'ultrafast',
      out,
    });
    expect(await probeVideo(out)).toMatchObject({
      codec: 'vp9',
      pixFmt: 'yuv420p',
      frames: N,
      width: W,
      height: H,
      fps: FPS,
    });
  });

  it('gif has every frame at the size and fps (palette built in one pass)', async () => {
    const out = path.join(dir, 'clip.gif');
    await exportFrames({
      frames: gradientFrames(W, H, N),
      width: W,
      height: H,
      fps: FPS,
      count: N,
      format: 'gif',
      out,
    });
    // GIF decodes to paletted colour that ffmpeg exposes as bgra.
    expect(await probeVideo(out)).toMatchObject({
      codec: 'gif',
      pixFmt: 'bgra',
      frames: N,
      width: W,
      height: H,
      fps: FPS,
    });
  });

  it('png is a folder frame_0000.png.. whose pixels equal the input exactly', async () => {
    const out = path.join(dir, 'seq');
    await exportFrames({
      frames: gradientFrames(W, H, N),
      width: W,
      height: H,
      fps: FPS,
      count: N,
      format: 'png',
      out,
    });
    expect(await probeVideo(out)).toMatchObject({
      codec: 'png',
      pixFmt: 'rgb24',
      frames: N,
      width: W,
      height: H,
      fps: null,
    });
    const names = (await fs.readdir(out)).sort();
    expect(names).toEqual(Array.from({ length: N }, (_, i) => `frame_000${i}.png`));
    const { data, info } = await sharp(path.join(out, 'frame_0007.png')).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([W, H, 3]);
    expect(Buffer.compare(data, Buffer.from(gradientFrame(W, H, 7)))).toBe(0);
  });

  it('a new png sequence replaces the old folder whole (no stale frames remain)', async () => {
    const out = path.join(dir, 'seq-replace');
    await exportFrames({
      frames: gradientFrames(W, H, 6),
      width: W,
      height: H,
      fps: FPS,
      count: 6,
      format: 'png',
      out,
    });
    await exportFrames({
      frames: gradientFrames(W, H, 3),
      width: W,
      height: H,
      fps: FPS,
      count: 3,
      format: 'png',
      out,
    });
    expect((await fs.readdir(out)).sort()).toEqual(['frame_0000.png', 'frame_0001.png', 'frame_0002.png']);
    expect(await leftovers(dir)).toEqual([]);
  });

  it('fractional fps is kept exactly (30000/1001)', async () => {
    const out = path.join(dir, 'ntsc.mp4');
    await exportFrames({
      frames: gradientFrames(W, H, 4),
      width: W,
      height: H,
      fps: 30000 / 1001,
      count: 4,
      format: 'mp4',
      preset: 'ultrafast',
      out,
    });
    const p = await probeVideo(out);
    expect(p.fps).toBeCloseTo(29.97003, 4);
    expect(p.frames).toBe(4);
  });
});

describe('exportFrames: sizes and inputs', () => {
  it('mp4 pads an odd size to even; refuses it when asked to', async () => {
    const out = path.join(dir, 'odd.mp4');
    const r = await exportFrames({
      frames: gradientFrames(63, 47, 3),
      width: 63,
      height: 47,
      fps: FPS,
      count: 3,
      format: 'mp4',
      preset: 'ultrafast',
      out,
    });
    expect([r.width, r.height, r.padded]).toEqual([64, 48, true]);
    expect(await probeVideo(out)).toMatchObject({ width: 64, height: 48, frames: 3, pixFmt: 'yuv420p' });
    const e = await caught(
      exportFrames({
        frames: gradientFrames(63, 47, 3),
        width: 63,
        height: 47,
        fps: FPS,
        count: 3,
        format: 'mp4',
        evenSize: 'refuse',
        out: path.join(dir, 'odd2.mp4'),
      }),
    );
    expect(e.code).toBe('bad-input');
    expect(e.message).toMatch(/63x47/);
    expect(existsSync(path.join(dir, 'odd2.mp4'))).toBe(false);
  });

  it('refuses a frame of the wrong size and a short or long frame count, leaving nothing behind', async () => {
    const short = await caught(
      exportFrames({
        frames: gradientFrames(W, H, 3),
        width: W,
        height: H,
        fps: FPS,
        count: 5,
        format: 'mp4',
        out: path.join(dir, 'short.mp4'),
      }),
    );
    expect(short.code).toBe('bad-input');
    expect(short.message).toMatch(/Only 3 of the 5/);
    const long = await caught(
      exportFrames({
        frames: gradientFrames(W, H, 6),
        width: W,
        height: H,
        fps: FPS,
        count: 5,
        format: 'gif',
        out: path.join(dir, 'long.gif'),
      }),
    );
    expect(long.message).toMatch(/More frames/);
    const wrong = await caught(
      exportFrames({
        frames: gradientFrames(W, H - 2, 2),
        width: W,
        height: H,
        fps: FPS,
        count: 2,
        format: 'webm',
        out: path.join(dir, 'wrong.webm'),
      }),
    );
    expect(wrong.message).toMatch(/Frame 0 has 8832 bytes; a 64x48 RGB frame has 9216/);
    for (const f of ['short.mp4', 'long.gif', 'wrong.webm']) expect(existsSync(path.join(dir, f))).toBe(false);
    expect(await leftovers(dir)).toEqual([]);
  });
});

describe('exportFrames: atomic outputs', () => {
  it('a producer that fails mid-export leaves the previous good mp4 in place', async () => {
    const out = path.join(dir, 'keep.mp4');
    await exportFrames({
      frames: gradientFrames(W, H, N),
      width: W,
      height: H,
      fps: FPS,
      count: N,
      format: 'mp4',
      preset: 'ultrafast',
      out,
    });
    const before = await sha(out);
    function* failing() {
      yield gradientFrame(W, H, 0);
      yield gradientFrame(W, H, 1);
      throw new CamtrackError('out-of-memory', 'the decoder ran out of memory');
    }
    const e = await caught(
      exportFrames({ frames: failing(), width: W, height: H, fps: FPS, count: N, format: 'mp4', out }),
    );
    expect(e.code).toBe('out-of-memory');
    expect(await sha(out)).toBe(before);
    expect(await leftovers(dir)).toEqual([]);
  });

  it('cancelling kills ffmpeg, removes the temporary output and keeps the previous file', async () => {
    const out = path.join(dir, 'cancel.webm');
    await exportFrames({
      frames: gradientFrames(W, H, 3),
      width: W,
      height: H,
      fps: FPS,
      count: 3,
      format: 'webm',
      preset: 'ultrafast',
      out,
    });
    const before = await sha(out);
    const ac = new AbortController();
    let pulled = 0;
    async function* frames() {
      for (let i = 0; i < 1000; i++) {
        pulled++;
        if (i === 4) ac.abort();
        yield gradientFrame(W, H, i);
      }
    }
    const e = await caught(
      exportFrames({
        frames: frames(),
        width: W,
        height: H,
        fps: FPS,
        count: 1000,
        format: 'webm',
        out,
        signal: ac.signal,
      }),
    );
    expect(e.code).toBe('cancelled');
    expect(pulled).toBeLessThan(10);
    expect(await sha(out)).toBe(before);
    expect(await leftovers(dir)).toEqual([]);
  });

  it('a cancelled png export keeps the previous folder', async () => {
    const out = path.join(dir, 'seq-cancel');
    await exportFrames({
      frames: gradientFrames(W, H, 2),
      width: W,
      height: H,
      fps: FPS,
      count: 2,
      format: 'png',
      out,
    });
    const ac = new AbortController();
    function* frames() {
      for (let i = 0; i < 50; i++) {
        if (i === 3) ac.abort();
        yield gradientFrame(W, H, i);
      }
    }
    expect(
      (
        await caught(
          exportFrames({
            frames: frames(),
            width: W,
            height: H,
            fps: FPS,
            count: 50,
            format: 'png',
            out,
            signal: ac.signal,
          }),
        )
      ).code,
    ).toBe('cancelled');
    expect((await fs.readdir(out)).sort()).toEqual(['frame_0000.png', 'frame_0001.png']);
    expect(await leftovers(dir)).toEqual([]);
  });

  it('an already-aborted signal refuses before starting ffmpeg', async () => {
    const e = await caught(
      exportFrames({
        frames: gradientFrames(W, H, 2),
        width: W,
        height: H,
        fps: FPS,
        count: 2,
        format: 'gif',
        out: path.join(dir, 'never.gif'),
        signal: AbortSignal.abort(),
      }),
    );
    expect(e.code).toBe('cancelled');
  });
});
