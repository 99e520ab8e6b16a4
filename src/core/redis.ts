// Connecting to Redis with a short timeout, and turning "cannot connect" into one clear,
// password-free error (the Redis counterpart of src/db/connect.ts).
import { Redis, type RedisOptions } from 'ioredis';

/** How long a first connection may take before the server counts as unreachable. */
export const REDIS_CONNECT_TIMEOUT_MS = 5_000;

/**
 * Redis could not be used at all. The message is one line naming host:port and what to check;
 * it never contains the password.
 */
export class RedisUnreachableError extends Error {
  override readonly name = 'RedisUnreachableError';
}

/** Host and port of a redis:// or rediss:// URL, for messages (never the password). */
export function describeRedisTarget(redisUrl: string): { host: string; port: number; tls: boolean } {
  let url: URL;
  try {
    url = new URL(redisUrl);
  } catch {
    // Not the URL itself in the message: it may hold a password.
    throw new RedisUnreachableError('REDIS_URL is not a valid URL: expected redis://[:PASSWORD@]HOST:PORT[/DB]');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new RedisUnreachableError(`REDIS_URL must start with redis:// or rediss:// (it starts with ${url.protocol}//)`);
  }
  return { host: url.hostname.replace(/^\[(.*)\]$/, '$1') || 'localhost', port: Number(url.port || 6379), tls: url.protocol === 'rediss:' };
}

function unreachable(error: unknown, where: string, timeoutMs: number): RedisUnreachableError {
  const check = 'check that Redis is running there and that REDIS_URL points to it';
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const make = (text: string) => new RedisUnreachableError(text, { cause: error });
  if (code === 'ECONNREFUSED') return make(`${where} refused the connection (nothing listening): ${check}.`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return make(`${where} is unreachable (host name not found): ${check}.`);
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return make(`${where} is unreachable (${code}): ${check}.`);
  if (/NOAUTH|WRONGPASS|invalid password|invalid username-password/i.test(message)) {
    return make(`${where} rejected the login: check the user and password in REDIS_URL.`);
  }
  if (/timeout|timed out/i.test(message)) return make(`${where} did not answer within ${timeoutMs / 1000} s: ${check}.`);
  return make(`${where} could not be used (${message.replace(/redis(s)?:\/\/[^\s]*/g, 'REDIS_URL')}): ${check}.`);
}

/**
 * One connected ioredis client for `redisUrl`, or a RedisUnreachableError. The first connection
 * is tried once (no endless reconnect loop at start-up); once connected, the client reconnects
 * on its own. `options` are passed to ioredis (e.g. `maxRetriesPerRequest: null` for BullMQ).
 */
export async function connectRedis(
  redisUrl: string,
  options: RedisOptions & { onError?: (error: Error) => void } = {},
): Promise<Redis> {
  const target = describeRedisTarget(redisUrl);
  const where = `Redis at ${target.host}:${target.port}`;
  const { onError, ...redisOptions } = options;
  const timeoutMs = redisOptions.connectTimeout ?? REDIS_CONNECT_TIMEOUT_MS;
  let connected = false;
  let firstError: unknown;
  const redis = new Redis(redisUrl, {
    connectTimeout: timeoutMs,
    ...redisOptions,
    lazyConnect: true,
    retryStrategy: (times) => (connected ? Math.min(times * 200, 5_000) : null),
  });
  // Errors while (re)connecting are reported through the handler, never as an unhandled 'error' event.
  redis.on('error', (error: Error) => {
    if (connected) onError?.(error);
    else firstError ??= error;
  });
  try {
    await redis.connect();
    await redis.ping();
    connected = true;
    return redis;
  } catch (error) {
    redis.disconnect();
    // ioredis rejects with "Connection is closed."; the reason came as an 'error' event.
    throw unreachable(firstError ?? error, where, timeoutMs);
  }
}
