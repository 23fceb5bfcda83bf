import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNpyNumbers } from '../../engine/npy/npy';
import { runCli } from '../../test/cli';
import { fixture } from '../../test/fixtures';

let tmp: string;
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-verify-'));
});
afterAll(() => fs.rm(tmp, { recursive: true, force: true }));

/** A copy of a golden set whose file `rel` has `edit` applied to its values (uint8 or float arrays). */
async function tampered(name: string, rel: string, edit: (data: Uint8Array | Float32Array | Float64Array) => void) {
  const dir = path.join(tmp, name);
  await fs.cp(fixture('nvs-guidance'), dir, { recursive: true });
  const file = path.join(dir, rel);
  const bytes = await fs.readFile(file);
  const a = readNpyNumbers(bytes, rel);
  edit(a.data);
  const header = bytes.subarray(0, bytes.length - a.data.byteLength);
  await fs.writeFile(
    file,
    Buffer.concat([header, new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength)]),
  );
  return dir;
}

describe('camtrack verify guidance', () => {
  it("passes on the reference's own goldens (96x64, 25 steps), printing each stage's max difference", async () => {
    const r = await runCli('verify', 'guidance', fixture('nvs-guidance'));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('96x64, 25 frames, 25 steps (kept 0, 12, 24)');
    expect(r.out).toMatch(/ok +dgs_single step 12 +replaced elements +0 differ/);
    expect(r.out).toMatch(/ok +warp_single tiny_sideways +known mask/);
    expect(r.out).toMatch(/All \d+ checks pass/);
    expect(r.out).not.toContain('FAIL');
  });

  it('takes its size, steps and kept steps from the folder: a second set at 48x40 and 10 steps passes', async () => {
    const r = await runCli('verify', 'guidance', fixture('nvs-guidance-small'));
    expect(r.code).toBe(0);
    expect(r.out).toContain('48x40, 25 frames, 10 steps (kept 0, 4, 9)');
    expect(r.out).toMatch(/ok +dgs_multi step 9 +prev sample/);
  });

  it('fails, naming the stage, when one replaced element of the golden is flipped', async () => {
    const dir = await tampered('flipped', 'dgs_single/step12_replaced.npy', (d) => {
      // Frame 7, some element: 1 <-> 0.
      const i = 7 * 4 * 8 * 12 + 50;
      d[i] = d[i] ? 0 : 1;
    });
    const r = await runCli('verify', 'guidance', dir);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/FAIL +dgs_single step 12 +replaced elements +1 differ/);
    expect(r.err).toContain('dgs_single step 12');
    expect(r.out.match(/^FAIL/gm)?.length).toBe(1);
  });

  it('fails on a warp golden moved by 2 grey levels in one pixel, and on a nudged Euler step', async () => {
    const warp = await tampered('warp', 'warp_two/warped.npy', (d) => {
      d[3 * (20 * 96 + 40)] = (d[3 * (20 * 96 + 40)] + 2) % 256;
    });
    const r = await runCli('verify', 'guidance', warp);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/FAIL +warp_two frame 1 \(from photo 1\) +warped +max 2/);
    const euler = await tampered('euler', 'dgs_multi/step00_prev_sample.npy', (d) => {
      d[100] += 1;
    });
    const e = await runCli('verify', 'guidance', euler);
    expect(e.code).not.toBe(0);
    expect(e.err).toContain('dgs_multi step 0');
  });

  it('names a folder that is not a golden set', async () => {
    const r = await runCli('verify', 'guidance', tmp);
    expect(r.code).toBe(1);
    expect(r.err).toContain('is not a complete golden folder');
  });
});
