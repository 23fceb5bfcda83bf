import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A private redis-server for a test: 127.0.0.1 on a free port, a temporary folder, no
 * persistence, a password. Debian's redis-server must be installed (.ci/run installs it); a
 * missing one fails the test with that message instead of skipping it.
 */
export interface TestRedis {
  url: string;
  port: number;
  password: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** REDIS_SERVER, else redis-server on PATH, else Debian's /usr/bin/redis-server. */
export function redisServerPath(): string {
  if (process.env.REDIS_SERVER) return process.env.REDIS_SERVER;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const p = path.join(dir, 'redis-server');
    if (existsSync(p)) return p;
  }
  return '/usr/bin/redis-server';
}

export async function startTestRedis(password = 'farm-test-password'): Promise<TestRedis> {
  const bin = redisServerPath();
  if (!(await fs.stat(bin).catch(() => null))) throw new Error(`redis-server is needed for the farm tests: ${bin} is missing (Debian: apt-get install redis-server, or set REDIS_SERVER).`);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-redis-'));
  const port = await freePort();
  const child: ChildProcess = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--requirepass', password, '--protected-mode', 'yes'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const ready = await new Promise<boolean>((resolve) => {
    const t0 = Date.now();
    const tick = () => {
      if (/Ready to accept connections/.test(output)) return resolve(true);
      if (child.exitCode !== null || Date.now() - t0 > 10_000) return resolve(false);
      setTimeout(tick, 50);
    };
    tick();
  });
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    await fs.rm(dir, { recursive: true, force: true });
  };
  if (!ready) {
    await stop();
    throw new Error(`redis-server did not start on port ${port}: ${output.slice(-500)}`);
  }
  return { url: `redis://:${password}@127.0.0.1:${port}`, port, password, stop };
}
