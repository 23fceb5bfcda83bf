import type { Command } from 'commander';
import { formatVerification, verifyGuidance } from '../../engine/verify/guidance';
import { CamtrackError } from '../../engine/util/errors';

/**
 * `camtrack verify guidance DIR`: the reference fidelity mode against a golden folder made by the
 * NVS-Solver reference's own code (fixtures/nvs-guidance, or one made with
 * scripts/make-guidance-goldens.py at another size and step count). Prints one line per check and
 * exits 0 only when every check is within its tolerance.
 */
export function registerVerify(program: Command): void {
  const verify = program
    .command('verify')
    .description('prove this build reproduces a reference method, from golden outputs of its own code');
  verify
    .command('guidance')
    .description(
      "run the reference fidelity mode (warp, masks, DGS guidance, Euler steps) on a golden folder's inputs and compare every stage with the reference's outputs",
    )
    .argument('<dir>', 'a golden folder in the layout of fixtures/nvs-guidance')
    .option('--json', 'print the checks as JSON instead of a table')
    .action(async (dir: string, opts: { json?: boolean }) => {
      const v = await verifyGuidance(dir);
      process.stdout.write(opts.json ? `${JSON.stringify(v, null, 2)}\n` : `${formatVerification(v)}\n`);
      const failed = v.checks.filter((c) => !c.pass);
      if (failed.length > 0) {
        const stages = [...new Set(failed.map((c) => c.stage))];
        throw new CamtrackError(
          'bad-input',
          `${failed.length} of ${v.checks.length} checks differ from the reference beyond their tolerance, in ${stages.slice(0, 5).join('; ')}${stages.length > 5 ? `; and ${stages.length - 5} more stages` : ''}.`,
        );
      }
    });
}
