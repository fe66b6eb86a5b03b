import { Cluster, Redis, type RedisOptions } from 'ioredis';

/** A Redis connection of either kind: one server, or a Redis Cluster through ioredis's Cluster client. */
export type RedisConnection = Redis | Cluster;

/**
 * Client options for a Redis that may go away. No offline queue and no per-request retries: while the
 * connection is down a command fails at once (it was never sent), so the queue store can answer from
 * its last known copy instead of hanging. There is deliberately no short command timeout: a command
 * on a live connection that is slow to answer (a busy Redis, or this process's own event loop
 * stalled for a second) is not an outage, and giving up on it would report a failure for a change
 * Redis still makes. The queue store bounds each call itself (resilient-store.ts); the 10 s timeout
 * here is only a last resort for the other users of the client (the mode lock, overlay events).
 */
export const RESILIENT_REDIS_OPTIONS: RedisOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  connectTimeout: 2_000,
  commandTimeout: 10_000,
  autoResubscribe: true,
  retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 4), 1_000),
  reconnectOnError: (err) => /READONLY|LOADING/.test(err.message),
};

export function createRedis(url: string, overrides: RedisOptions = {}): Redis {
  return new Redis(url, { ...RESILIENT_REDIS_OPTIONS, ...overrides });
}

/**
 * A Redis Cluster client (REDIS_CLUSTER_NODES) with the same failure behaviour: each node's connection
 * has the options above, the cluster itself queues nothing while it is not ready, and it follows
 * MOVED/ASK and a replica promoted after a master failed.
 */
export function createRedisCluster(nodes: { host: string; port: number }[]): Cluster {
  return new Cluster(nodes, {
    enableOfflineQueue: false,
    redisOptions: RESILIENT_REDIS_OPTIONS,
    clusterRetryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 4), 1_000),
    // A failover takes the cluster a few seconds; CLUSTERDOWN/TRYAGAIN answers are retried meanwhile.
    retryDelayOnClusterDown: 200,
    retryDelayOnTryAgain: 200,
    retryDelayOnFailover: 200,
    slotsRefreshTimeout: 2_000,
  });
}

/**
 * What a failed command tells about the change it carried:
 * - `not-applied`: Redis never ran it (the connection was down when it was sent, or Redis refused it
 *   while loading or read-only);
 * - `unknown`: it was sent and no answer came (the connection dropped, or the call ran out of time),
 *   so Redis may or may not have run it;
 * - `error`: Redis answered with an error about the command itself (a bug, not an outage).
 */
export type FailureKind = 'not-applied' | 'unknown' | 'error';

export function failureKind(err: unknown): FailureKind {
  if (!(err instanceof Error)) return 'error';
  if (err.name === 'ReplyError') {
    return /^(LOADING|BUSY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|READONLY)\b/.test(err.message)
      ? 'not-applied'
      : 'error';
  }
  if (/Stream isn't writeable|Cluster isn't ready/.test(err.message)) return 'not-applied';
  return 'unknown';
}

/** Errors that mean "Redis is not reachable now" rather than a wrong command. */
export function isUnavailable(err: unknown): boolean {
  return failureKind(err) !== 'error';
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
