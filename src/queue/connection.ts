import { Redis, type RedisOptions } from 'ioredis';
import { ClearcopyError, describeError } from '../errors.js';

/** Where the queue lives when `--redis` is not given. */
export const REDIS_URL_ENV = 'CLEARCOPY_REDIS_URL';

/** The oldest Redis (or Valkey) BullMQ runs on. */
const MINIMUM_REDIS_VERSION = [5, 0, 0] as const;

/** The Redis address from the flag, else from `CLEARCOPY_REDIS_URL`; undefined when neither is set. */
export function redisUrlFrom(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const url = flag ?? env[REDIS_URL_ENV];
  return url && url.trim() ? url.trim() : undefined;
}

/** A Redis address as it may be printed: the password replaced by `***`. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.href;
  } catch {
    return url;
  }
}

/** Connection options for BullMQ from a `redis://` or `rediss://` URL. */
export function redisOptions(url: string): RedisOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ClearcopyError('USAGE', `clearcopy: --redis ${url}: not a URL (expected redis://[user:password@]host:port[/db])`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new ClearcopyError('USAGE', `clearcopy: --redis ${redactRedisUrl(url)}: only redis:// and rediss:// addresses are supported`);
  }
  const db = parsed.pathname.replace(/^\//, '');
  return {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(db ? { db: Number(db) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
    // BullMQ's blocking commands need this; a lost connection is retried for as long as it takes.
    maxRetriesPerRequest: null,
  };
}

/**
 * Checks, before any queue is opened, that Redis answers at `url`, accepts the credentials and is
 * recent enough, within `timeoutMs`: a refused, unreachable or unauthorised server becomes one
 * line naming the address and the reason, never a hang (BullMQ itself retries forever).
 */
export async function checkRedis(url: string, timeoutMs = 5_000): Promise<{ version: string }> {
  const shown = redactRedisUrl(url);
  const client = new Redis({
    ...redisOptions(url),
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // ioredis reports why a connection failed only as an event; the awaited call just says "closed".
  let connectionError: unknown;
  client.on('error', (error) => (connectionError ??= error));
  const fail = (reason: string, cause?: unknown): never => {
    throw new ClearcopyError('QUEUE_UNAVAILABLE', `clearcopy: Redis at ${shown} ${reason}`, { cause });
  };
  try {
    const timer = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs).unref());
    await Promise.race([client.connect().then(() => client.ping()), timer]);
    const info = await Promise.race([client.info('server'), timer]);
    const version = /redis_version:([\d.]+)/.exec(info)?.[1] ?? '0.0.0';
    const parts = version.split('.').map(Number);
    for (let i = 0; i < 3; i++) {
      if ((parts[i] ?? 0) > MINIMUM_REDIS_VERSION[i]!) break;
      if ((parts[i] ?? 0) < MINIMUM_REDIS_VERSION[i]!) fail(`is version ${version}; the queue needs Redis ${MINIMUM_REDIS_VERSION.join('.')} or newer (or Valkey)`);
    }
    return { version };
  } catch (error) {
    if (error instanceof ClearcopyError) throw error;
    const message = describeError(connectionError ?? error);
    if (/NOAUTH|WRONGPASS|invalid password|invalid username/i.test(message)) return fail(`refused the credentials (${message.replace(/^ReplyError: /, '')}); give them as redis://user:password@host:port`, error);
    if (/ECONNREFUSED/.test(message)) return fail('cannot be reached: connection refused (is redis-server running there?)', error);
    if (/ENOTFOUND|EAI_AGAIN/.test(message)) return fail('cannot be reached: unknown host', error);
    return fail(`cannot be reached: ${message}`, error);
  } finally {
    client.disconnect();
  }
}
