import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tempPathBeside } from '../util/atomic';
import { appPath } from '../util/appRoot';
import { commitGroup, recoverCommits } from './commit';
import { removeStalePartials } from './partials';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-commit-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await fs.rm(dir, { recursive: true, force: true });
});

const f = (n: string) => path.join(dir, n);
const read = (n: string) => fs.readFile(f(n), 'utf8');

/** An old pair on disk and a new pair staged beside it. */
async function oldPairAndStagedNew() {
  await fs.writeFile(f('clip.mp4'), 'old video');
  await fs.writeFile(f('clip.mp4.json'), 'old sidecar');
  const video = { tmp: tempPathBeside(f('clip.mp4')), target: f('clip.mp4') };
  const sidecar = { tmp: tempPathBeside(f('clip.mp4.json')), target: f('clip.mp4.json') };
  await fs.writeFile(video.tmp, 'new video');
  await fs.writeFile(sidecar.tmp, 'new sidecar');
  return [video, sidecar];
}

describe('commitGroup: the new pair or the old pair', () => {
  it('puts every staged file in place and leaves nothing else', async () => {
    await commitGroup(await oldPairAndStagedNew());
    expect(await read('clip.mp4')).toBe('new video');
    expect(await read('clip.mp4.json')).toBe('new sidecar');
    expect((await fs.readdir(dir)).sort()).toEqual(['clip.mp4', 'clip.mp4.json']);
  });

  it('rolls back when the second rename fails: the old pair stays, no temporaries, no journal', async () => {
    const staged = await oldPairAndStagedNew();
    const rename = fs.rename.bind(fs);
    vi.spyOn(fs, 'rename').mockImplementation(async (from, to) => {
      if (String(to) === f('clip.mp4.json') && String(from).includes('.partial'))
        throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
      return rename(from, to);
    });
    await expect(commitGroup(staged)).rejects.toThrow(/i\/o error/);
    vi.restoreAllMocks();
    expect(await read('clip.mp4')).toBe('old video');
    expect(await read('clip.mp4.json')).toBe('old sidecar');
    expect((await fs.readdir(dir)).sort()).toEqual(['clip.mp4', 'clip.mp4.json']);
  });

  it('a PNG folder and its sidecar are committed together, the old folder replaced whole', async () => {
    await fs.mkdir(f('frames'));
    await fs.writeFile(f('frames/frame_0000.png'), 'old');
    await fs.writeFile(f('frames/frame_0001.png'), 'old');
    await fs.writeFile(f('frames.json'), 'old sidecar');
    const folder = { tmp: tempPathBeside(f('frames')), target: f('frames') };
    await fs.mkdir(folder.tmp);
    await fs.writeFile(path.join(folder.tmp, 'frame_0000.png'), 'new');
    const side = { tmp: tempPathBeside(f('frames.json')), target: f('frames.json') };
    await fs.writeFile(side.tmp, 'new sidecar');
    await commitGroup([folder, side]);
    expect(await fs.readdir(f('frames'))).toEqual(['frame_0000.png']);
    expect(await read('frames/frame_0000.png')).toBe('new');
    expect(await read('frames.json')).toBe('new sidecar');
    expect((await fs.readdir(dir)).sort()).toEqual(['frames', 'frames.json']);
  });

  it('refuses members in different folders before touching anything', async () => {
    await fs.mkdir(f('sub'));
    const a = { tmp: tempPathBeside(f('a.mp4')), target: f('a.mp4') };
    const b = { tmp: tempPathBeside(f('sub/a.mp4.json')), target: f('sub/a.mp4.json') };
    await expect(commitGroup([a, b])).rejects.toThrow(/one folder/);
  });
});

describe('recovery of a half-committed pair at the next start', () => {
  it('a writer killed (SIGKILL) between the two renames: the next start rolls the new pair forward', async () => {
    // A real process stages a pair, starts the commit and is killed right after the video rename.
    const script = `
      import { promises as fs } from 'node:fs';
      const { commitGroup } = await import(${JSON.stringify(appPath('src-main', 'engine', 'video', 'commit.ts'))});
      const { tempPathBeside } = await import(${JSON.stringify(appPath('src-main', 'engine', 'util', 'atomic.ts'))});
      const dir = ${JSON.stringify(dir)};
      const video = { tmp: tempPathBeside(dir + '/clip.mp4'), target: dir + '/clip.mp4' };
      const sidecar = { tmp: tempPathBeside(dir + '/clip.mp4.json'), target: dir + '/clip.mp4.json' };
      await fs.writeFile(video.tmp, 'new video');
      await fs.writeFile(sidecar.tmp, 'new sidecar');
      const rename = fs.rename.bind(fs);
      fs.rename = async (from, to) => {
        await rename(from, to);
        if (to === video.target) process.kill(process.pid, 'SIGKILL');
      };
      await commitGroup([video, sidecar]);
    `;
    await fs.writeFile(f('clip.mp4'), 'old video');
    await fs.writeFile(f('clip.mp4.json'), 'old sidecar');
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: appPath(),
      encoding: 'utf8',
    });
    expect(child.signal).toBe('SIGKILL');
    // The crash left the mix the issue describes: a new video beside the old sidecar, and a journal.
    expect(await read('clip.mp4')).toBe('new video');
    expect(await read('clip.mp4.json')).toBe('old sidecar');
    expect((await fs.readdir(dir)).some((n) => n.endsWith('.commit'))).toBe(true);

    await removeStalePartials(dir);
    expect(await read('clip.mp4')).toBe('new video');
    expect(await read('clip.mp4.json')).toBe('new sidecar');
    expect((await fs.readdir(dir)).sort()).toEqual(['clip.mp4', 'clip.mp4.json']);
  });

  it('a writer killed before its journal: its temporaries are removed, the old pair stays', async () => {
    await fs.writeFile(f('clip.mp4'), 'old video');
    await fs.writeFile(f('clip.mp4.json'), 'old sidecar');
    await fs.writeFile(f('.clip.999999999.0badcafe.partial.mp4'), 'new video');
    await fs.writeFile(f('.clip.mp4.999999999.0badcafe.partial.json'), 'new sidecar');
    await removeStalePartials(dir);
    expect(await read('clip.mp4')).toBe('old video');
    expect(await read('clip.mp4.json')).toBe('old sidecar');
    expect((await fs.readdir(dir)).sort()).toEqual(['clip.mp4', 'clip.mp4.json']);
  });

  it('leaves the journal of a live writer alone, and ignores a journal naming paths outside its folder', async () => {
    const live = `.clip.mp4.${process.pid}.0badcafe.commit`;
    await fs.writeFile(f(live), '{}');
    const evil = '.clip.mp4.999999999.0badcafe.commit';
    await fs.writeFile(
      f(evil),
      JSON.stringify({
        kind: 'camtrack-commit',
        version: 1,
        entries: [{ tmp: '../../etc/x', target: 'y', backup: null }],
      }),
    );
    const done = await recoverCommits(dir);
    expect(done).toEqual([{ journal: evil, rolledForward: [] }]);
    expect(await fs.readdir(dir)).toEqual([live]);
  });
});
