import type { Redis } from 'ioredis';
import type { Logger } from '../../core/logger.ts';
import { isUnavailable } from './redis-client.ts';
import type { QueueStore } from './store.ts';

/** Every QueueStore method; `satisfies` makes the compiler flag one that is missing. */
const STORE_METHODS = {
  add: true,
  vote: true,
  unvote: true,
  list: true,
  get: true,
  remove: true,
  clear: true,
  move: true,
  shuffle: true,
  start: true,
  finish: true,
  history: true,
  stats: true,
  voteOf: true,
  linkMessage: true,
  itemForMessage: true,
  savePlayback: true,
  playbackSnapshots: true,
  saveDevicePlayback: true,
  devicePlaybacks: true,
} satisfies Record<keyof QueueStore, true>;

export type QueueBackend = 'redis' | 'memory';

export interface QueueStoreHealth {
  backend: QueueBackend;
  redis: 'up' | 'down' | 'not configured';
}

/**
 * Redis first, memory while Redis is unreachable. The switch to memory happens on the first command
 * that fails for lack of Redis (that command is then served from memory, so no request fails); the
 * switch back happens as soon as the client reports `ready` again. What was written to memory during
 * an outage stays in this instance's memory: it is not copied back (README, "Redis outages").
 */
export function createResilientStore(
  primary: QueueStore,
  fallback: QueueStore,
  redis: Redis,
  logger: Logger,
): { store: QueueStore; health: () => QueueStoreHealth } {
  let backend: QueueBackend = redis.status === 'ready' ? 'redis' : 'memory';
  if (backend === 'memory') logger.warn('Redis is not reachable yet: the queue starts in memory');

  const toMemory = (err: unknown) => {
    if (backend === 'memory') return;
    backend = 'memory';
    logger.warn(
      { err: err instanceof Error ? err.message : String(err) },
      'Redis is unreachable: the queue continues in memory until it is back',
    );
  };
  redis.on('ready', () => {
    if (backend === 'redis') return;
    backend = 'redis';
    logger.info('Redis is back: the queue is in Redis again');
  });
  redis.on('end', () => toMemory(new Error('connection ended')));
  // Reconnection attempts fail while Redis is down; the switch above is what matters, so log quietly.
  redis.on('error', (err: Error) => logger.debug({ err: err.message }, 'Redis connection error'));

  const wrap =
    (name: keyof QueueStore) =>
    async (...args: unknown[]): Promise<unknown> => {
      const call = (store: QueueStore) => (store[name] as (...a: unknown[]) => Promise<unknown>)(...args);
      if (backend === 'memory' && redis.status !== 'ready') return call(fallback);
      if (backend === 'memory') {
        backend = 'redis';
        logger.info('Redis is back: the queue is in Redis again');
      }
      try {
        return await call(primary);
      } catch (err) {
        if (!isUnavailable(err)) throw err;
        toMemory(err);
        return call(fallback);
      }
    };

  const store = Object.fromEntries(
    Object.keys(STORE_METHODS).map((m) => [m, wrap(m as keyof QueueStore)]),
  ) as unknown as QueueStore;
  const health = (): QueueStoreHealth => ({
    backend,
    redis: redis.status === 'ready' && backend === 'redis' ? 'up' : 'down',
  });
  return { store, health };
}
