import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/cli';
import { readSidecar } from '../render/sidecar';
import { writeTinyProject } from '../../test/tinyProject';
import { probeVideo } from '../video';
import { openFarmClient } from './submit';
import { startTestRedis, type TestRedis } from '../../test/redis';
import { startWorkerProcess, stopProcess, workerStarted, type WorkerProcess } from '../../test/farmWorkers';

/**
 * The farm over TLS: a redis-server listening only on a TLS port, with a certificate for 127.0.0.1
 * signed by a certificate authority made for this test (openssl, in the server's temporary folder).
 * The client and the worker trust that CA through --redis-ca; without it the server is refused.
 */
let redis: TestRedis;
let tmp: string;
let worker: WorkerProcess | null = null;
const savedCa = process.env.CAMTRACK_REDIS_CA;
beforeAll(async () => {
  delete process.env.CAMTRACK_REDIS_CA;
  redis = await startTestRedis({ tls: true });
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-farm-tls-'));
});
afterAll(async () => {
  if (worker) await stopProcess(worker.child);
  await redis?.stop();
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  if (savedCa !== undefined) process.env.CAMTRACK_REDIS_CA = savedCa;
});

describe('the farm through rediss://', () => {
  it('refuses the server while its CA is not trusted, and a CA file for a plain redis:// URL', async () => {
    expect(redis.url).toMatch(/^rediss:\/\//);
    await expect(openFarmClient(redis.url)).rejects.toThrow(
      /Cannot reach Redis at rediss:\/\/:\*\*\*@127\.0\.0\.1:\d+.*(self-signed certificate|unable to verify|unable to get local issuer)/,
    );
    await expect(openFarmClient(redis.url.replace('rediss:', 'redis:'), { caFile: redis.caFile })).rejects.toThrow(
      /only applies to TLS/,
    );
    await expect(openFarmClient(redis.url, { caFile: path.join(tmp, 'missing.pem') })).rejects.toThrow(
      /Cannot read the Redis CA file/,
    );
  });

  it(
    'renders a job: a worker process and `farm submit --wait` trust the test CA through --redis-ca',
    { timeout: 180_000 },
    async () => {
      const t0 = Date.now();
      const root = path.join(tmp, 'farm-root');
      await fs.mkdir(root);
      const project = path.join(tmp, 'tiny.camtrack');
      await writeTinyProject(project);
      worker = startWorkerProcess('tls-worker', root, redis.url, { args: ['--redis-ca', redis.caFile!] });
      await workerStarted(worker);
      expect(worker.events.find((e) => e.event === 'started')).toMatchObject({
        redis: expect.stringMatching(/^rediss:\/\/:\*\*\*@127\.0\.0\.1/),
      });

      const r = await runCli(
        'farm',
        'submit',
        project,
        '--redis',
        redis.url,
        '--redis-ca',
        redis.caFile!,
        '--farm-root',
        root,
        '--out',
        'tls.mp4',
        '--wait',
      );
      expect(r.err).not.toMatch(/camtrack: /);
      expect(r.code).toBe(0);
      const printed = JSON.parse(r.out.trim().split('\n').pop()!) as {
        output: string;
        sidecar: string;
        worker: string;
      };
      expect(printed).toMatchObject({
        output: path.join(root, 'renders', 'tls.mp4'),
        sidecar: path.join(root, 'renders', 'tls.mp4.json'),
        worker: 'tls-worker',
      });
      expect(await probeVideo(printed.output)).toMatchObject({ codec: 'h264', frames: 4, width: 128, height: 64 });
      expect((await readSidecar(printed.sidecar)).output.file).toBe('tls.mp4');
      console.log(
        `farm TLS test: worker start, submit and render through rediss:// in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
      );
    },
  );
});
