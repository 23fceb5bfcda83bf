import type { Command } from 'commander';
import { writeLambdaFile } from '../../engine/lambda/file';
import { lambdaFormatOf } from '../../engine/lambda/formats';
import { defaultLambda } from '../../engine/lambda/search';
import { lambdaRows } from '../../engine/lambda/table';
import { loadSigmasFile } from '../../engine/schedule/file';
import { sigmasForSteps } from '../../engine/schedule/sigmas';
import { CamtrackError } from '../../engine/util/errors';
import { printJson, rangeOption } from '../io';
import { LIMITS } from '../../engine/util/limits';

/**
 * `camtrack lambda (--sigmas FILE.npy | --steps N) --frames F [--out FILE]`: the default lambda
 * table (docs/design.md, "The lambda table"). Without --out, JSON {v1, v2, v3, steps, frames, lambda} to stdout;
 * with --out, a .npy, .csv or .json file by its extension.
 */
export function registerLambda(program: Command): void {
  program
    .command('lambda')
    .description('the default lambda table for a sigma schedule and a frame count')
    .option('--sigmas <file.npy>', 'a sigma schedule (1-D, decreasing, last 0)')
    .option('--steps <n>', 'or: the Karras schedule of N steps', rangeOption('steps', LIMITS.steps))
    .requiredOption('--frames <n>', 'number of frames (>= 2)', rangeOption('frames', LIMITS.frames))
    .option('--out <file>', 'write .npy, .csv or .json (by extension) instead of printing')
    .action(async (opts: { sigmas?: string; steps?: number; frames: number; out?: string }) => {
      if ((opts.sigmas === undefined) === (opts.steps === undefined)) {
        throw new CamtrackError('bad-input', 'Give exactly one of --sigmas FILE.npy or --steps N.');
      }
      if (opts.out) lambdaFormatOf(opts.out); // refuse a bad extension before the work
      const sigmas = opts.sigmas !== undefined ? await loadSigmasFile(opts.sigmas) : sigmasForSteps(opts.steps!);
      const { table, v1, v2, v3, score } = defaultLambda(sigmas, opts.frames);
      if (!opts.out) {
        printJson({ v1, v2, v3, steps: table.steps, frames: table.frames, lambda: lambdaRows(table) });
        return;
      }
      await writeLambdaFile(opts.out, table);
      process.stderr.write(
        `wrote ${opts.out}: ${table.steps} steps x ${table.frames} frames, v1=${v1} v2=${v2} v3=${v3}, score ${score}\n`,
      );
    });
}
