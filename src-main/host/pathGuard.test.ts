import { tempDir } from '../test/tmp';
import { describe, expect, it } from 'vitest';
import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { PathGuard } from './pathGuard';

describe('PathGuard', () => {
  const base = tempDir('guard-');
  const allowed = path.join(base, 'allowed');
  const outside = path.join(base, 'outside');
  mkdirSync(allowed);
  mkdirSync(outside);
  const guard = new PathGuard([allowed]);

  it('allows the root, its children and paths that do not exist yet', () => {
    expect(guard.isAllowed(allowed)).toBe(true);
    expect(guard.isAllowed(path.join(allowed, 'a', 'b.camtrack'))).toBe(true);
  });

  it('refuses siblings, parents and ../ escapes, naming the path', () => {
    expect(guard.isAllowed(outside)).toBe(false);
    expect(guard.isAllowed(base)).toBe(false);
    expect(guard.isAllowed(path.join(allowed, '..', 'outside', 'x'))).toBe(false);
    expect(guard.isAllowed(`${allowed}-evil`)).toBe(false);
    expect(() => guard.check('/etc/passwd')).toThrow(/may not access \/etc\/passwd/);
  });

  it('follows symlinks before deciding', () => {
    symlinkSync(outside, path.join(allowed, 'link'));
    expect(guard.isAllowed(path.join(allowed, 'link', 'secret.txt'))).toBe(false);
  });

  it('grants what the user chose later', () => {
    const g = new PathGuard([]);
    expect(g.isAllowed(outside)).toBe(false);
    g.allow(outside);
    expect(g.isAllowed(path.join(outside, 'p.camtrack'))).toBe(true);
  });
});
