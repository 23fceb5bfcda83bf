import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CamtrackError } from '../util/errors';
import { executableCandidates, loadFfmpegStatic, resolveFfmpeg, resolveFfprobe } from './resolve-ffmpeg';

let dir: string;
const none = () => null;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-resolve-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** A fake tool that answers -version like ffmpeg does. */
async function fakeTool(folder: string, name: string, version: string, mode = 0o755): Promise<string> {
  await fs.mkdir(folder, { recursive: true });
  const file = path.join(folder, name);
  await fs.writeFile(file, `#!/bin/sh\necho "${name} version ${version} Copyright (c) the FFmpeg developers"\n`, {
    mode,
  });
  return file;
}

async function refusal(p: Promise<unknown>): Promise<CamtrackError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(CamtrackError);
    return e as CamtrackError;
  }
  throw new Error('expected a refusal');
}

describe('executableCandidates', () => {
  it('POSIX: each PATH folder in order, the bare name, empty entries skipped', () => {
    expect(executableCandidates('ffmpeg', '/a/bin::/usr/bin', 'linux')).toEqual(['/a/bin/ffmpeg', '/usr/bin/ffmpeg']);
    expect(executableCandidates('ffmpeg', undefined, 'darwin')).toEqual([]);
  });
  it('Windows: ";" separator, quoted folders, PATHEXT with .exe first', () => {
    expect(
      executableCandidates('ffmpeg', 'C:\\Tools;"C:\\Program Files\\ffmpeg\\bin";', 'win32', '.COM;.EXE;.BAT'),
    ).toEqual([
      'C:\\Tools\\ffmpeg.exe',
      'C:\\Tools\\ffmpeg.com',
      'C:\\Tools\\ffmpeg.bat',
      'C:\\Program Files\\ffmpeg\\bin\\ffmpeg.exe',
      'C:\\Program Files\\ffmpeg\\bin\\ffmpeg.com',
      'C:\\Program Files\\ffmpeg\\bin\\ffmpeg.bat',
    ]);
  });
});

describe.runIf(process.platform !== 'win32')('resolveFfmpeg / resolveFfprobe', () => {
  it('FFMPEG_PATH wins, with the version ffmpeg reports', async () => {
    const ff = await fakeTool(path.join(dir, 'env'), 'ffmpeg', '7.1-env');
    const onPath = await fakeTool(path.join(dir, 'pathdir'), 'ffmpeg', '6.0-path');
    const r = await resolveFfmpeg({ env: { FFMPEG_PATH: ff, PATH: path.dirname(onPath) }, ffmpegStatic: () => onPath });
    expect(r).toEqual({ path: ff, source: 'env', version: '7.1-env' });
  });

  it('a FFMPEG_PATH that is not an executable file is refused, not silently replaced', async () => {
    const notExec = await fakeTool(path.join(dir, 'noexec'), 'ffmpeg', '1', 0o644);
    const e = await refusal(resolveFfmpeg({ env: { FFMPEG_PATH: notExec, PATH: '/usr/bin' }, ffmpegStatic: none }));
    expect(e.code).toBe('ffmpeg');
    expect(e.message).toMatch(/FFMPEG_PATH is set to .*not an executable ffmpeg/);
  });

  it('then ffmpeg-static when its binary exists, else PATH', async () => {
    const bundled = await fakeTool(path.join(dir, 'static'), 'ffmpeg', '6.1.1-static');
    const onPath = await fakeTool(path.join(dir, 'pathdir2'), 'ffmpeg', '5.1-path');
    const env = { PATH: `${path.join(dir, 'empty')}:${path.dirname(onPath)}` };
    expect(await resolveFfmpeg({ env, ffmpegStatic: () => bundled })).toEqual({
      path: bundled,
      source: 'ffmpeg-static',
      version: '6.1.1-static',
    });
    // The package installed without its binary (download skipped): fall through to PATH.
    expect(await resolveFfmpeg({ env, ffmpegStatic: () => path.join(dir, 'static', 'missing-binary') })).toEqual({
      path: onPath,
      source: 'path',
      version: '5.1-path',
    });
  });

  it('finds the real ffmpeg on PATH', async () => {
    const r = await resolveFfmpeg({ env: { PATH: '/nonexistent:/usr/bin' }, ffmpegStatic: none });
    expect(r.path).toBe('/usr/bin/ffmpeg');
    expect(r.source).toBe('path');
    expect(r.version).toMatch(/^\d+\.\d+/);
  });

  it('nothing anywhere: an ffmpeg error that says how to install it on each system', async () => {
    const e = await refusal(resolveFfmpeg({ env: { PATH: path.join(dir, 'empty') }, ffmpegStatic: none }));
    expect(e.code).toBe('ffmpeg');
    for (const hint of ['apt install ffmpeg', 'brew install ffmpeg', 'winget install', 'FFMPEG_PATH'])
      expect(e.message).toContain(hint);
  });

  it('ffprobe: FFPROBE_PATH, then beside the resolved ffmpeg, then PATH', async () => {
    const pair = path.join(dir, 'pair');
    const ff = await fakeTool(pair, 'ffmpeg', '7.0');
    const probe = await fakeTool(pair, 'ffprobe', '7.0-beside');
    const own = await fakeTool(path.join(dir, 'ownprobe'), 'ffprobe', '8.0-env');
    expect(await resolveFfprobe({ env: { FFPROBE_PATH: own, FFMPEG_PATH: ff }, ffmpegStatic: none })).toMatchObject({
      path: own,
      source: 'env',
    });
    expect(await resolveFfprobe({ env: { FFMPEG_PATH: ff, PATH: '/usr/bin' }, ffmpegStatic: none })).toEqual({
      path: probe,
      source: 'beside-ffmpeg',
      version: '7.0-beside',
    });
    const lone = await fakeTool(path.join(dir, 'lone'), 'ffmpeg', '7.0');
    expect(await resolveFfprobe({ env: { FFMPEG_PATH: lone, PATH: '/usr/bin' }, ffmpegStatic: none })).toMatchObject({
      path: '/usr/bin/ffprobe',
      source: 'path',
    });
    const e = await refusal(resolveFfprobe({ env: { PATH: path.join(dir, 'empty') }, ffmpegStatic: none }));
    expect(e.message).toMatch(/ffprobe was not found.*FFPROBE_PATH/);
  });

  it('loading ffmpeg-static never throws, installed or not', () => {
    const p = loadFfmpegStatic();
    expect(p === null || typeof p === 'string').toBe(true);
  });
});
