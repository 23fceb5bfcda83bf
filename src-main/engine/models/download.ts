/**
 * Downloads a model folder from a URL: the manifest (model.json) first, then every file it lists,
 * relative to the manifest's URL. Nothing unverified is kept:
 *
 * - https only, unless the caller allows plain http (a local mirror, a test server); a redirect
 *   from https to http is refused the same way;
 * - every file the manifest lists must declare its sha256 and size, or the download is refused
 *   before a byte is fetched; a file is never written past its declared size (a server that sends
 *   more is cut off there), and is checked against both before it takes its real name;
 * - a redirect to another host is followed (model hosts serve files from CDNs) and reported;
 * - a transfer that stalls (no bytes for `stallTimeoutMs`) is cut, keeping what arrived;
 * - files are written as `<file>.partial` and resumed with HTTP Range requests; model.json is
 *   written last, so a folder with a model.json is complete.
 */
import { createWriteStream, promises as fs } from 'node:fs';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { rootCertificates } from 'node:tls';
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

/** How files are fetched: what the transfer allows and what it reports. */
export interface TransferOptions {
  signal?: AbortSignal;
  /** Plain http (no TLS) is refused unless this is set: for a local mirror or a test server. */
  allowHttp?: boolean;
  /** Told when a request is redirected to another host (followed: model files are served from CDNs). */
  onRedirect?: (from: URL, to: URL) => void;
  /** No bytes for this long (ms) cuts the transfer; what arrived is kept for a resume. Default 30 s. */
  stallTimeoutMs?: number;
  /** PEM certificates to trust for https besides the system's (a private mirror's own CA). */
  ca?: string;
}

export interface DownloadOptions extends TransferOptions {
  onProgress?: (p: DownloadProgress) => void;
}

export interface DownloadResult {
  dir: string;
  manifest: ModelManifest;
  /** Bytes fetched over the network in this run (less than the total when resumed). */
  bytesFetched: number;
  resumedFiles: string[];
}

const DEFAULT_STALL_MS = 30_000;
const MAX_REDIRECTS = 5;
/** model.json is a small text: a server that sends more is not serving a manifest. */
const MAX_MANIFEST_BYTES = 1 << 20;

/** A URL as typed, refused unless it is https (or http when allowed). */
export function downloadUrl(text: string, allowHttp = false, what = 'the download'): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CamtrackError('bad-input', `"${text}" is not a URL.`);
  }
  checkScheme(url, allowHttp, what);
  return url;
}

function checkScheme(url: URL, allowHttp: boolean | undefined, what: string): void {
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:') {
    if (allowHttp) return;
    throw new CamtrackError(
      'bad-input',
      `${url.href} is plain http: ${what} could be changed on the way. Use an https URL, or --allow-http for a server you trust (a local mirror).`,
    );
  }
  throw new CamtrackError('bad-input', `Only https URLs can be downloaded (got ${url.protocol}).`);
}

