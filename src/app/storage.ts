import type { Config } from '../config/index.ts';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import { type DatabaseHandle, openDatabase } from '../storage/db/connection.ts';
import { MemoryQueueStore } from '../storage/queue/memory-store.ts';
import { createRedis, createRedisCluster, type RedisConnection } from '../storage/queue/redis-client.ts';
import { RedisQueueStore } from '../storage/queue/redis-store.ts';
import { createResilientStore, type QueueStoreHealth } from '../storage/queue/resilient-store.ts';
import type { QueueStore } from '../storage/queue/store.ts';

export interface Stores {
  /** Redis with the memory fallback, or memory alone. */
  store: QueueStore;
  queueHealth: () => QueueStoreHealth;
  /** The Redis client when REDIS_URL or REDIS_CLUSTER_NODES is set (locks, pub/sub and the fleet use it too). */
  redis: RedisConnection | null;
  /** PostgreSQL (migrated once `database.ready` resolves) or embedded PGlite (migrated). */
  database: DatabaseHandle;
}

/** Part of the composition root: the queue store and the database, with their closers. */
export async function openStores(
  config: Config,
  logger: Logger,
  clock: Clock,
  closers: (() => Promise<void> | void)[],
): Promise<Stores> {
  const memory = new MemoryQueueStore({
    ttlSeconds: config.queue.ttlSeconds,
    historyLimit: config.queue.historyLimit,
    clock,
  });
  let store: QueueStore = memory;
  let queueHealth = (): QueueStoreHealth => ({ backend: 'memory', redis: 'not configured' });
  let redis: RedisConnection | null = null;
  if (config.redis.url || config.redis.cluster) {
    redis = config.redis.cluster
      ? createRedisCluster(config.redis.cluster)
      : createRedis(config.redis.url as string);
    const client = redis;
    closers.push(() => client.disconnect());
    const primary = new RedisQueueStore(redis, {
      namespace: config.redis.namespace,
      ttlSeconds: config.queue.ttlSeconds,
      historyLimit: config.queue.historyLimit,
      replication: { waitReplicas: config.redis.waitReplicas, waitTimeoutMs: config.redis.waitTimeoutMs },
    });
    await waitForRedis(redis, 2_000);
    const resilient = createResilientStore(
      primary,
      memory,
      redis,
      logger.child({ component: 'queue-store' }),
    );
    store = resilient.store;
    queueHealth = resilient.health;
    logger.info(
      {
        backend: queueHealth().backend,
        namespace: config.redis.namespace,
        cluster: config.redis.cluster ? config.redis.cluster.length : undefined,
      },
      config.redis.cluster ? 'queue store: Redis Cluster' : 'queue store: Redis',
    );
  } else {
    logger.info('queue store: in memory (no REDIS_URL); queues are lost when the process stops');
  }

  // PostgreSQL may come up after us: the handle is returned at once and keeps trying (one log line per
  // attempt); /healthz answers 503 and queries 503 until it is ready (`database.ready`).
  const database = await openDatabase({
    url: config.database.url,
    pgliteDataDir: config.database.pgliteDataDir,
    retry: true,
    logger,
  });
  closers.push(() => database.close());
  return { store, queueHealth: () => queueHealth(), redis, database };
}

/** Waits up to `ms` for the first connection; the queue starts in memory if Redis is not there yet. */
function waitForRedis(redis: RedisConnection, ms: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  // Connection errors before the first ready are expected when Redis is down at start.
  redis.on('error', () => {});
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
