import { Command, CommanderError } from 'commander';
import { toErrorInfo } from '../engine/util/errors';
import { commands } from './commands';
import { appVersion } from '../engine/util/appRoot';

/**
 * Entry of the `camtrack` command line. Each command lives in `commands/<name>.ts` and registers
 * itself on the program; failures print one readable line (and the error code) and exit non-zero.
 */
export async function main(argv: string[]): Promise<number> {
  const program = new Command();
  program
    .name('camtrack')
    .description('Camtrack Studio: camera-track video from one photo, headless.')
    .version(appVersion())
    .exitOverride()
    .showHelpAfterError();
  for (const register of commands) register(program);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    const info = toErrorInfo(e);
    process.stderr.write(`camtrack: ${info.message} [${info.code}]\n`);
    if (process.env.CAMTRACK_DEBUG && info.detail) process.stderr.write(`${info.detail}\n`);
    return info.code === 'internal' ? 70 : 1;
  }
}
