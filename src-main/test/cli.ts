import { vi } from 'vitest';
import { main } from '../cli/main';

/** Runs the `camtrack` command line in-process and captures what it printed. */
export async function runCli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  const e = vi
    .spyOn(process.stderr, 'write')
    .mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  try {
    return { code: await main(['node', 'camtrack', ...args]), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}
