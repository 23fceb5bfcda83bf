import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CamtrackError } from '../util/errors';
import { downloadModel, type DownloadProgress } from './download';
import { writeDraftModel } from './draftModel';
import { verifyModelFolder } from './modelFolder';

/**
 * A local model server on 127.0.0.1 that serves a generated draft folder with HTTP Range support,
 * and can be told to cut a file's first response short or to serve a corrupted copy.
 */
interface ServerControl {
  cutAfter: Map<string, number>;
  corrupt: Set<string>;
  requests: { path: string; range: string | undefined; status: number }[];
}

/** The server here is plain http on 127.0.0.1: allowed explicitly, as `--allow-http` does. */
const HTTP = { allowHttp: true } as const;
const root = await fs.mkdtemp(path.join(tmpdir(), 'camtrack-dl-'));
const served = path.join(root, 'served');
const control: ServerControl = { cutAfter: new Map(), corrupt: new Set(), requests: [] };
let server: http.Server;
let baseUrl: string;

beforeAll(async () => {
  await writeDraftModel(served);
  server = http.createServer(async (req, res) => {
    const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/models\/draft\//, '');
    let body: Buffer;
    try {
      body = await fs.readFile(path.join(served, rel));
    } catch {
      control.requests.push({ path: rel, range: req.headers.range, status: 404 });
      res.writeHead(404).end('no such file');
      return;
    }
    if (control.corrupt.has(rel)) {
      body = Buffer.from(body);
      body[body.length >> 1] ^= 0x55;
    }
    let start = 0;
    let status = 200;
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (m) {
      start = Number(m[1]);
      if (start >= body.length) {
        control.requests.push({ path: rel, range: req.headers.range, status: 416 });
        res.writeHead(416, { 'Content-Range': `bytes */${body.length}` }).end();
        return;
      }
      status = 206;
    }
    control.requests.push({ path: rel, range: req.headers.range, status });
    const part = body.subarray(start);
    const headers: Record<string, string | number> = { 'Content-Length': part.length, 'Accept-Ranges': 'bytes' };
    if (status === 206) headers['Content-Range'] = `bytes ${start}-${body.length - 1}/${body.length}`;
    res.writeHead(status, headers);
    const cut = control.cutAfter.get(rel);
    if (cut !== undefined) {
      control.cutAfter.delete(rel); // only the first response is cut
      res.write(part.subarray(0, cut), () => setTimeout(() => res.destroy(), 20));
      return;
    }
    res.end(part);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/models/draft/model.json`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await fs.rm(root, { recursive: true, force: true });
});

describe('downloading a model folder', () => {
  it('downloads every file with progress and verifies the result', async () => {
    const dir = path.join(root, 'plain');
    const events: DownloadProgress[] = [];
    const r = await downloadModel(baseUrl, dir, { ...HTTP, onProgress: (p) => events.push(p) });
    expect(r.manifest.family).toBe('draft');
    expect(r.resumedFiles).toEqual([]);
    const enc = events.filter((e) => e.file === 'image_encoder.onnx');
    expect(enc.at(-1)).toMatchObject({ state: 'done', fileBytes: 197024, fileTotal: 197024 });
    expect(enc.some((e) => e.state === 'verifying')).toBe(true);
    await verifyModelFolder(dir);
    // A second run finds everything in place and fetches nothing.
    const again = await downloadModel(baseUrl, dir, HTTP);
    expect(again.bytesFetched).toBe(0);
  });

  it('resumes an interrupted file with a Range request', async () => {
    const dir = path.join(root, 'resume');
    control.cutAfter.set('image_encoder.onnx', 60_000);
    const first = await downloadModel(baseUrl, dir, HTTP).then(
      () => null,
      (e: unknown) => e,
    );
    expect(first).toBeInstanceOf(CamtrackError);
    expect((first as CamtrackError).message).toMatch(
      /image_encoder\.onnx was interrupted at \d+ bytes.*Run it again to resume/,
    );
    const partialSize = (await fs.stat(path.join(dir, 'image_encoder.onnx.partial'))).size;
    expect(partialSize).toBeGreaterThan(0);
    expect(partialSize).toBeLessThan(197024);
    await expect(fs.stat(path.join(dir, 'model.json'))).rejects.toThrow(); // not complete: no manifest yet

    control.requests.length = 0;
    const second = await downloadModel(baseUrl, dir, HTTP);
    expect(second.resumedFiles).toEqual(['image_encoder.onnx']);
    expect(control.requests.find((q) => q.path === 'image_encoder.onnx')).toEqual({
      path: 'image_encoder.onnx',
      range: `bytes=${partialSize}-`,
      status: 206,
    });
    await verifyModelFolder(dir);
  });

  it('refuses a corrupted file, removes it, and writes no model.json', async () => {
    const dir = path.join(root, 'corrupt');
    control.corrupt.add('unet.onnx');
    try {
      const e = await downloadModel(baseUrl, dir, HTTP).then(
        () => null,
        (err: unknown) => err,
      );
      expect((e as CamtrackError).code).toBe('bad-file');
      expect((e as CamtrackError).message).toMatch(
        /unet\.onnx was refused: its sha256 is [0-9a-f]{64}, but model\.json says/,
      );
      await expect(fs.stat(path.join(dir, 'unet.onnx'))).rejects.toThrow();
      await expect(fs.stat(path.join(dir, 'unet.onnx.partial'))).rejects.toThrow();
      await expect(fs.stat(path.join(dir, 'model.json'))).rejects.toThrow();
    } finally {
      control.corrupt.clear();
    }
  });

  it('names an HTTP error and a URL that is not one', async () => {
    await expect(downloadModel(baseUrl.replace('model.json', 'nope.json'), path.join(root, 'x'), HTTP)).rejects.toThrow(
      /answered HTTP 404/,
    );
    await expect(downloadModel('not a url', path.join(root, 'y'))).rejects.toThrow(/is not a URL/);
  });
});
