import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script without types
import { compileKernel, kernelDir, kernelNames } from '../../../scripts/build-kernels.mjs';

describe('WebAssembly kernels', () => {
  it('each committed module is what its AssemblyScript source compiles to now', async () => {
    const names: string[] = kernelNames();
    expect(names).toContain('float16');
    for (const name of names) {
      const committed = readFileSync(path.join(kernelDir, `${name}.wasm.ts`), 'utf8');
      expect(await compileKernel(name), `${name}.wasm.ts is stale: run node scripts/build-kernels.mjs`).toBe(committed);
    }
  }, 60_000);
});
