import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { CamtrackError } from '../util/errors';

/**
 * Finds the ffmpeg and ffprobe executables. Order for ffmpeg: the FFMPEG_PATH environment
 * variable, the optional `ffmpeg-static` package, then `ffmpeg` on PATH. Order for ffprobe:
 * FFPROBE_PATH, the ffprobe beside the resolved ffmpeg (so the pair matches), then PATH.
 * An environment variable that is set but wrong is an error, not a silent fallback: the person
 * who set it meant that binary.
 */
export type FfmpegSource = 'env' | 'ffmpeg-static' | 'path';
export type FfprobeSource = 'env' | 'beside-ffmpeg' | 'path';

export interface ResolvedTool<S extends string> {
  /** Absolute path of the executable. */
  path: string;
  source: S;
  /** The version word of `<tool> -version`, e.g. "5.1.9-0+deb12u1". */
  version: string;
}

export interface ResolveOptions {
  /** Environment to read FFMPEG_PATH / FFPROBE_PATH / PATH / PATHEXT from (default process.env). */
  env?: Record<string, string | undefined>;
  /** Platform whose executable naming rules apply (default process.platform). */
  platform?: NodeJS.Platform;
  /** Returns the ffmpeg-static binary path, or null when the package is absent (default: lazy require). */
  ffmpegStatic?: () => string | null;
}

export const FFMPEG_INSTALL_HINT =
  'Install ffmpeg: on Debian/Ubuntu `sudo apt install ffmpeg`; on macOS `brew install ffmpeg`; ' +
  'on Windows `winget install Gyan.FFmpeg`; or set FFMPEG_PATH to the full path of an ffmpeg executable.';

/** The ffmpeg-static package's binary path, or null when the package is not installed. */
export function loadFfmpegStatic(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const p: unknown = require('ffmpeg-static');
    return typeof p === 'string' && p.length > 0 ? p : null;
  } catch {
    return null;
  }
}

/**
 * The file names to try for `name` in each PATH folder, in order. Pure, so the Windows rules
 * (`;` separator, PATHEXT, quoted folders) are testable anywhere.
 */
export function executableCandidates(
  name: string,
  envPath: string | undefined,
  platform: NodeJS.Platform,
  pathExt?: string,
): string[] {
  const win = platform === 'win32';
  const p = win ? path.win32 : path.posix;
  const dirs = (envPath ?? '')
    .split(win ? ';' : ':')
    .map((d) => (win ? d.replace(/^"(.*)"$/, '$1') : d))
    .filter((d) => d.length > 0);
  const exts = win
    ? (pathExt ?? '.COM;.EXE;.BAT;.CMD')
        .split(';')
        .filter((e) => e.length > 0)
        .map((e) => e.toLowerCase())
    : [''];
  // An explicit extension in the name (ffmpeg.exe) is tried as given first.
  const names = win && p.extname(name) ? [name, ...exts.map((e) => name + e)] : exts.map((e) => name + e);
  // .exe first on Windows: ffmpeg ships as an .exe, and a stray ffmpeg.bat wrapper should not win.
  if (win) names.sort((a, b) => Number(b.toLowerCase().endsWith('.exe')) - Number(a.toLowerCase().endsWith('.exe')));
  const out: string[] = [];
  for (const d of dirs) for (const n of names) out.push(p.join(d, n));
  return out;
}

