import { Command, CommanderError } from 'commander';
import { toErrorInfo } from '../engine/util/errors';
import { commandModules } from './commands';
import { appVersion } from '../engine/util/appRoot';

/**
 * Entry of the `camtrack` command line. Each command lives in `commands/<name>.ts` and registers
 * itself on the program; failures print one readable line (and the error code) and exit non-zero.
 *
 * Only the module of the command being run is loaded (commands/index.ts): the others are listed
 * by name and summary, so `camtrack --help` and light commands start without the heavy engine parts.
 */
export async function main(argv: string[]): Promise<number> {
  const program = new Command();
  program
    .name('camtrack')
    .description('Camtrack Studio: camera-track video from one photo, headless.')
    .version(appVersion())
    .exitOverride()
    .showHelpAfterError();
  // The command named on the line (`camtrack help X` names X); root options take no values.
  const args = argv.slice(2).filter((a) => !a.startsWith('-'));
  const wanted = args[0] === 'help' ? args[1] : args[0];
  try {
    for (const m of commandModules) {
      if (wanted !== undefined && wanted in m.commands) {
        (await m.load())(program);
        for (const [name, summary] of Object.entries(m.commands))
          program.commands.find((c) => c.name() === name)?.summary(summary);
      } else {
        // A stand-in that lists the command; it never runs (the line names another command).
        for (const [name, summary] of Object.entries(m.commands))
          program.command(name).summary(summary).allowUnknownOption().allowExcessArguments();
      }
    }
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
