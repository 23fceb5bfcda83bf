import type { Command } from 'commander';
import { formatDoctor, runDoctor } from '../../engine/models/doctor';
import { printJson } from '../io';

/** `camtrack doctor [--json] [--no-probe] [--hashes] [--models-dir DIR]`: what this machine offers. */
export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description(
      'report ffmpeg, execution providers (each probed with a session), NVIDIA GPU, models found, and versions',
    )
    .option('--json', 'print the report as JSON')
    .option('--no-probe', 'list providers without opening a session on each')
    .option('--hashes', 'also check the sha256 of every file of the user models (slow for real models)')
    .option('--models-dir <dir>', 'folder of downloaded models (default CAMTRACK_MODELS_DIR or ~/.camtrack/models)')
    .action(async (opts: { json?: boolean; probe: boolean; hashes?: boolean; modelsDir?: string }) => {
      const report = await runDoctor({ probe: opts.probe, hashes: opts.hashes, modelsDir: opts.modelsDir });
      if (opts.json) printJson(report);
      else for (const line of formatDoctor(report)) process.stdout.write(`${line}\n`);
    });
}
