import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addRecent, readRecent, removeRecent, clearRecent, RECENT_FILE, RECENT_MAX } from './recent';

let tmp: string;
let appData: string;
beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-recent-'));
  appData = path.join(tmp, 'appdata');
});
afterEach(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

async function fakeProject(name: string): Promise<string> {
  const dir = path.join(tmp, `${name}.camtrack`);
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, 'project.json'), '{}');
  return dir;
}

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

describe('recent projects', () => {
  it('is empty without a file, and most recent first after adds (a re-add moves to the top)', async () => {
    expect(await readRecent(appData)).toEqual([]);
    const a = await fakeProject('A');
    const b = await fakeProject('B');
    await addRecent(appData, a, undefined, at(1));
    await addRecent(appData, b, undefined, at(2));
    await addRecent(appData, a, undefined, at(3));
    const list = await readRecent(appData);
    expect(list.map((e) => e.name)).toEqual(['A', 'B']);
    expect(list[0]).toEqual({ dir: a, name: 'A', openedAt: at(3).toISOString() });
  });

  it(`keeps at most ${RECENT_MAX}`, async () => {
    for (let i = 0; i < RECENT_MAX + 3; i++) await addRecent(appData, await fakeProject(`P${i}`), undefined, at(i));
    const list = await readRecent(appData);
    expect(list).toHaveLength(RECENT_MAX);
    expect(list[0].name).toBe(`P${RECENT_MAX + 2}`);
    expect(list[RECENT_MAX - 1].name).toBe('P3');
  });

  it('prunes projects whose folder has gone, on read', async () => {
    const a = await fakeProject('A');
    const b = await fakeProject('B');
    const c = await fakeProject('C');
    for (const d of [a, b, c]) await addRecent(appData, d);
    await fs.rm(b, { recursive: true });
    await fs.rm(path.join(c, 'project.json'));
    expect((await readRecent(appData)).map((e) => e.name)).toEqual(['A']);
  });

  it('remove and clear; a damaged list reads as empty and is replaced by the next write', async () => {
    const a = await fakeProject('A');
    const b = await fakeProject('B');
    await addRecent(appData, a);
    await addRecent(appData, b);
    expect((await removeRecent(appData, a)).map((e) => e.name)).toEqual(['B']);
    await clearRecent(appData);
    expect(await readRecent(appData)).toEqual([]);
    await fs.writeFile(path.join(appData, RECENT_FILE), '{"projects": [ {"dir": 3');
    expect(await readRecent(appData)).toEqual([]);
    await addRecent(appData, a);
    expect((await readRecent(appData)).map((e) => e.name)).toEqual(['A']);
    expect((await fs.readdir(appData)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});
