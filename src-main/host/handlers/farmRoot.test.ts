import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyProject } from '../../test/tinyProject';
import { startTestRedis, type TestRedis } from '../../test/redis';
import { createEngineService, type EngineService } from '../service';

/**
 * farm.configure in browser mode (issue 24, item 2): the farm root is confined as projects are
 * (inside the workspace, or the folder given to `camtrack serve --farm-root`), and configuring one
 * never opens project or asset access under it.
 */
let base: string;
let workspace: string;
let farmRoot: string;
let dataDir: string;
let redis: TestRedis;
let service: EngineService;
const call = <T>(method: string, input: unknown) => service.handle(method, input) as Promise<T>;

beforeAll(async () => {
  base = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-farm-root-'));
  workspace = path.join(base, 'ws');
  farmRoot = path.join(base, 'farm');
  dataDir = path.join(base, 'data');
  await fs.mkdir(workspace, { recursive: true });
  await fs.mkdir(farmRoot);
  redis = await startTestRedis();
  service = createEngineService({ mode: 'browser', appDataDir: dataDir, workspace, farmRoot }, () => undefined);
});
afterAll(async () => {
  await redis?.stop();
  await fs.rm(base, { recursive: true, force: true });
});

describe('the farm root in browser mode', () => {
  it('is refused outside the workspace and the served farm root ("/" included), before anything is saved', async () => {
    const elsewhere = path.join(base, 'elsewhere');
    await fs.mkdir(elsewhere);
    for (const root of ['/', elsewhere, base]) {
      await expect(call('farm.configure', { url: redis.url, root })).rejects.toMatchObject({
        code: 'permission',
        message: `In browser mode the farm root must be inside the workspace (${workspace}) or the folder given to "camtrack serve --farm-root DIR"; ${root} is neither.`,
      });
    }
    expect(await fs.stat(path.join(dataDir, 'farm.json')).catch(() => null)).toBeNull();
  });

  it('is accepted as the served farm root or inside the workspace, and opens no project or asset access under it', async () => {
    await expect(call('farm.configure', { url: redis.url, root: farmRoot })).resolves.toMatchObject({
      configured: true,
      root: farmRoot,
    });
    // A project inside the farm root is no more reachable than before.
    const inFarm = path.join(farmRoot, 'p.camtrack');
    await writeTinyProject(inFarm);
    await expect(call('project.open', { path: inFarm })).rejects.toMatchObject({ code: 'permission' });
    const inside = path.join(workspace, 'farm');
    await fs.mkdir(inside);
    await expect(call('farm.configure', { url: redis.url, root: inside })).resolves.toMatchObject({ root: inside });
  });

  it('a farm.json saved with a root outside them is refused when read, not trusted', async () => {
    await fs.writeFile(path.join(dataDir, 'farm.json'), JSON.stringify({ url: redis.url, root: '/' }));
    // A new host (its farm link reads farm.json again).
    const fresh = createEngineService({ mode: 'browser', appDataDir: dataDir, workspace }, () => undefined);
    await expect(fresh.handle('farm.settings', {})).rejects.toMatchObject({
      code: 'permission',
      message: expect.stringContaining('/ is neither'),
    });
    await expect(fresh.handle('project.open', { path: path.join('/', 'etc') })).rejects.toMatchObject({
      code: 'permission',
    });
  });
});
