import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CamtrackError } from '../util/errors';
import { downloadModel } from './download';
import { writeDraftModel } from './draftModel';
import { verifyModelFolder } from './modelFolder';

/**
 * What a model download refuses and reports (issue 24, item 8), against local servers made here:
 * plain http without the flag, files a manifest does not let it verify, bytes past a declared size,
 * stalls; redirects to another host are reported; https with a certificate made at test time.
 */
type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;

const root = await fs.mkdtemp(path.join(tmpdir(), 'camtrack-dl-checks-'));
const served = path.join(root, 'served');
let manifest: Record<string, unknown>;
/** Per path: what the server does instead of serving the draft folder's file. */
const routes = new Map<string, Handler>();
const requests: string[] = [];
let plain: http.Server;
let secure: https.Server | null = null;
let httpBase: string;
let httpsBase = '';
let cert = '';

/** Serves the draft model folder (with Range support) unless a route says otherwise. */
const serve: Handler = async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  requests.push(`${req.headers.host}${url.pathname}`);
  const route = routes.get(url.pathname);
  if (route) return route(req, res);
  const file = path.join(served, path.basename(url.pathname));
  const body = await fs.readFile(file).catch(() => null);
  if (!body) return void res.writeHead(404).end();
  const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  const start = m ? Number(m[1]) : 0;
  const part = body.subarray(start);
  res.writeHead(m ? 206 : 200, {
    'Content-Length': part.length,
    ...(m && { 'Content-Range': `bytes ${start}-${body.length - 1}/${body.length}` }),
  });
  res.end(part);
};

const listen = (s: http.Server | https.Server) =>
  new Promise<number>((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port)));

/** A manifest served under `dir`, edited from the draft one. */
function serveManifest(dir: string, edit: (m: Record<string, Record<string, Record<string, unknown>>>) => void) {
  const m = structuredClone(manifest) as Record<string, Record<string, Record<string, unknown>>>;
  edit(m);
  routes.set(`/${dir}/model.json`, (_req, res) => void res.writeHead(200).end(JSON.stringify(m)));
}

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => {
      expect(e).toBeInstanceOf(CamtrackError);
      return e as CamtrackError;
    },
  );

beforeAll(async () => {
  await writeDraftModel(served);
  manifest = JSON.parse(await fs.readFile(path.join(served, 'model.json'), 'utf8')) as Record<string, unknown>;
  plain = http.createServer((req, res) => void serve(req, res));
  httpBase = `http://127.0.0.1:${await listen(plain)}`;
  // A self-signed certificate for 127.0.0.1, made now (nothing is downloaded from outside).
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        path.join(root, 'key.pem'),
        '-out',
        path.join(root, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    cert = await fs.readFile(path.join(root, 'cert.pem'), 'utf8');
    secure = https.createServer(
      { key: await fs.readFile(path.join(root, 'key.pem')), cert },
      (req, res) => void serve(req, res),
    );
    httpsBase = `https://127.0.0.1:${await listen(secure)}`;
  } catch {
    secure = null; // no openssl here: the https case is skipped
  }
});

afterAll(async () => {
  plain.closeAllConnections();
  await new Promise((r) => plain.close(r));
  if (secure) {
    secure.closeAllConnections();
    await new Promise((r) => secure!.close(r));
  }
  await fs.rm(root, { recursive: true, force: true });
});

