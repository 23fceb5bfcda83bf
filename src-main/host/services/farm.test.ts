import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FarmSettingsView, JobView } from '../../api/contract';
import { startTestRedis, type TestRedis } from '../../test/redis';
import { writeTinyProject } from '../../test/tinyProject';
import { tempDir } from '../../test/tmp';
import { createEngineService } from '../service';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(() => redis?.stop());

/** An engine host with its own app data folder and workspace, and a farm root of its own. */
async function host(name: string) {
  const base = tempDir(`camtrack-farmlink-${name}-`);
  // Inside the workspace: in browser mode that is where a farm root may be.
  const farmRoot = path.join(base, 'ws', 'farm');
  await fs.mkdir(farmRoot, { recursive: true });
  const service = createEngineService(
    { mode: 'browser', appDataDir: path.join(base, 'data'), workspace: path.join(base, 'ws') },
    () => {},
  );
  return {
    base,
    farmRoot,
    service,
    call: <T>(method: string, input: unknown) => service.handle(method, input) as Promise<T>,
  };
}

describe('the farm link (a service of the host, ctx.farm)', () => {
  // Before the link was an object, its settings and client were module variables: a second host in the
  // process saw the first host's farm as its own.
  it("is one per host: a host's farm settings are its own", async () => {
    const a = await host('a');
    const b = await host('b');
    const configured = await a.call<FarmSettingsView>('farm.configure', { url: redis.url, root: a.farmRoot });
    expect(configured).toMatchObject({ configured: true, root: a.farmRoot });
    expect(await b.call<FarmSettingsView>('farm.settings', {})).toEqual({
      configured: false,
      url: null,
      root: null,
      workers: [],
    });
    await expect(b.call('farm.jobs', { project: path.join(b.base, 'ws', 'x.camtrack') })).resolves.toEqual([]);
    await Promise.all([a.service.stop(), b.service.stop()]);
  });

  it('polls while a sent job is unfinished, and stop() ends the polling and the connection', async () => {
    const h = await host('poll');
    const project = path.join(h.base, 'ws', 'tiny.camtrack');
    const doc = await writeTinyProject(project);
    await h.call('farm.configure', { url: redis.url, root: h.farmRoot });
    const link = h.service.context.farm;
    expect(link.polling).toBe(false);
    // No worker runs here: the job waits, so the link keeps polling for it.
    const job = await h.call<JobView>('farm.submit', { project, doc });
    expect(job).toMatchObject({ status: 'queued', where: 'farm' });
    expect(link.polling).toBe(true);
    await h.service.stop();
    expect(link.polling).toBe(false);
    // A call after stop() connects again; cancelling the job leaves nothing to poll for.
    await h.call('farm.cancel', { project, jobId: job.id });
    const [view] = await h.call<JobView[]>('farm.jobs', { project });
    expect(view).toMatchObject({ id: job.id, status: 'cancelled' });
    expect(link.polling).toBe(false);
    await h.service.stop();
  });
});
