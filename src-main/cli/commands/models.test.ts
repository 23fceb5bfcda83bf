import { tempDir } from '../../test/tmp';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { writeDraftModel } from '../../engine/models/draftModel';
import { builtinDraftModelDir } from '../../engine/models/modelFolder';
import { runCli } from '../../test/cli';

const run = runCli;

afterEach(() => vi.restoreAllMocks());

describe('camtrack models check', () => {
  it('verifies the built-in draft model and opens its sessions', async () => {
    const r = await run('models', 'check', builtinDraftModelDir(), '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({
      family: 'draft',
      dtype: 'float32',
      provider: 'cpu',
      fallbackReason: null,
    });
  });

  it('names the missing file of a broken folder and exits 1', async () => {
    const dir = path.join(tempDir('camtrack-cli-models-'), 'm');
    await writeDraftModel(dir);
    await fs.rm(path.join(dir, 'unet.onnx'));
    const r = await run('models', 'check', dir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/unet model file unet\.onnx is missing .*\[model\]/);
  });

  it('refuses an unknown provider', async () => {
    const r = await run('models', 'check', builtinDraftModelDir(), '--ep', 'tpu');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Unknown execution provider "tpu"/);
  });
});
