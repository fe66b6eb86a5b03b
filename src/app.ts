import type { Redis } from 'ioredis';
import type { Config } from './config/index.ts';
import { type Clock, systemClock } from './core/clock.ts';
import { InMemoryEventBus } from './core/events.ts';
import type { Logger } from './core/logger.ts';
import type { QueueEvent } from './queue/events.ts';
import { QueueService } from './queue/service.ts';
import type { QueueStore } from './queue/store.ts';
import { MemoryQueueStore } from './storage/queue/memory-store.ts';
import { createRedis } from './storage/queue/redis-client.ts';
import { RedisQueueStore } from './storage/queue/redis-store.ts';
import { createResilientStore, type QueueStoreHealth } from './storage/queue/resilient-store.ts';

export interface App {
  queue: QueueService;
  queueHealth: () => QueueStoreHealth;
  /** Stops everything the app started, in reverse order. */
  close(): Promise<void>;
}

/**
 * The composition root: the only place where services are constructed and wired together.
 * `src/main.ts` calls it with the parsed config; tests call it with their own.
 */
export async function startApp(config: Config, logger: Logger, clock: Clock = systemClock): Promise<App> {
  const closers: (() => Promise<void> | void)[] = [];

  const memory = new MemoryQueueStore({
    ttlSeconds: config.queue.ttlSeconds,
    historyLimit: config.queue.historyLimit,
    clock,
  });
  let store: QueueStore = memory;
  let queueHealth = (): QueueStoreHealth => ({ backend: 'memory', redis: 'not configured' });
  if (config.redis.url) {
    const redis = createRedis(config.redis.url);
    const primary = new RedisQueueStore(redis, {
      namespace: config.redis.namespace,
      ttlSeconds: config.queue.ttlSeconds,
      historyLimit: config.queue.historyLimit,
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
    closers.push(() => redis.disconnect());
    logger.info({ backend: queueHealth().backend, namespace: config.redis.namespace }, 'queue store: Redis');
  } else {
    logger.info('queue store: in memory (no REDIS_URL); queues are lost when the process stops');
  }

  const queueBus = new InMemoryEventBus<QueueEvent>((err) =>
    logger.error({ err }, 'queue event handler failed'),
  );
  const queue = new QueueService({
    store,
    bus: queueBus,
    clock,
    limits: () => ({ maxLength: config.queue.maxLength, maxPerUser: config.queue.maxPerUser }),
  });

  return {
    queue,
    queueHealth: () => queueHealth(),
    async close() {
      for (const close of closers.reverse()) await close();
    },
  };
}

/** Waits up to `ms` for the first connection; the queue starts in memory if Redis is not there yet. */
function waitForRedis(redis: Redis, ms: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    const ready = () => {
      clearTimeout(timer);
      resolve();
    };
    redis.once('ready', ready);
    // Connection errors before the first ready are expected when Redis is down at start.
    redis.on('error', () => {});
    timer.unref?.();
  });
}
