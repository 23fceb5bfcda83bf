import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempPathBeside } from '../util/atomic';
import { isProcessAlive, removeStalePartials } from './partials';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-partials-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('removeStalePartials', () => {
  it("removes debris of dead writers only, never finished files or live writers' temporaries", async () => {
    const mine = tempPathBeside(path.join(dir, 'clip.mp4'));
    const dead = path.basename(mine).replace(`.${process.pid}.`, '.999999999.');
    const deadFolder = `.frames.999999999.0badcafe.partial`;
    for (const f of [
      path.basename(mine),
      dead,
      '.queue.json.999999999.12345678.tmp',
      'clip.mp4',
      'clip.mp4.json',
      '.hidden-note',
    ])
      await fs.writeFile(path.join(dir, f), 'x');
    await fs.mkdir(path.join(dir, deadFolder));
    await fs.writeFile(path.join(dir, deadFolder, 'frame_0000.png'), 'x');
    const removed = await removeStalePartials(dir);
    expect(removed.sort()).toEqual(
      [dead, '.frames.999999999.0badcafe.partial', '.queue.json.999999999.12345678.tmp'].sort(),
    );
    expect((await fs.readdir(dir)).sort()).toEqual(
      ['.hidden-note', path.basename(mine), 'clip.mp4', 'clip.mp4.json'].sort(),
    );
    expect(isProcessAlive(process.pid)).toBe(true);
    expect(isProcessAlive(999999999)).toBe(false);
  });
});
