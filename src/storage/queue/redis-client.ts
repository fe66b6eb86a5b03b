import { type Cluster, Redis, type RedisOptions } from 'ioredis';

/** A Redis connection of either kind: one server, or a Redis Cluster through ioredis's Cluster client. */
export type RedisConnection = Redis | Cluster;

/**
 * Client options for a Redis that may go away. ioredis's defaults (an offline queue and 20 retries
 * per request) make every call hang for seconds while Redis is down; with these a dead Redis fails
 * the first command at once, so the queue can switch to memory, and the client keeps reconnecting
 * in the background so that the switch back happens within a couple of seconds.
 */
export const RESILIENT_REDIS_OPTIONS: RedisOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  connectTimeout: 2_000,
  commandTimeout: 1_000,
  autoResubscribe: true,
  retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 4), 1_000),
  reconnectOnError: (err) => /READONLY|LOADING/.test(err.message),
};

export function createRedis(url: string, overrides: RedisOptions = {}): Redis {
  return new Redis(url, { ...RESILIENT_REDIS_OPTIONS, ...overrides });
}

/** Errors that mean "Redis is not reachable now" rather than a wrong command. */
export function isUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === 'ReplyError')
    return /^(LOADING|BUSY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|READONLY)\b/.test(err.message);
  return true;
}

/**
 * Resolves once a connection is ready. A subscriber must wait for it: ioredis runs its ready check
 * (INFO) after connecting, and an SSUBSCRIBE sent before it puts the connection in subscriber mode,
 * where that INFO is refused and the connection dropped.
 */
export function whenConnected(redis: RedisConnection): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => redis.once('ready', () => resolve()));
}
