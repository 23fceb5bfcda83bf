/**
 * Writes sigmas/sigmas_25.npy, sigmas_50.npy and sigmas_100.npy: the Karras schedules of
 * docs/design.md ("Sigma schedule") as float32, shape (N + 1,), last value 0.
 *
 *     npx tsx scripts/make-sigmas.ts
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdirSync } from 'node:fs';
import { writeNpyFile } from '../src-main/engine/npy/file';
import { sigmasForSteps } from '../src-main/engine/schedule/sigmas';

const COMMITTED_STEPS = [25, 50, 100] as const;

const outDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../sigmas');
mkdirSync(outDir, { recursive: true });
for (const n of COMMITTED_STEPS) {
  const sigmas = sigmasForSteps(n);
  const file = path.join(outDir, `sigmas_${n}.npy`);
  await writeNpyFile(file, sigmas, [sigmas.length]);
  process.stdout.write(
    `${path.relative(process.cwd(), file)}: ${sigmas.length} values, ${sigmas[0]} .. ${sigmas[n - 1]}, 0\n`,
  );
}
