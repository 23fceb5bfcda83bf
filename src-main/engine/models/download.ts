/**
 * Downloads a model folder from a URL: the manifest (model.json) first, then every file it lists,
 * relative to the manifest's URL. Files are written as `<file>.partial` and resumed with HTTP Range
 * requests after an interruption; each finished file is checked against the manifest's size and
 * sha256 before it takes its real name, and model.json is written last, so a folder with a
 * model.json is complete.
 */
import { createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { writeFileAtomic } from '../util/atomic';
import { CamtrackError } from '../util/errors';
import { sha256File } from './hashing';
import { MANIFEST_FILE, manifestFiles, parseManifest, type ModelManifest } from './manifest';

export interface DownloadProgress {
  file: string;
  fileIndex: number;
  fileCount: number;
  /** Bytes of this file on disk so far (a resumed file starts above 0). */
  fileBytes: number;
  /** Its size when known (from the manifest or the server). */
  fileTotal: number | null;
  /** 'skipped' when a complete, verified copy was already there. */
  state: 'downloading' | 'verifying' | 'done' | 'skipped';
}

export interface DownloadOptions {
  onProgress?: (p: DownloadProgress) => void;
  signal?: AbortSignal;
}

export interface DownloadResult {
  dir: string;
  manifest: ModelManifest;
  /** Bytes fetched over the network in this run (less than the total when resumed). */
  bytesFetched: number;
  resumedFiles: string[];
}

async function fetchOrFail(url: URL, init: RequestInit, what: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch (e) {
    if ((e as Error).name === 'AbortError')
      throw new CamtrackError('cancelled', `The download of ${what} was cancelled.`);
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new CamtrackError(
      'not-found',
      `Could not reach ${url.origin} for ${what}: ${cause?.code ?? cause?.message ?? (e as Error).message}.`,
      { cause: e },
    );
  }
  return res;
}

export async function downloadModel(
  manifestUrl: string,
  dir: string,
  options: DownloadOptions = {},
): Promise<DownloadResult> {
  let base: URL;
  try {
    base = new URL(manifestUrl);
  } catch {
    throw new CamtrackError('bad-input', `"${manifestUrl}" is not a URL. Give the URL of a model folder's model.json.`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:')
    throw new CamtrackError('bad-input', `Only http and https URLs can be downloaded (got ${base.protocol}).`);
  const res = await fetchOrFail(base, { signal: options.signal }, 'model.json');
  if (!res.ok) throw new CamtrackError('not-found', `${base.href} answered HTTP ${res.status} ${res.statusText}.`);
  const manifestText = await res.text();
  const manifest = parseManifest(manifestText, base.href);

  await fs.mkdir(dir, { recursive: true });
  const files = manifestFiles(manifest);
  let bytesFetched = 0;
  const resumedFiles: string[] = [];
  for (const [index, { entry }] of files.entries()) {
    const progress = (fileBytes: number, fileTotal: number | null, state: DownloadProgress['state']) =>
      options.onProgress?.({
        file: entry.file,
        fileIndex: index,
        fileCount: files.length,
        fileBytes,
        fileTotal,
        state,
      });
    const target = path.join(dir, entry.file);
    await fs.mkdir(path.dirname(target), { recursive: true });
    if (await isComplete(target, entry.bytes, entry.sha256)) {
      progress(entry.bytes ?? 0, entry.bytes ?? null, 'skipped');
      continue;
    }
    const r = await downloadFile(
      new URL(entry.file, base),
      target,
      { bytes: entry.bytes, sha256: entry.sha256, what: 'model.json' },
      progress,
      options.signal,
    );
    bytesFetched += r.bytesFetched;
    if (r.resumed) resumedFiles.push(entry.file);
  }
  await writeFileAtomic(path.join(dir, MANIFEST_FILE), manifestText);
  return { dir, manifest, bytesFetched, resumedFiles };
}

async function isComplete(file: string, bytes: number | undefined, sha256: string | undefined): Promise<boolean> {
  const st = await fs.stat(file).catch(() => null);
  if (!st?.isFile()) return false;
  if (bytes !== undefined && st.size !== bytes) return false;
  if (!sha256) return bytes !== undefined;
  return (await sha256File(file)) === sha256;
}

/** What a downloaded file must be: its size and sha256 when known, and who says so (for messages). */
export interface ExpectedFile {
  bytes?: number;
  sha256?: string;
  what: string;
}

/**
 * One file from `url` to `target`, resumable: bytes go to `<target>.partial` (resumed with an HTTP
 * Range request when it exists), are checked against the expected size and sha256, and only then
 * take the target's name.
 */
export async function downloadFile(
  url: URL,
  target: string,
  expect: ExpectedFile,
  progress: (fileBytes: number, fileTotal: number | null, state: DownloadProgress['state']) => void,
  signal?: AbortSignal,
): Promise<{ bytesFetched: number; resumed: boolean; bytes: number }> {
  const name = path.basename(target);
  let bytesFetched = 0;
  let resumed = false;
  const partial = `${target}.partial`;
  const have = (await fs.stat(partial).catch(() => null))?.size ?? 0;
  const headers: Record<string, string> = {};
  if (have > 0) headers.Range = `bytes=${have}-`;
  const r = await fetchOrFail(url, { headers, signal: signal }, name);
  let offset = 0;
  if (r.status === 206) {
    const m = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(r.headers.get('content-range') ?? '');
    if (!m || Number(m[1]) !== have)
      throw new CamtrackError(
        'bad-file',
        `${url.href} answered a resume request with the wrong range (${r.headers.get('content-range')}).`,
      );
    offset = have;
    resumed = true;
  } else if (r.status === 416 && have > 0) {
    // The partial file already holds every byte: verify it below.
    offset = have;
    await r.body?.cancel();
  } else if (!r.ok) {
    throw new CamtrackError('not-found', `${url.href} answered HTTP ${r.status} ${r.statusText}.`);
  }
  const lengthHeader = Number(r.headers.get('content-length'));
  const total = expect.bytes ?? (r.status !== 416 && Number.isFinite(lengthHeader) ? offset + lengthHeader : null);
  if (r.status !== 416 && r.body) {
    let done = offset;
    progress(done, total, 'downloading');
    const counter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        done += chunk.length;
        bytesFetched += chunk.length;
        progress(done, total, 'downloading');
        cb(null, chunk);
      },
    });
    try {
      // flags 'a' appends to a resumed partial; 'w' starts over when the server sent the whole file.
      await pipeline(
        Readable.fromWeb(r.body as WebReadableStream<Uint8Array>),
        counter,
        createWriteStream(partial, { flags: offset > 0 ? 'a' : 'w' }),
      );
    } catch (e) {
      if (signal?.aborted)
        throw new CamtrackError(
          'cancelled',
          `The download of ${name} was cancelled; run it again to resume from ${done} bytes.`,
        );
      throw new CamtrackError(
        'not-found',
        `The download of ${name} was interrupted at ${done} bytes (${(e as Error).message}). Run it again to resume.`,
        { cause: e },
      );
    }
  }
  const size = (await fs.stat(partial)).size;
  if (expect.bytes !== undefined && size !== expect.bytes) {
    if (size > expect.bytes) await fs.rm(partial, { force: true });
    throw new CamtrackError(
      'bad-file',
      `${name} is ${size} bytes after downloading, but ${expect.what} says ${expect.bytes}.${size > expect.bytes ? ' The file was removed.' : ' Run the download again to resume.'}`,
    );
  }
  if (expect.sha256) {
    progress(size, total, 'verifying');
    const got = await sha256File(partial);
    if (got !== expect.sha256) {
      await fs.rm(partial, { force: true });
      throw new CamtrackError(
        'bad-file',
        `${name} was refused: its sha256 is ${got}, but ${expect.what} says ${expect.sha256}. The server sent a different or corrupt file; it was removed.`,
      );
    }
  }
  await fs.rename(partial, target);
  progress(size, total, 'done');
  return { bytesFetched, resumed, bytes: size };
}