describe('model downloads verify or refuse', () => {
  it('plain http is refused before any request unless allowed', async () => {
    requests.length = 0;
    const e = await refusal(downloadModel(`${httpBase}/a/model.json`, path.join(root, 'http')));
    expect(e.message).toBe(
      `${httpBase}/a/model.json is plain http: model files could be changed on the way. Use an https URL, or --allow-http for a server you trust (a local mirror).`,
    );
    expect(requests).toEqual([]);
    expect(await fs.stat(path.join(root, 'http')).catch(() => null)).toBeNull();
  });

  it('a manifest that lists a file without its sha256 or size is refused before any file is fetched', async () => {
    serveManifest('unverified', (m) => {
      delete m.components.unet.sha256;
      delete m.components.vae_decoder.bytes;
    });
    requests.length = 0;
    const dir = path.join(root, 'unverified');
    const e = await refusal(downloadModel(`${httpBase}/unverified/model.json`, dir, { allowHttp: true }));
    expect(e.message).toBe(
      `${httpBase}/unverified/model.json lists unet.onnx, vae_decoder.onnx without a sha256 and a size ("sha256", "bytes"): a file that cannot be checked is not downloaded.`,
    );
    expect(requests).toEqual([`127.0.0.1:${new URL(httpBase).port}/unverified/model.json`]);
    expect(await fs.readdir(dir).catch(() => [])).toEqual([]);
  });

  it('a file declared as 10 bytes is cut at 10 when the server sends 50 MB, and removed', async () => {
    serveManifest('declared', (m) => {
      m.components.image_encoder.bytes = 10;
    });
    let sent = 0;
    let finished = false;
    const closed = new Promise<void>((resolve) => {
      // 50 MB in 64 KiB chunks, no Content-Length (chunked), each written when the last drained.
      routes.set('/declared/image_encoder.onnx', async (_req, res) => {
        res.on('close', () => resolve());
        res.writeHead(200);
        const chunk = Buffer.alloc(65_536, 7);
        while (sent < 50 * 2 ** 20 && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) await new Promise((r) => res.once('drain', r).once('close', r));
        }
        finished = !res.destroyed;
        res.end();
      });
    });
    const dir = path.join(root, 'declared');
    const e = await refusal(downloadModel(`${httpBase}/declared/model.json`, dir, { allowHttp: true }));
    expect(e.message).toBe(
      'image_encoder.onnx: the server sends more than the 10 bytes model.json declares; the download was stopped there and removed.',
    );
    await closed;
    expect(finished).toBe(false);
    expect(sent).toBeLessThan(25 * 2 ** 20);
    expect(await fs.readdir(dir)).toEqual([]);
    // Announced by Content-Length: refused from the headers.
    routes.set('/declared/image_encoder.onnx', (_req, res) => {
      res.writeHead(200, { 'Content-Length': 50 * 2 ** 20 });
      res.end(Buffer.alloc(1024));
    });
    expect((await refusal(downloadModel(`${httpBase}/declared/model.json`, dir, { allowHttp: true }))).message).toMatch(
      /sends more than the 10 bytes/,
    );
  });

  it('a redirect to another host is followed and reported', async () => {
    const port = new URL(httpBase).port;
    routes.set(
      '/moved/model.json',
      (_req, res) => void res.writeHead(302, { Location: `http://localhost:${port}/draft/model.json` }).end(),
    );
    const redirects: string[] = [];
    const dir = path.join(root, 'moved');
    await downloadModel(`${httpBase}/moved/model.json`, dir, {
      allowHttp: true,
      onRedirect: (from, to) => redirects.push(`${from.host} -> ${to.host}`),
    });
    expect(redirects).toEqual([`127.0.0.1:${port} -> localhost:${port}`]);
    await verifyModelFolder(dir);
  });

  it('a stalled transfer is cut after the stall timeout, keeps what arrived, and resumes', async () => {
    routes.set('/stall/image_encoder.onnx', async (_req, res) => {
      const body = await fs.readFile(path.join(served, 'image_encoder.onnx'));
      res.writeHead(200, { 'Content-Length': body.length });
      res.write(body.subarray(0, 50_000)); // then nothing, the connection held open
    });
    serveManifest('stall', () => undefined);
    const dir = path.join(root, 'stall');
    const e = await refusal(
      downloadModel(`${httpBase}/stall/model.json`, dir, { allowHttp: true, stallTimeoutMs: 300 }),
    );
    expect(e.message).toMatch(
      /^The download of image_encoder\.onnx was interrupted at 50000 bytes \(it stalled: no data for 0\.3 s, from 127\.0\.0\.1:\d+\)\. Run it again to resume\.$/,
    );
    expect((await fs.stat(path.join(dir, 'image_encoder.onnx.partial'))).size).toBe(50_000);
    routes.delete('/stall/image_encoder.onnx');
    const again = await downloadModel(`${httpBase}/stall/model.json`, dir, { allowHttp: true });
    expect(again.resumedFiles).toEqual(['image_encoder.onnx']);
    await verifyModelFolder(dir);
  });

  it('https: a certificate trusted through `ca` downloads; an untrusted one, or a redirect to http, is refused', async (ctx) => {
    if (!secure) return ctx.skip();
    const dir = path.join(root, 'tls');
    await downloadModel(`${httpsBase}/draft/model.json`, dir, { ca: cert });
    await verifyModelFolder(dir);
    const untrusted = await refusal(downloadModel(`${httpsBase}/draft/model.json`, path.join(root, 'tls2')));
    expect(untrusted.message).toMatch(
      /^Could not download model\.json from https:\/\/127\.0\.0\.1:\d+: its certificate is not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT\)\.$/,
    );
    routes.set(
      '/down/model.json',
      (_req, res) => void res.writeHead(301, { Location: `${httpBase}/draft/model.json` }).end(),
    );
    const downgraded = await refusal(
      downloadModel(`${httpsBase}/down/model.json`, path.join(root, 'tls3'), { ca: cert }),
    );
    expect(downgraded.message).toMatch(/\/draft\/model\.json is plain http/);
  });
});
