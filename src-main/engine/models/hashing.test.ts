import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Bytes, sha256File } from './hashing';

describe('sha256 of model files', () => {
  it('streams the file, reports progress, and is cached by path, size and mtime', async () => {
    const dir = await fs.mkdtemp(path.join(tmpdir(), 'camtrack-hash-'));
    const file = path.join(dir, 'w.bin');
    const a = new Uint8Array(9 << 20).map((_, i) => (i * 7) & 0xff); // 9 MB: three 4 MB chunks
    await fs.writeFile(file, a);
    const when = new Date('2026-01-02T03:04:05Z'); // whole seconds: restorable exactly
    await fs.utimes(file, when, when);
    const seen: number[] = [];
    const h1 = await sha256File(file, (done) => seen.push(done));
    expect(h1).toBe(createHash('sha256').update(a).digest('hex'));
    expect(seen).toEqual([4 << 20, 8 << 20, 9 << 20]);
    expect(sha256Bytes(a)).toBe(h1);

    // Same size and mtime: the cached hash comes back (this is what the cache trades for speed).
    const b = a.slice();
    b[0] ^= 1;
    await fs.writeFile(file, b);
    await fs.utimes(file, when, when);
    expect(await sha256File(file)).toBe(h1);
    // A new mtime: hashed again.
    await fs.utimes(file, when, new Date(when.getTime() + 5000));
    expect(await sha256File(file)).toBe(createHash('sha256').update(b).digest('hex'));
    await fs.rm(dir, { recursive: true, force: true });
  });
});
