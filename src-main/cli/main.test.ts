import { describe, expect, it } from 'vitest';
import { runCli } from '../test/cli';

const capture = (argv: string[]) => runCli(...argv);

describe('camtrack command line', () => {
  it('--help lists the commands', async () => {
    const r = await capture(['--help']);
    expect(r.code).toBe(0);
    for (const cmd of ['serve', 'bench', 'sigmas', 'lambda', 'warp', 'track', 'doctor', 'models', 'project']) {
      expect(r.out).toMatch(new RegExp(`^  ${cmd}\\b`, 'm'));
    }
  });

  it('--version prints the package version', async () => {
    const r = await capture(['--version']);
    expect(r.code).toBe(0);
    expect(r.out.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('an unknown command fails with a message', async () => {
    const r = await capture(['frobnicate']);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/unknown command 'frobnicate'/);
  });

  it('a failing command prints one readable line with its error code', async () => {
    const r = await capture(['bench', 'no-such-benchmark']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^camtrack: Unknown benchmark: no-such-benchmark\. Known: .* \[bad-input\]\n$/);
  });
});
