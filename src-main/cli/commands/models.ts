import type { Command } from 'commander';
import path from 'node:path';
import { downloadModel, downloadUrl } from '../../engine/models/download';
import { openModel, userModelsDir, verifyModelFolder } from '../../engine/models/modelFolder';
import { parseProviderChoice } from '../../engine/models/providers';
import { printJson, progressLine, transferFlags } from '../io';

const mb = (n: number) => (n / 1048576).toFixed(1);

/**
 * `camtrack models download URL [--dir DIR]`: fetch a model folder from its model.json URL, with
 * resume and sha256 checks. `camtrack models check DIR [--ep NAME]`: verify the files and open
 * every session against the contract.
 */
export function registerModels(program: Command): void {
  const models = program.command('models').description('download and check model folders');
  models
    .command('download')
    .description('download a model folder from the URL of its model.json (resumes partial files, checks sha256)')
    .argument('<url>', 'URL of the model.json')
    .option('--dir <dir>', 'target folder (default: <models dir>/<name of the URL folder>)')
    .option('--allow-http', 'accept a plain http URL (a local mirror you trust); https is required otherwise')
    .action(async (url: string, opts: { dir?: string; allowHttp?: boolean }) => {
      const dir =
        opts.dir ?? path.join(userModelsDir(), path.basename(path.dirname(downloadUrl(url, true).pathname)) || 'model');
      const r = await downloadModel(url, dir, {
        ...transferFlags(opts),
        onProgress: (p) => {
          const of = p.fileTotal ? `/${mb(p.fileTotal)}` : '';
          progressLine(`[${p.fileIndex + 1}/${p.fileCount}] ${p.file}: ${p.state} ${mb(p.fileBytes)}${of} MB`);
        },
      });
      if (process.stderr.isTTY) process.stderr.write('\n');
      process.stdout.write(
        `downloaded ${r.manifest.name} to ${r.dir} (${mb(r.bytesFetched)} MB fetched${r.resumedFiles.length ? `, resumed ${r.resumedFiles.join(', ')}` : ''})\n`,
      );
    });
  models
    .command('check')
    .description('verify a model folder: manifest, files, sha256s, and every session against the contract')
    .argument('<dir>', 'model folder')
    .option('--ep <name>', 'execution provider to open the sessions with: auto, cpu, cuda, dml, coreml, webgpu', 'cpu')
    .option('--json', 'print the result as JSON')
    .action(async (dir: string, opts: { ep: string; json?: boolean }) => {
      await verifyModelFolder(dir, {
        onProgress: (file, done, total) => progressLine(`hashing ${file}: ${mb(done)}/${mb(total)} MB`),
      });
      const model = await openModel(dir, { provider: parseProviderChoice(opts.ep) });
      try {
        const summary = {
          dir,
          name: model.manifest.name,
          family: model.manifest.family,
          dtype: model.manifest.dtype,
          provider: model.provider,
          fallbackReason: model.fallbackReason,
        };
        if (opts.json) printJson(summary);
        else {
          process.stdout.write(
            `${summary.name} [${summary.family}, ${summary.dtype}]: files and sha256s match, all four sessions fit the contract (on ${summary.provider})\n`,
          );
          if (summary.fallbackReason) process.stdout.write(`provider fallback: ${summary.fallbackReason}\n`);
        }
      } finally {
        await model.release();
      }
    });
}
