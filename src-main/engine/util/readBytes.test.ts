import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/cli';
import { fixture } from '../../test/fixtures';
import { readDepthFile } from '../depth/read';
import { loadImageFile } from '../image/load';
import { readMvsnetFolder } from '../sources/mvsnetFolder';
import { readRegularFile } from './readBytes';

/**
 * A FIFO (or any file that is not a regular one) named as a photo, a depth map or a camera file is
 * refused by name instead of blocking the importer forever (issue 24, item 9).
 */
let tmp: string;
let fifo: string;
let unblock: NodeJS.Timeout;
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-fifo-'));
  fifo = path.join(tmp, 'depth.npy');
  execFileSync('mkfifo', [fifo]);
  // Should a reader block on the FIFO (the bug), a writer that opens and closes it gives it an end,
  // so the test fails on its assertion instead of hanging the run.
  unblock = setInterval(() => {
    try {
      closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {
      // No reader waiting: nothing to unblock.
    }
  }, 2000);
});
afterAll(async () => {
  clearInterval(unblock);
  await fs.rm(tmp, { recursive: true, force: true });
});

describe.skipIf(process.platform === 'win32')('files that are not regular files', () => {
  it('a FIFO or a device is refused by name; a folder and a missing file fail as before', async () => {
    await expect(readRegularFile(fifo)).rejects.toThrow(`${fifo} is a FIFO (named pipe), not a regular file`);
    await expect(readRegularFile('/dev/null')).rejects.toThrow('/dev/null is a character device, not a regular file');
    await expect(readRegularFile(tmp)).rejects.toMatchObject({ code: 'EISDIR' });
    await expect(readRegularFile(path.join(tmp, 'nope'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(readRegularFile('a\0b')).rejects.toThrow('holds a NUL character');
    const small = path.join(tmp, 'small.txt');
    await fs.writeFile(small, 'hello');
    expect(Buffer.from(await readRegularFile(small)).toString()).toBe('hello');
    await expect(readRegularFile(small, 4)).rejects.toThrow('is 5 bytes; at most 4 are read for it');
  });

  it('the depth and photo readers refuse a FIFO at once', async () => {
    await expect(readDepthFile(fifo)).rejects.toThrow('is a FIFO (named pipe), not a regular file');
    const photo = path.join(tmp, 'photo.png');
    execFileSync('mkfifo', [photo]);
    await expect(loadImageFile(photo)).rejects.toThrow('is a FIFO (named pipe), not a regular file');
  });

  it('camtrack project new with a FIFO as its depth or photo exits with the reason', async () => {
    const depth = await runCli(
      'project',
      'new',
      path.join(tmp, 'a'),
      '--image',
      fixture('dtu_scan1', '000001.jpg'),
      '--depth',
      fifo,
    );
    expect(depth.code).toBe(1);
    expect(depth.err).toContain(
      `${fifo} is a FIFO (named pipe), not a regular file: choose the file itself. [bad-input]`,
    );
    const photo = path.join(tmp, 'photo2.jpg');
    execFileSync('mkfifo', [photo]);
    const image = await runCli('project', 'new', path.join(tmp, 'b'), '--image', photo);
    expect(image.code).toBe(1);
    expect(image.err).toContain('is a FIFO (named pipe), not a regular file');
  });

  it('an MVSNet folder whose photo is a FIFO is refused before the image library opens it', async () => {
    const dir = path.join(tmp, 'mvsnet');
    await fs.cp(fixture('dtu_scan1_mvsnet'), dir, { recursive: true });
    await fs.rm(path.join(dir, 'images', '00000001.png'));
    execFileSync('mkfifo', [path.join(dir, 'images', '00000001.png')]);
    await expect(readMvsnetFolder(dir)).rejects.toThrow('is a FIFO (named pipe), not a regular file');
  });
});
