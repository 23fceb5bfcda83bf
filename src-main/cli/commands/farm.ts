import path from 'node:path';
import type { Command } from 'commander';
import {
  cancelFarmJob,
  farmStatus,
  openFarmClient,
  retryFarmJob,
  startFarmWorker,
  submitFarmRender,
  waitForFarmJob,
  type FarmClient,
  type FarmProgress,
} from '../../engine/farm';
import { parseProviderChoice } from '../../engine/models/providers';
import { openProject } from '../../engine/project/store';
import { CamtrackError } from '../../engine/util/errors';
import { parseIntOption, printJson, progressLine } from '../io';

/**
 * The render farm from the command line: `camtrack worker` takes jobs; `camtrack farm submit`,
 * `status`, `cancel` and `retry` drive the queue. The Redis URL may carry a password and use
 * rediss:// (TLS, with --redis-ca for a studio's own certificate authority); CAMTRACK_REDIS_URL,
 * CAMTRACK_REDIS_CA and CAMTRACK_FARM_ROOT stand in for the flags, which keeps
 * a password out of the process list.
 */
interface FarmFlags {
  redis?: string;
  redisCa?: string;
  farmRoot?: string;
}

function redisUrl(flags: FarmFlags): string {
  const url = flags.redis ?? process.env.CAMTRACK_REDIS_URL;
  if (!url)
    throw new CamtrackError(
      'bad-input',
      "Give the farm's Redis with --redis redis://[:password@]host:port (or rediss:// for TLS), or set CAMTRACK_REDIS_URL.",
    );
  return url;
}

function farmRoot(flags: FarmFlags): string {
  const root = flags.farmRoot ?? process.env.CAMTRACK_FARM_ROOT;
  if (!root)
    throw new CamtrackError(
      'bad-input',
      'Give the shared farm folder with --farm-root DIR (or set CAMTRACK_FARM_ROOT).',
    );
  return path.resolve(root);
}

