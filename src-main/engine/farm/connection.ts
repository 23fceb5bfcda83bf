import { readFileSync } from 'node:fs';
import { rootCertificates as tlsRootCertificates } from 'node:tls';
import { Redis, type RedisOptions } from 'ioredis';
import { CamtrackError } from '../util/errors';

/**
 * The farm's Redis: a URL as studios write it, redis://[user:password@]host:port[/db] or
 * rediss://... for TLS. The URL goes to ioredis as it is (it reads the password, the database and
 * the TLS scheme); here it is only checked, so a typo gets a clear message instead of a hang.
 */
export const FARM_QUEUE = 'camtrack-render';
/** Redis keys of the farm beside BullMQ's own (bull:camtrack-render:*). */
export const farmKeys = {
  worker: (id: string) => `camtrack:farm:worker:${id}`,
  workersPattern: 'camtrack:farm:worker:*',
  cancel: (jobId: string) => `camtrack:farm:cancel:${jobId}`,
};

export function checkRedisUrl(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new CamtrackError(
      'bad-input',
      `The Redis URL "${url}" is not a URL: write redis://[:password@]host:port or rediss://... for TLS.`,
    );
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:')
    throw new CamtrackError(
      'bad-input',
      `The Redis URL must start with redis:// or rediss:// (TLS), not ${u.protocol}//.`,
    );
  if (!u.hostname) throw new CamtrackError('bad-input', `The Redis URL "${url}" names no host.`);
  return u;
}

/** The URL without its password, for logs and status lines. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(invalid URL)';
  }
}

/** How to reach the farm's Redis beyond its URL. */
export interface RedisConnectOptions {
  /**
   * A PEM file of the certificate authority that signed a rediss:// server's certificate, trusted
   * in addition to the system's (a studio's own CA). Default: $CAMTRACK_REDIS_CA. Verification is
   * never turned off: a server whose certificate no trusted CA signed is refused.
   */
  caFile?: string;
}

/** The TLS options for a rediss:// URL (undefined for redis://): the extra CA, when one is given. */
export function redisTlsOptions(url: string, opts: RedisConnectOptions = {}): RedisOptions['tls'] {
  const u = checkRedisUrl(url);
  const caFile = opts.caFile ?? (process.env.CAMTRACK_REDIS_CA || undefined);
  if (u.protocol !== 'rediss:') {
    if (opts.caFile)
      throw new CamtrackError(
        'bad-input',
        `A CA file (${opts.caFile}) only applies to TLS: write the Redis URL as rediss://...`,
      );
    return undefined;
  }
  if (!caFile) return {};
  let ca: string;
  try {
    ca = readFileSync(caFile, 'utf8');
  } catch (e) {
    throw new CamtrackError('not-found', `Cannot read the Redis CA file ${caFile}: ${(e as Error).message}`, {
      cause: e,
    });
  }
  if (!/-----BEGIN CERTIFICATE-----/.test(ca))
    throw new CamtrackError(
      'bad-file',
      `The Redis CA file ${caFile} holds no PEM certificate (-----BEGIN CERTIFICATE-----).`,
    );
  // Node's default roots plus this one: `ca` alone would replace them.
  return { ca: [...tlsRootCertificates, ca] };
}

/**
 * One ioredis connection. BullMQ workers need maxRetriesPerRequest null (their blocking calls must
 * wait through reconnects); for short-lived clients (submit, status) a failed connection should
 * fail the command instead, so they get a bounded retry.
 */
export function connectRedis(
  url: string,
  kind: 'worker' | 'client' = 'client',
  connect: RedisConnectOptions = {},
): Redis {
  const tls = redisTlsOptions(url, connect);
  const options: RedisOptions = {
    ...(kind === 'worker'
      ? { maxRetriesPerRequest: null }
      : {
          maxRetriesPerRequest: 2,
          connectTimeout: 5000,
          retryStrategy: (times: number) => (times > 3 ? null : 200 * times),
        }),
    ...(tls && { tls }),
  };
  const redis = new Redis(url, options);
  // Connection errors reach the caller through the commands that fail (checkConnection names them); without a listener ioredis prints each retry.
  redis.on('error', (e: Error) => lastErrors.set(redis, e));
  return redis;
}

/** The latest connection error of each client: a refused TLS certificate shows only there, the command itself just fails. */
const lastErrors = new WeakMap<Redis, Error>();
const CHECK_TIMEOUT_MS = 10_000;

/** Waits until the connection answers (PING), or fails with a message naming the URL (password hidden). */
export async function checkConnection(redis: Redis, url: string): Promise<void> {
  try {
    // A worker's connection retries for ever (its commands wait through reconnects): bound the first contact.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS / 1000} s`)), CHECK_TIMEOUT_MS);
    });
    await Promise.race([redis.ping(), timeout]).finally(() => clearTimeout(timer));
  } catch (e) {
    const last = lastErrors.get(redis);
    const msg =
      last && last.message !== (e as Error).message
        ? `${(e as Error).message} (${last.message})`
        : (e as Error).message;
    const auth = /NOAUTH|WRONGPASS|invalid password/i.test(msg);
    throw new CamtrackError(
      auth ? 'permission' : 'not-found',
      auth
        ? `Redis at ${redactRedisUrl(url)} refused the password: ${msg}`
        : `Cannot reach Redis at ${redactRedisUrl(url)}: ${msg}`,
      { cause: e },
    );
  }
}
