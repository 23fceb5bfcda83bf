import type { Command } from 'commander';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../../server/serve';
import { rangeOption } from '../io';
import { appRoot } from '../../engine/util/appRoot';
import { ensureStudioUi } from '../ensureUi';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the studio to a browser on 127.0.0.1 (headless servers, end-to-end tests)')
    .option('--port <n>', 'port, 1 to 65535 (default: a free one)', rangeOption('port', { min: 1, max: 65_535 }))
    .option(
      '--workspace <dir>',
      'the folder whose projects the studio may open and save',
      path.join(os.homedir(), 'Camtrack Projects'),
    )
    .option('--data <dir>', 'the app data folder', path.join(os.homedir(), '.camtrack'))
    .option('--ui <dir>', 'the built studio UI to serve (default: dist/renderer, built on the first run)')
    .option(
      '--farm-root <dir>',
      'a render farm root outside the workspace that the studio may use (otherwise the farm root must be inside the workspace)',
    )
    .action(async (opts: { port?: number; workspace: string; data: string; ui?: string; farmRoot?: string }) => {
      const rendererDir = opts.ui
        ? path.resolve(opts.ui)
        : ensureStudioUi(appRoot(), (line) => process.stderr.write(`${line}\n`));
      const server = await startServer({
        port: opts.port,
        workspace: path.resolve(opts.workspace),
        appDataDir: path.resolve(opts.data),
        rendererDir,
        ...(opts.farmRoot && { farmRoot: path.resolve(opts.farmRoot) }),
      });
      // A bug in one request must not stop the server for everyone: it is reported, and serving goes on.
      process.on('unhandledRejection', (e) => {
        process.stderr.write(
          `camtrack serve: unexpected error (still serving): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
        );
      });
      process.stdout.write(
        `Camtrack Studio is at ${server.url}\n(only this URL, with its token, can drive the engine; Ctrl+C stops)\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = () => {
          void server.close().then(resolve);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
