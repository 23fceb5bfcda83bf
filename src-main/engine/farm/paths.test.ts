import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CamtrackError } from '../util/errors';
import { checkFarmRoot, resolveUnderRoot, resolveUnderRootReal } from './paths';

let tmp: string;
let root: string;
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-farm-paths-'));
  root = path.join(tmp, 'root');
  await fs.mkdir(path.join(root, 'assets'), { recursive: true });
  await fs.writeFile(path.join(tmp, 'secret.txt'), 'outside');
  await fs.symlink(tmp, path.join(root, 'assets', 'up'));
});
afterAll(() => fs.rm(tmp, { recursive: true, force: true }));

function refusal(fn: () => unknown): CamtrackError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CamtrackError);
    return e as CamtrackError;
  }
  throw new Error('expected a refusal');
}

describe('paths from the queue, resolved under the farm root', () => {
  it('resolves relative paths inside the root, with either separator', () => {
    expect(resolveUnderRoot(root, 'assets/abc.png')).toBe(path.join(root, 'assets', 'abc.png'));
    expect(resolveUnderRoot(root, 'renders\\x.mp4')).toBe(path.join(root, 'renders', 'x.mp4'));
    expect(resolveUnderRoot(root, 'assets/../renders/x.mp4')).toBe(path.join(root, 'renders', 'x.mp4'));
  });

  it('refuses paths that escape: parent references, absolute paths, drive letters, NUL, the root itself', () => {
    for (const bad of [
      '../secret.txt',
      'assets/../../secret.txt',
      '/etc/passwd',
      'C:\\Windows\\win.ini',
      'c:x',
      'assets/\0x',
      '.',
      'assets/..',
    ]) {
      const e = refusal(() => resolveUnderRoot(root, bad, 'photo path'));
      expect(e.code).toBe('permission');
      expect(e.message).toContain('photo path');
    }
    expect(refusal(() => resolveUnderRoot(root, '../secret.txt')).message).toMatch(/escapes the farm root/);
  });

  it('refuses a path that leads out through a symlink inside the root', async () => {
    expect(resolveUnderRoot(root, 'assets/up/secret.txt')).toBe(path.join(root, 'assets', 'up', 'secret.txt'));
    await expect(resolveUnderRootReal(root, 'assets/up/secret.txt', 'photo path')).rejects.toThrow(
      /leads out of the farm root through a link/,
    );
    await expect(resolveUnderRootReal(root, 'assets/new-file.png')).resolves.toBe(
      path.join(root, 'assets', 'new-file.png'),
    );
  });

  it('a farm root that is not a folder is refused (an unmounted share must not become a local folder)', async () => {
    await expect(checkFarmRoot(path.join(tmp, 'not-mounted'))).rejects.toThrow(/is not a folder/);
    await expect(checkFarmRoot(path.join(tmp, 'secret.txt'))).rejects.toThrow(/is not a folder/);
  });
});