/** True when `file` is a regular file this process may execute. */
export async function isExecutableFile(file: string, platform: NodeJS.Platform = process.platform): Promise<boolean> {
  try {
    const st = await fs.stat(file);
    if (!st.isFile()) return false;
    if (platform !== 'win32') await fs.access(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const versionCache = new Map<string, string>();

/** Runs `<file> -version` and returns the version word; throws CamtrackError('ffmpeg') if it does not run. */
export async function toolVersion(file: string): Promise<string> {
  const cached = versionCache.get(file);
  if (cached) return cached;
  const text = await new Promise<string>((resolve, reject) => {
    const child = spawn(file, ['-version'], { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    let out = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(
        new CamtrackError('ffmpeg', `${file} could not be started: ${e.message}. ${FFMPEG_INSTALL_HINT}`, { cause: e }),
      );
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else
        reject(
          new CamtrackError('ffmpeg', `${file} -version failed (exit code ${code}). ${FFMPEG_INSTALL_HINT}`, {
            detail: out.slice(-2000),
          }),
        );
    });
  });
  const m = /^\S+ version (\S+)/m.exec(text);
  const version = m ? m[1] : 'unknown';
  versionCache.set(file, version);
  return version;
}

async function findOnPath(
  name: string,
  env: Record<string, string | undefined>,
  platform: NodeJS.Platform,
): Promise<string | null> {
  const envPath = env.PATH ?? env.Path ?? env.path;
  for (const c of executableCandidates(name, envPath, platform, env.PATHEXT)) {
    if (await isExecutableFile(c, platform)) return path.resolve(c);
  }
  return null;
}

async function fromEnv(
  varName: string,
  tool: string,
  env: Record<string, string | undefined>,
  platform: NodeJS.Platform,
): Promise<string | null> {
  const value = env[varName];
  if (value === undefined || value === '') return null;
  if (!(await isExecutableFile(value, platform)))
    throw new CamtrackError(
      'ffmpeg',
      `${varName} is set to "${value}", but that is not an executable ${tool} file. Fix or unset ${varName}.`,
    );
  return path.resolve(value);
}

export async function resolveFfmpeg(opts: ResolveOptions = {}): Promise<ResolvedTool<FfmpegSource>> {
  const env = opts.env ?? process.env;
  const platform = opts.platform ?? process.platform;
  const fromVar = await fromEnv('FFMPEG_PATH', 'ffmpeg', env, platform);
  if (fromVar) return { path: fromVar, source: 'env', version: await toolVersion(fromVar) };
  // ffmpeg-static may be installed without its binary (install script skipped or platform unsupported).
  const staticPath = (opts.ffmpegStatic ?? loadFfmpegStatic)();
  if (staticPath && (await isExecutableFile(staticPath, platform))) {
    try {
      return { path: path.resolve(staticPath), source: 'ffmpeg-static', version: await toolVersion(staticPath) };
    } catch {
      // A broken bundled binary (wrong architecture) falls through to PATH.
    }
  }
  const onPath = await findOnPath('ffmpeg', env, platform);
  if (onPath) return { path: onPath, source: 'path', version: await toolVersion(onPath) };
  throw new CamtrackError(
    'ffmpeg',
    `ffmpeg was not found (FFMPEG_PATH is not set, ffmpeg-static is not installed, and no ffmpeg is on PATH). ${FFMPEG_INSTALL_HINT}`,
  );
}

export async function resolveFfprobe(opts: ResolveOptions = {}): Promise<ResolvedTool<FfprobeSource>> {
  const env = opts.env ?? process.env;
  const platform = opts.platform ?? process.platform;
  const fromVar = await fromEnv('FFPROBE_PATH', 'ffprobe', env, platform);
  if (fromVar) return { path: fromVar, source: 'env', version: await toolVersion(fromVar) };
  try {
    const ff = await resolveFfmpeg(opts);
    const p = platform === 'win32' ? path.win32 : path.posix;
    const beside = p.join(p.dirname(ff.path), platform === 'win32' ? 'ffprobe.exe' : 'ffprobe');
    if (await isExecutableFile(beside, platform))
      return { path: beside, source: 'beside-ffmpeg', version: await toolVersion(beside) };
  } catch {
    // No ffmpeg: ffprobe may still be on PATH.
  }
  const onPath = await findOnPath('ffprobe', env, platform);
  if (onPath) return { path: onPath, source: 'path', version: await toolVersion(onPath) };
  throw new CamtrackError(
    'ffmpeg',
    `ffprobe was not found (FFPROBE_PATH is not set, none beside ffmpeg, none on PATH). It ships with ffmpeg: ${FFMPEG_INSTALL_HINT.replace('Install ffmpeg: ', '')} Or set FFPROBE_PATH.`,
  );
}
