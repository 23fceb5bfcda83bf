import { spawn, type ChildProcess } from 'node:child_process';
import { appPath } from '../engine/util/appRoot';

/** `camtrack worker` as a separate process for the farm tests, its JSON event lines collected as they come. */
export interface WorkerProcess {
  name: string;
  child: ChildProcess;
  events: Record<string, unknown>[];
  stderr: string;
}

export interface WorkerProcessOptions {
  /** BullMQ's lock duration and stalled-check interval (ms): short ones move a killed worker's job on within seconds. */
  lockMs?: number;
  stalledMs?: number;
  /** More `camtrack worker` flags (--redis-ca FILE, --model-dir DIR). */
  args?: string[];
}

export function startWorkerProcess(
  name: string,
  root: string,
  url: string,
  opts: WorkerProcessOptions = {},
): WorkerProcess {
  const timing = [
    ...(opts.lockMs ? ['--lock-duration', String(opts.lockMs)] : []),
    ...(opts.stalledMs ? ['--stalled-interval', String(opts.stalledMs)] : []),
  ];
  const child = spawn(
    process.execPath,
    [
      appPath('bin', 'camtrack.mjs'),
      'worker',
      '--farm-root',
      root,
      '--ep',
      'cpu',
      '--name',
      name,
      ...timing,
      ...(opts.args ?? []),
    ],
    // The URL (with its password) through the environment, as a studio would keep it out of `ps`.
    { env: { ...process.env, CAMTRACK_REDIS_URL: url }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const w: WorkerProcess = { name, child, events: [], stderr: '' };
  let buf = '';
  child.stdout!.on('data', (d) => {
    buf += d;
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try {
        w.events.push(JSON.parse(line));
      } catch {
        w.events.push({ event: 'text', line });
      }
    }
  });
  child.stderr!.on('data', (d) => (w.stderr += d));
  return w;
}

/** Waits for a worker's 'started' line; a worker that exits first fails with what it printed. */
export function workerStarted(w: WorkerProcess, timeoutMs = 90_000): Promise<true> {
  return until(`worker ${w.name} to start`, timeoutMs, () => {
    if (w.events.some((e) => e.event === 'started')) return true;
    if (w.child.exitCode !== null)
      throw new Error(`worker ${w.name} exited ${w.child.exitCode}: ${w.stderr.slice(-500)}`);
    return false;
  });
}

export async function until<T>(
  what: string,
  timeoutMs: number,
  fn: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  everyMs = 200,
): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export async function stopProcess(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise((r) => p.once('exit', r));
  p.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
}
