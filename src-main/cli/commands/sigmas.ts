import type { Command } from 'commander';
import path from 'node:path';
import { writeNpyFile } from '../../engine/npy/file';
import { sigmasForSteps } from '../../engine/schedule/sigmas';
import { CamtrackError } from '../../engine/util/errors';
import { parseIntOption, printJson } from '../io';

/** `camtrack sigmas --steps N [--out FILE.npy]`: the Karras schedule, N values and a final 0. */
export function registerSigmas(program: Command): void {
  program
    .command('sigmas')
    .description('the Karras sigma schedule for N steps (N + 1 float32 values, last 0): JSON to stdout, or a .npy file')
    .requiredOption('--steps <n>', 'number of denoising steps (>= 1)', parseIntOption('steps'))
    .option('--out <file.npy>', 'write a float32 .npy file of shape (N + 1,) instead of printing')
    .action(async (opts: { steps: number; out?: string }) => {
      const sigmas = sigmasForSteps(opts.steps);
      if (!opts.out) {
        // Each float32 printed as the double it widens to: reads back to the same float32.
        printJson(Array.from(sigmas));
        return;
      }
      if (path.extname(opts.out).toLowerCase() !== '.npy')
        throw new CamtrackError('bad-input', `--out must name a .npy file (got ${opts.out}).`);
      await writeNpyFile(opts.out, sigmas, [sigmas.length]);
      process.stderr.write(`wrote ${opts.out}: ${sigmas.length} sigmas\n`);
    });
}
