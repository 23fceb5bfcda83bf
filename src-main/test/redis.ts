import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A private redis-server for a test: 127.0.0.1 on a free port, a temporary folder, no
 * persistence, a password. Debian's redis-server must be installed (.ci/run installs it); a
 * missing one fails the test with that message instead of skipping it.
 *
 * With `tls`, the server listens for TLS only (rediss://) with a certificate for 127.0.0.1 and
 * localhost signed by a throwaway certificate authority made here with openssl; the CA's PEM file
 * (`caFile`) is what a client must trust. Everything lives in the temporary folder `stop` deletes.
 */
export interface TestRedis {
  url: string;
  port: number;
  password: string;
  /** With `tls`: the PEM file of the CA that signed the server's certificate. */
  caFile?: string;
  stop(): Promise<void>;
}

export interface TestRedisOptions {
  password?: string;
  tls?: boolean;
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

function run(bin: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(bin, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout!.on('data', (d) => (out += d));
    p.stderr!.on('data', (d) => (out += d));
    p.on('error', (e) => reject(new Error(`${bin} could not start: ${e.message}`)));
    p.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${bin} ${args.join(' ')} exited ${code}: ${out.slice(-500)}`)),
    );
  });
}

/** A CA and a server certificate (127.0.0.1, localhost) it signed, P-256 keys, valid for a day. */
async function makeTestCertificates(dir: string): Promise<{ ca: string; cert: string; key: string }> {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await run(
    'openssl',
    [
      'req',
      '-x509',
      ...ec,
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '1',
      '-subj',
      '/CN=camtrack test CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  await run('openssl', ['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost'], dir);
  await fs.writeFile(
    path.join(dir, 'server.ext'),
    'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n',
  );
  await run(
    'openssl',
    [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'server.crt',
      '-days',
      '1',
      '-extfile',
      'server.ext',
    ],
    dir,
  );
  return { ca: path.join(dir, 'ca.crt'), cert: path.join(dir, 'server.crt'), key: path.join(dir, 'server.key') };
}

export async function startTestRedis(opts: TestRedisOptions = {}): Promise<TestRedis> {
  const password = opts.password ?? 'farm-test-password';
  const bin = redisServerPath();
  if (!(await fs.stat(bin).catch(() => null)))
    throw new Error(
      `redis-server is needed for the farm tests: ${bin} is missing (Debian: apt-get install redis-server, or set REDIS_SERVER).`,
    );
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-redis-'));
  const port = await freePort();
  const args = [
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'no',
    '--requirepass',
    password,
    '--protected-mode',
    'yes',
  ];
  let caFile: string | undefined;
  if (opts.tls) {
    const certs = await makeTestCertificates(dir).catch(async (e) => {
      await fs.rm(dir, { recursive: true, force: true });
      throw e;
    });
    caFile = certs.ca;
    // TLS only: the plain port is off, clients need no certificate of their own.
    args.push(
      '--port',
      '0',
      '--tls-port',
      String(port),
      '--tls-cert-file',
      certs.cert,
      '--tls-key-file',
      certs.key,
      '--tls-ca-cert-file',
      certs.ca,
      '--tls-auth-clients',
      'no',
    );
  } else {
    args.push('--port', String(port));
  }
  const child: ChildProcess = spawn(bin, args, {
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
    // A redis-server built without TLS says so about the tls-* options ("TLS not supported").
    if (opts.tls && /tls/i.test(output))
      throw new Error(`${bin} does not support TLS (built without it?): ${output.slice(-300)}`);
    throw new Error(`redis-server did not start on port ${port}: ${output.slice(-500)}`);
  }
  return { url: `${opts.tls ? 'rediss' : 'redis'}://:${password}@127.0.0.1:${port}`, port, password, caFile, stop };
}
