import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanFarmRoot } from './cleanup';
import { connectRedis, FARM_QUEUE } from './connection';
import { openFarmClient, type FarmClient } from './submit';
import { startTestRedis, type TestRedis } from '../../test/redis';
import { startFarmWorker } from './worker';

/**
 * A worker tidies the farm root when it starts: a commit a crashed worker left half done is
 * finished, stray temporaries and the staging folders of jobs nobody holds are removed; anything
 * young enough to belong to a worker at work on another machine is left alone.
 */
let redis: TestRedis;
let tmp: string;
let client: FarmClient;
beforeAll(async () => {
  redis = await startTestRedis();
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-farm-clean-'));
  client = await openFarmClient(redis.url);
});
afterAll(async () => {
  await client?.close();
  await redis?.stop();
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

describe('worker start on a farm root with debris', () => {
  it(
    'finishes a half-done commit, removes stray temporaries and orphaned staging folders, keeps what may be in use',
    { timeout: 60_000 },
    async () => {
      const root = path.join(tmp, 'farm-root');
      const renders = path.join(root, 'renders');
      const staging = path.join(root, '.staging');
      await fs.mkdir(renders, { recursive: true });
      await fs.mkdir(staging);
      const f = (name: string) => path.join(renders, name);
      const read = (name: string) => fs.readFile(f(name), 'utf8');
      // A worker killed inside commitGroup, after the video was put in place and before the sidecar:
      // the new video beside the old sidecar, the new sidecar's temporary, and the journal naming both.
      // Its pid is a live one here (this process): on a shared folder a pid means nothing, age decides.
      const pid = process.pid;
      const videoTmp = `.clip.${pid}.0a0a0a0a.partial.mp4`;
      const sidecarTmp = `.clip.mp4.${pid}.0b0b0b0b.partial.json`;
      await fs.writeFile(f('clip.mp4'), 'new video');
      await fs.writeFile(f('clip.mp4.json'), 'old sidecar');
      await fs.writeFile(f(sidecarTmp), 'new sidecar');
      const journal = `.clip.mp4.${pid}.0c0c0c0c.commit`;
      await fs.writeFile(
        f(journal),
        JSON.stringify({
          kind: 'camtrack-commit',
          version: 1,
          entries: [
            { tmp: videoTmp, target: 'clip.mp4', backup: null },
            { tmp: sidecarTmp, target: 'clip.mp4.json', backup: null },
          ],
        }),
      );
      const stray = `.other.${pid}.0d0d0d0d.partial.mp4`;
      await fs.writeFile(f(stray), 'half a video');
      // Staging: one folder of a job a (raw BullMQ) worker holds right now, one of a job the queue no longer has.
      await client.queue.add('render', { spec: {} as never }, { jobId: 'held-job' });
      const holderRedis = connectRedis(redis.url, 'worker');
      const holder = new Worker(FARM_QUEUE, null, { connection: holderRedis, autorun: false, lockDuration: 60_000 });
      try {
        expect((await holder.getNextJob('holder-token'))?.id).toBe('held-job');
        await fs.mkdir(path.join(staging, 'held-job.otherhost-1-abcdef'));
        await fs.mkdir(path.join(staging, 'gone-job.deadhost-2-abcdef'));
        await fs.writeFile(path.join(staging, 'gone-job.deadhost-2-abcdef', 'x.mp4'), 'debris');
        const before = (await fs.readdir(renders)).sort();

        // With the default age (10 min) the fresh journal and temporaries may be another machine's commit in progress: untouched.
        const young = await cleanFarmRoot(root, client.queue);
        expect(young).toEqual({ recovered: [], removed: [], staging: ['gone-job.deadhost-2-abcdef'] });
        expect((await fs.readdir(renders)).sort()).toEqual(before);
        expect(await read('clip.mp4.json')).toBe('old sidecar');

        // A worker starting when they are old enough (here: at once) finishes the commit and removes the stray temporary.
        const events: Record<string, unknown>[] = [];
        const worker = await startFarmWorker({
          redisUrl: redis.url,
          farmRoot: root,
          executionProvider: 'cpu',
          staleAfterMs: 0,
          log: (e) => events.push(e),
        });
        await worker.close(true);
        expect(events.find((e) => e.event === 'cleaned')).toEqual({
          event: 'cleaned',
          recovered: [{ journal, rolledForward: ['clip.mp4.json'] }],
          removed: [stray],
          staging: [],
        });
        expect((await fs.readdir(renders)).sort()).toEqual(['clip.mp4', 'clip.mp4.json']);
        expect(await read('clip.mp4')).toBe('new video');
        expect(await read('clip.mp4.json')).toBe('new sidecar');
        expect(await fs.readdir(staging)).toEqual(['held-job.otherhost-1-abcdef']);
      } finally {
        await holder.close(true);
        holderRedis.disconnect();
      }
    },
  );
});
