import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleProjectDir } from '../../test/tinyProject';
import { runCli } from '../../test/cli';

describe('camtrack render --fidelity', () => {
  it('names a fidelity that is neither studio nor reference', async () => {
    const r = await runCli(
      'render',
      sampleProjectDir(),
      '--out',
      path.join(os.tmpdir(), 'never.mp4'),
      '--fidelity',
      'exact',
    );
    expect(r.code).toBe(1);
    expect(r.err).toContain('--fidelity must be studio or reference (got "exact")');
  });

  it('is listed in the help with both modes', async () => {
    const r = await runCli('help', 'render');
    expect(r.out).toMatch(/--fidelity <mode>\s+studio \(the studio.s own warp[^]*or\s+reference/);
  });
});
