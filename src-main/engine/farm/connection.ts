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
    throw new CamtrackError('bad-input', `The Redis URL "${url}" is not a URL: write redis://[:password@]host:port or rediss://... for TLS.`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new CamtrackError('bad-input', `The Redis URL must start with redis:// or rediss:// (TLS), not ${u.protocol}//.`);
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

/**
 * One ioredis connection. BullMQ workers need maxRetriesPerRequest null (their blocking calls must
 * wait through reconnects); for short-lived clients (submit, status) a failed connection should
 * fail the command instead, so they get a bounded retry.
 */
export function connectRedis(url: string, kind: 'worker' | 'client' = 'client'): Redis {
  checkRedisUrl(url);
  const options: RedisOptions =
    kind === 'worker'
      ? { maxRetriesPerRequest: null }
      : { maxRetriesPerRequest: 2, connectTimeout: 5000, retryStrategy: (times) => (times > 3 ? null : 200 * times) };
  const redis = new Redis(url, options);
  // Connection errors reach the caller through the commands that fail (checkConnection names them); without a listener ioredis prints each retry.
  redis.on('error', () => {});
  return redis;
}

/** Waits until the connection answers (PING), or fails with a message naming the URL (password hidden). */
export async function checkConnection(redis: Redis, url: string): Promise<void> {
  try {
    await redis.ping();
  } catch (e) {
    const msg = (e as Error).message;
    const auth = /NOAUTH|WRONGPASS|invalid password/i.test(msg);
    throw new CamtrackError(
      auth ? 'permission' : 'not-found',
      auth ? `Redis at ${redactRedisUrl(url)} refused the password: ${msg}` : `Cannot reach Redis at ${redactRedisUrl(url)}: ${msg}`,
      { cause: e },
    );
  }
}
