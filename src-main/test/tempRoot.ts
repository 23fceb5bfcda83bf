import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Vitest global setup: the test run gets its own temporary folder (TMPDIR for every test worker and
 * every process they start), removed when the run ends. Tests remove what they create themselves;
 * this also catches what libraries leave behind (onnxruntime writes mat-debug-<pid>.log files and .ses, tsx
 * its cache) and names anything left, so a test that forgets its cleanup shows up in the output.
 */
export default function setup(): () => void {
  const root = mkdtempSync(path.join(os.tmpdir(), 'camtrack-test-run-'));
  const before = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return () => {
    const left = readdirSync(root).filter(
      (n) => !/^(mat-debug-\d+\.log|\.ses|tsx-\d+|vite-node.*|[A-Za-z0-9]{21})$/.test(n),
    );
    if (left.length > 0)
      process.stdout.write(`\nTemporary files the tests did not remove (now removed): ${left.join(', ')}\n`);
    rmSync(root, { recursive: true, force: true });
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
  };
}