/** A farm client for the command's flags, closed when `fn` is done. */
async function withFarmClient<T>(flags: FarmFlags, fn: (client: FarmClient) => Promise<T>): Promise<T> {
  const client = await openFarmClient(redisUrl(flags), { caFile: flags.redisCa && path.resolve(flags.redisCa) });
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

const withRedis = (c: Command) =>
  c
    .option(
      '--redis <url>',
      "the farm's Redis: redis://[:password@]host:port[/db], rediss:// for TLS (default: $CAMTRACK_REDIS_URL)",
    )
    .option(
      '--redis-ca <file>',
      "a PEM certificate authority to trust for a rediss:// server, beside the system's (default: $CAMTRACK_REDIS_CA)",
    );
const withRoot = (c: Command) =>
  c.option('--farm-root <dir>', 'the shared farm folder every machine mounts (default: $CAMTRACK_FARM_ROOT)');

/** `farm cancel|retry <job>`: one job id, the Redis flags, a JSON line with the outcome. */
function jobCommand(
  farm: Command,
  name: string,
  description: string,
  act: (client: FarmClient, jobId: string) => Promise<string>,
): void {
  withRedis(farm.command(name))
    .description(description)
    .argument('<job>', 'the job id')
    .action(async (jobId: string, flags: FarmFlags) => {
      const result = await withFarmClient(flags, (client) => act(client, jobId));
      printJson({ job: jobId, result });
    });
}

export function registerFarm(program: Command): void {
  withRoot(withRedis(program.command('worker')))
    .description(
      'take render jobs from the farm queue and render them into the farm root (until Ctrl+C: the first finishes the jobs in hand, a second stops at once)',
    )
    .option(
      '--model-dir <dir>',
      'a folder of model folders (or one model folder) to find job models in by name; the built-in draft model is always available',
    )
    .option('--ep <name>', "execution provider: auto, cuda, dml, coreml, webgpu or cpu (default: each job's setting)")
    .option('--concurrency <n>', 'jobs at once on this machine', parseIntOption('concurrency'), 1)
    .option('--name <name>', "the worker's name in status and on its jobs (default: host-pid)")
    .option(
      '--lock-duration <ms>',
      'how long a job stays with a worker that stops answering before another takes it',
      parseIntOption('lock-duration'),
      30_000,
    )
    .option(
      '--stalled-interval <ms>',
      'how often this worker looks for jobs of dead workers',
      parseIntOption('stalled-interval'),
      30_000,
    )
    .action(
      async (
        flags: FarmFlags & {
          modelDir?: string;
          ep?: string;
          concurrency: number;
          name?: string;
          lockDuration: number;
          stalledInterval: number;
        },
      ) => {
        if (flags.concurrency < 1) throw new CamtrackError('bad-input', '--concurrency must be at least 1.');
        const running = await startFarmWorker({
          redisUrl: redisUrl(flags),
          redisCaFile: flags.redisCa && path.resolve(flags.redisCa),
          farmRoot: farmRoot(flags),
          modelDir: flags.modelDir && path.resolve(flags.modelDir),
          executionProvider: flags.ep !== undefined ? parseProviderChoice(flags.ep) : undefined,
          concurrency: flags.concurrency,
          name: flags.name,
          lockDurationMs: flags.lockDuration,
          stalledIntervalMs: flags.stalledInterval,
          log: (e) => printJson({ t: new Date().toISOString(), ...e }),
        });
        await new Promise<void>((resolve) => {
          let stopping = false;
          const stop = () => {
            if (stopping) process.exit(130);
            stopping = true;
            process.stderr.write('finishing the jobs in hand (Ctrl+C again to stop now)\n');
            void running.close().then(resolve, resolve);
          };
          process.on('SIGINT', stop);
          process.on('SIGTERM', stop);
        });
      },
    );

  const farm = program
    .command('farm')
    .description('the render farm: submit renders to the queue, see workers and jobs');
  withRoot(withRedis(farm.command('submit')))
    .description(
      'submit a render of a project to the farm (its photo and depth are copied to the farm root once, by hash)',
    )
    .argument('<project>', 'the project folder (NAME.camtrack) or its project.json')
    .option('--out <name>', "the output's file name in FARM_ROOT/renders/ (default: project-seedN-<id>.<format>)")
    .option('--wait', 'wait for the render and print where the output is')
    .action(async (target: string, flags: FarmFlags & { out?: string; wait?: boolean }) => {
      const opened = await openProject(target);
      await withFarmClient(flags, async (client) => {
        const { jobId, spec } = await submitFarmRender(client, {
          projectDir: opened.dir,
          doc: opened.doc,
          farmRoot: farmRoot(flags),
          outputName: flags.out,
        });
        process.stderr.write(`submitted ${jobId}: ${spec.output}\n`);
        if (!flags.wait) {
          printJson({ job: jobId, output: spec.output });
          return;
        }
        let last = '';
        const r = await waitForFarmJob(client, jobId, (p) => {
          const fp = p as FarmProgress | number;
          const line =
            typeof fp === 'object'
              ? `${fp.worker}: ${Math.floor(fp.fraction * 100)}% ${fp.stage}`
              : 'waiting for a worker';
          if (line !== last) progressLine((last = line));
        });
        if (process.stderr.isTTY) process.stderr.write('\n');
        const root = farmRoot(flags);
        process.stderr.write(
          `done by ${r.worker} (${r.provider}) in ${(r.ms / 1000).toFixed(1)} s: ${path.join(root, r.output)}\n`,
        );
        printJson({
          job: jobId,
          output: path.join(root, r.output),
          sidecar: path.join(root, r.sidecar),
          worker: r.worker,
          provider: r.provider,
          ms: r.ms,
        });
      });
    });
  withRedis(farm.command('status'))
    .description('list the workers (host, provider, GPU, current job) and the recent jobs')
    .option('--json', 'print as JSON')
    .action(async (flags: FarmFlags & { json?: boolean }) => {
      await withFarmClient(flags, async (client) => {
        const s = await farmStatus(client);
        if (flags.json) {
          printJson({ workers: s.workers, jobs: s.jobs.map(({ preview: _p, ...j }) => j) });
          return;
        }
        process.stdout.write(`workers (${s.workers.length}):\n`);
        for (const w of s.workers) {
          const job = w.jobs.length
            ? w.jobs.map((j) => `${j.id} ${Math.floor(j.fraction * 100)}% ${j.stage}`).join(', ')
            : 'idle';
          process.stdout.write(
            `  ${w.name}  host ${w.host}  provider ${w.provider.used ?? w.provider.requested}  GPU ${w.gpus.join('; ') || 'none'}  ${job}\n`,
          );
        }
        process.stdout.write(`jobs (${s.jobs.length}):\n`);
        for (const j of s.jobs) {
          const detail =
            j.state === 'active'
              ? `${Math.floor(j.fraction * 100)}% ${j.stage}`
              : j.state === 'failed' || j.state === 'cancelled'
                ? (j.error?.message ?? '')
                : j.state === 'completed'
                  ? (j.result?.output ?? '')
                  : '';
          process.stdout.write(`  ${j.id}  ${j.state.padEnd(9)}  ${j.worker ?? '-'}  ${j.output}  ${detail}\n`);
        }
      });
    });
  jobCommand(
    farm,
    'cancel',
    'cancel a farm job (a waiting one is marked cancelled and never runs; a running one stops)',
    (client, jobId) => cancelFarmJob(client, jobId),
  );
  jobCommand(farm, 'retry', 'run a failed or cancelled farm job again', async (client, jobId) => {
    await retryFarmJob(client, jobId);
    return 'queued';
  });
}
