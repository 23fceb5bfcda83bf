import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestDepthModel } from '../../test/depthModel';
import { depthModelFile } from '../../engine/depth/models';
import { builtinDraftModelDir } from '../../engine/models/modelFolder';
import { readNpyFile } from '../../engine/npy/file';
import { openProject } from '../../engine/project/store';
import { sampleProjectDir } from '../../test/tinyProject';
import { runCli } from '../../test/cli';

/** The tiny generated Depth Anything V2 stand-in, served from 127.0.0.1 with HTTP Range support. */
let tmp: string;
let server: http.Server;
let url: string;
let model: Uint8Array;
const ranges: (string | undefined)[] = [];
const savedModelsDir = process.env.CAMTRACK_MODELS_DIR;
const json = (out: string) =>
  out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
let photo: string;

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-cli-depth-'));
  process.env.CAMTRACK_MODELS_DIR = path.join(tmp, 'models');
  model = buildTestDepthModel();
  server = http.createServer((req, res) => {
    if (req.url?.startsWith('/text/')) return void res.writeHead(200).end('<html>not a model</html>');
    ranges.push(req.headers.range);
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = m ? Number(m[1]) : 0;
    const part = Buffer.from(model).subarray(start);
    res.writeHead(m ? 206 : 200, {
      'Content-Length': part.length,
      ...(m && { 'Content-Range': `bytes ${start}-${model.length - 1}/${model.length}` }),
    });
    res.end(part);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/onnx/model.onnx`;
  const sample = await openProject(sampleProjectDir());
  photo = path.join(sample.dir, 'assets', sample.doc.image!.asset.file);
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  if (savedModelsDir === undefined) delete process.env.CAMTRACK_MODELS_DIR;
  else process.env.CAMTRACK_MODELS_DIR = savedModelsDir;
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('camtrack depth', () => {
  it('says exactly what to do while no depth model is installed', async () => {
    const status = await runCli('depth', 'status');
    expect(status.code).toBe(0);
    expect(json(status.out)[0]).toMatchObject({ size: 'small', installed: false });
    expect(String(json(status.out)[0].hint)).toMatch(/npx camtrack depth download --size small/);
    const estimate = await runCli('depth', 'estimate', '--image', photo, '--out', path.join(tmp, 'd.npy'));
    expect(estimate.code).toBe(1);
    expect(estimate.err).toMatch(/No depth model is installed\. Run "npx camtrack depth download --size small"/);
  });

  it('downloads the model from a local server, resuming a partial file, records its sha256 and refuses a wrong hash', async () => {
    const file = depthModelFile('small');
    await fs.mkdir(path.dirname(file), { recursive: true });
    // Downloaded as model.onnx.download (installed once it loads), resumed from its .partial.
    await fs.writeFile(`${file}.download.partial`, model.subarray(0, 100));
    const download = await runCli('depth', 'download', '--url', url, '--allow-http');
    expect(download.code).toBe(0);
    const sha = createHash('sha256').update(model).digest('hex');
    expect(json(download.out)[0]).toMatchObject({ size: 'small', sha256: sha, bytes: model.length });
    expect(ranges.at(-1)).toBe('bytes=100-');
    expect((await fs.readFile(file)).equals(Buffer.from(model))).toBe(true);
    expect((await fs.readFile(`${file}.sha256`, 'utf8')).trim()).toBe(sha);
    const wrong = await runCli(
      'depth',
      'download',
      '--size',
      'base',
      '--url',
      url,
      '--allow-http',
      '--sha256',
      '0'.repeat(64),
    );
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/refused: its sha256 is [0-9a-f]{64}, but the expected hash says 0{64}/);
    await expect(fs.stat(depthModelFile('base'))).rejects.toThrow();
  });

  it('estimates depth to .npy and makes a project with --estimate-depth; a damaged model is refused by its recorded hash', async () => {
    const npy = path.join(tmp, 'depth.npy');
    const estimate = await runCli('depth', 'estimate', '--image', photo, '--out', npy);
    expect(estimate.code).toBe(0);
    const r = json(estimate.out)[0];
    expect(r).toMatchObject({ holds: 'disparity', mapping: { kind: 'disparity' } });
    const arr = await readNpyFile(npy);
    expect(arr.shape).toEqual([r.height, r.width]);
    expect((r.width as number) % 14).toBe(0);
    // The test model's output is the patch mean of the normalised pixels + 3: positive everywhere, like a disparity.
    expect(Array.from(arr.data).reduce((a, b) => Math.min(a, b), Infinity)).toBeGreaterThan(0);

    const dir = path.join(tmp, 'Estimated');
    expect((await runCli('project', 'new', dir, '--image', photo, '--estimate-depth')).code).toBe(0);
    const { doc } = await openProject(`${dir}.camtrack`);
    expect(doc.depth!.source).toMatchObject({ type: 'model', model: 'depth-anything-v2-small/model.onnx' });
    expect(doc.depth!.mapping.kind).toBe('disparity');

    const file = depthModelFile('small');
    const bytes = await fs.readFile(file);
    bytes[bytes.length - 1] ^= 1;
    await fs.writeFile(file, bytes);
    const damaged = await runCli('depth', 'estimate', '--image', photo, '--out', npy);
    expect(damaged.code).toBe(1);
    expect(damaged.err).toMatch(/does not match the sha256 recorded when it was installed/);
  });
  it('install and download load-check the file: text, an empty file or another ONNX graph is refused, the working model stays (issue 24, item 7)', async () => {
    const good = path.join(tmp, 'good.onnx');
    await fs.writeFile(good, model);
    expect((await runCli('depth', 'install', good, '--size', 'large')).code).toBe(0);
    const file = depthModelFile('large');
    const sha = createHash('sha256').update(model).digest('hex');
    const text = path.join(tmp, 'model.txt');
    await fs.writeFile(text, 'this is not a model');
    const empty = path.join(tmp, 'empty.onnx');
    await fs.writeFile(empty, '');
    const otherGraph = path.join(builtinDraftModelDir(), 'unet.onnx');
    for (const bad of [text, empty, otherGraph]) {
      const r = await runCli('depth', 'install', bad, '--size', 'large');
      expect(r.code, bad).toBe(1);
      expect(r.err).toContain(`${path.basename(bad)} cannot be used as a depth model: `);
      expect((await fs.readFile(file)).equals(Buffer.from(model))).toBe(true);
      expect((await fs.readFile(`${file}.sha256`, 'utf8')).trim()).toBe(sha);
    }
    expect((await runCli('depth', 'install', otherGraph)).err).toMatch(/is not a Depth Anything V2 style model/);
    const download = await runCli(
      'depth',
      'download',
      '--size',
      'large',
      '--url',
      url.replace('/onnx/', '/text/'),
      '--allow-http',
    );
    expect(download.code).toBe(1);
    expect(download.err).toMatch(
      /The download from http:\/\/127\.0\.0\.1:\d+\/text\/model\.onnx cannot be used as a depth model/,
    );
    expect((await fs.readFile(file)).equals(Buffer.from(model))).toBe(true);
    expect((await fs.readdir(path.dirname(file))).sort()).toEqual(['model.onnx', 'model.onnx.sha256']);
    const status = json((await runCli('depth', 'status')).out);
    expect(status.find((s) => s.size === 'large')).toMatchObject({ installed: true });
  });
});
