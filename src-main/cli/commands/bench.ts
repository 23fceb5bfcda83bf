import type { Command } from 'commander';
import { benchmarks } from '../../bench/registry';
import { formatFigure } from '../../bench/harness';
import { CamtrackError } from '../../engine/util/errors';

export function registerBench(program: Command): void {
  program
    .command('bench')
    .description('run the benchmarks (all, or those named) and print each figure with its baseline')
    .argument('[names...]', `benchmarks to run: ${benchmarks.map((b) => b.name).join(', ') || '(none yet)'}`)
    .option('--list', 'list the benchmarks and exit')
    .action(async (names: string[], opts: { list?: boolean }) => {
      if (opts.list) {
        for (const b of benchmarks) process.stdout.write(`${b.name}: ${b.description}\n`);
        return;
      }
      const unknown = names.filter((n) => !benchmarks.some((b) => b.name === n));
      if (unknown.length)
        throw new CamtrackError(
          'bad-input',
          `Unknown benchmark: ${unknown.join(', ')}. Known: ${benchmarks.map((b) => b.name).join(', ')}`,
        );
      const chosen = names.length ? benchmarks.filter((b) => names.includes(b.name)) : benchmarks;
      for (const b of chosen) {
        process.stdout.write(`\n# ${b.name}: ${b.description}\n`);
        for (const f of await b.run()) process.stdout.write(`${formatFigure(f)}\n`);
      }
    });
}