/** One GET (no redirects followed), resolved with the response once its headers arrive. */
function requestOnce(url: URL, headers: Record<string, string>, opts: TransferOptions): Promise<IncomingMessage> {
  const stallMs = opts.stallTimeoutMs ?? DEFAULT_STALL_MS;
  return new Promise((resolve, reject) => {
    const tls = url.protocol === 'https:';
    const req = (tls ? https : http).request(url, {
      headers,
      signal: opts.signal,
      ...(tls && opts.ca && { ca: [...rootCertificates, opts.ca] }),
    });
    let response: IncomingMessage | null = null;
    // The socket's idle timer covers connecting, waiting for headers and every gap in the body;
    // once the body flows, the stall is the response's error (what its reader sees).
    req.setTimeout(stallMs, () => {
      const stalled = Object.assign(new Error(`no data for ${stallMs / 1000} s`), { code: 'ESTALLED' });
      response?.destroy(stalled);
      req.destroy(stalled);
    });
    req.on('response', (res) => {
      response = res;
      resolve(res);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Why a transfer failed, in words: an untrusted certificate, a stall, or the system's code. */
function failureReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) return `its certificate is not trusted (${code})`;
  if (code === 'ESTALLED') return `it stalled: ${(e as Error).message}`;
  return code || (e as Error).message;
}

/** A network failure as a message a person can act on. */
function transferError(e: unknown, url: URL, what: string, signal?: AbortSignal): CamtrackError {
  if (e instanceof CamtrackError) return e;
  if (signal?.aborted || (e as Error).name === 'AbortError')
    return new CamtrackError('cancelled', `The download of ${what} was cancelled.`);
  return new CamtrackError('not-found', `Could not download ${what} from ${url.origin}: ${failureReason(e)}.`, {
    cause: e,
  });
}

/** GET following redirects (https to http only when http is allowed); other hosts are reported. */
async function get(
  start: URL,
  headers: Record<string, string>,
  opts: TransferOptions,
  what: string,
): Promise<{ res: IncomingMessage; url: URL }> {
  let url = start;
  for (let hops = 0; ; hops++) {
    checkScheme(url, opts.allowHttp, what);
    let res: IncomingMessage;
    try {
      res = await requestOnce(url, headers, opts);
    } catch (e) {
      throw transferError(e, url, what, opts.signal);
    }
    const status = res.statusCode ?? 0;
    if (status < 300 || status >= 400 || !res.headers.location) return { res, url };
    res.resume();
    if (hops >= MAX_REDIRECTS)
      throw new CamtrackError('not-found', `${start.href} redirects more than ${MAX_REDIRECTS} times.`);
    const next = new URL(res.headers.location, url);
    if (next.host !== url.host) opts.onRedirect?.(url, next);
    url = next;
  }
}

/** The body of a small text response, refused past `maxBytes`. */
async function readText(res: IncomingMessage, maxBytes: number, what: string): Promise<string> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    n += chunk.length;
    if (n > maxBytes) {
      res.destroy();
      throw new CamtrackError('bad-file', `${what} is larger than ${maxBytes} bytes: it is not a model manifest.`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function downloadModel(
  manifestUrl: string,
  dir: string,
  options: DownloadOptions = {},
): Promise<DownloadResult> {
  const base = downloadUrl(manifestUrl, options.allowHttp, 'model files');
  const { res, url: finalUrl } = await get(base, {}, options, 'model.json');
  if ((res.statusCode ?? 0) !== 200) {
    res.resume();
    throw new CamtrackError('not-found', `${base.href} answered HTTP ${res.statusCode} ${res.statusMessage}.`);
  }
  let manifestText: string;
  try {
    manifestText = await readText(res, MAX_MANIFEST_BYTES, 'model.json');
  } catch (e) {
    throw transferError(e, finalUrl, 'model.json', options.signal);
  }
  const manifest = parseManifest(manifestText, base.href);
  const files = manifestFiles(manifest);
  // A file that cannot be verified is not downloaded at all, so none of the folder is.
  const unverified = files.filter(({ entry }) => !entry.sha256 || entry.bytes === undefined).map((f) => f.entry.file);
  if (unverified.length)
    throw new CamtrackError(
      'bad-file',
      `${base.href} lists ${unverified.join(', ')} without a sha256 and a size ("sha256", "bytes"): a file that cannot be checked is not downloaded.`,
    );

  await fs.mkdir(dir, { recursive: true });
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
      options,
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
 * Range request when it exists), never past the expected size, are checked against the expected
 * size and sha256, and only then take the target's name.
 */
export async function downloadFile(
  url: URL,
  target: string,
  expect: ExpectedFile,
  progress: (fileBytes: number, fileTotal: number | null, state: DownloadProgress['state']) => void,
  opts: TransferOptions = {},
): Promise<{ bytesFetched: number; resumed: boolean; bytes: number }> {
  const name = path.basename(target);
  let bytesFetched = 0;
  let resumed = false;
  const partial = `${target}.partial`;
  let have = (await fs.stat(partial).catch(() => null))?.size ?? 0;
  if (expect.bytes !== undefined && have > expect.bytes) {
    await fs.rm(partial, { force: true });
    have = 0;
  }
  const headers: Record<string, string> = {};
  if (have > 0) headers.Range = `bytes=${have}-`;
  const { res: r, url: from } = await get(url, headers, opts, name);
  const status = r.statusCode ?? 0;
  let offset = 0;
  if (status === 206) {
    const m = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(r.headers['content-range'] ?? '');
    if (!m || Number(m[1]) !== have) {
      r.resume();
      throw new CamtrackError(
        'bad-file',
        `${url.href} answered a resume request with the wrong range (${r.headers['content-range']}).`,
      );
    }
    offset = have;
    resumed = true;
  } else if (status === 416 && have > 0) {
    // The partial file already holds every byte: verify it below.
    offset = have;
    r.resume();
  } else if (status !== 200) {
    r.resume();
    throw new CamtrackError('not-found', `${url.href} answered HTTP ${status} ${r.statusMessage}.`);
  }
  const lengthHeader = Number(r.headers['content-length']);
  const announced = status !== 416 && Number.isFinite(lengthHeader) ? offset + lengthHeader : null;
  const total = expect.bytes ?? announced;
  const tooLong = () =>
    new CamtrackError(
      'bad-file',
      `${name}: the server sends more than the ${expect.bytes} bytes ${expect.what} declares; the download was stopped there and removed.`,
    );
  if (expect.bytes !== undefined && announced !== null && announced > expect.bytes) {
    r.destroy();
    await fs.rm(partial, { force: true });
    throw tooLong();
  }
  if (status !== 416) {
    let done = offset;
    progress(done, total, 'downloading');
    const counter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        // Never written past the declared size: the transfer is cut at the first byte over it.
        if (expect.bytes !== undefined && done + chunk.length > expect.bytes) return cb(tooLong());
        done += chunk.length;
        bytesFetched += chunk.length;
        progress(done, total, 'downloading');
        cb(null, chunk);
      },
    });
    try {
      // flags 'a' appends to a resumed partial; 'w' starts over when the server sent the whole file.
      await pipeline(r, counter, createWriteStream(partial, { flags: offset > 0 ? 'a' : 'w' }));
    } catch (e) {
      if (e instanceof CamtrackError) {
        r.destroy();
        await fs.rm(partial, { force: true });
        throw e;
      }
      if (opts.signal?.aborted)
        throw new CamtrackError(
          'cancelled',
          `The download of ${name} was cancelled; run it again to resume from ${done} bytes.`,
        );
      throw new CamtrackError(
        'not-found',
        `The download of ${name} was interrupted at ${done} bytes (${failureReason(e)}, from ${from.host}). Run it again to resume.`,
        { cause: e },
      );
    }
  }
  const size = (await fs.stat(partial)).size;
  if (expect.bytes !== undefined && size !== expect.bytes) {
    throw new CamtrackError(
      'bad-file',
      `${name} is ${size} bytes after downloading, but ${expect.what} says ${expect.bytes}. Run the download again to resume.`,
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
