import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { systemClock } from '../src/core/clock.ts';
import { InMemoryEventBus } from '../src/core/events.ts';
import type { QueueEvent } from '../src/queue/events.ts';
import { QueueService } from '../src/queue/service.ts';
import { RedisQueueStore } from '../src/storage/queue/redis-store.ts';
import { measure, type Result, table } from './harness.ts';

const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const OPS = Number(process.env.BENCH_OPS ?? 20_000);

const track = (i: number) => ({
  id: `dQw4w9WgX${i}`,
  title: `Never Gonna Give You Up (Official Video) ${i}`,
  artist: 'Rick Astley',
  album: null,
  artworkUrl: `https://i.ytimg.com/vi/dQw4w9WgXcQ/hqdefault.jpg`,
  durationMs: 213_000,
  provider: 'youtube',
  uri: `https://www.youtube.com/watch?v=dQw4w9WgXcQ&i=${i}`,
  metadata: { channel: 'Rick Astley' },
});

const user = (i: number) => (100000000000000000n + BigInt(i)).toString();

async function dropNamespace(redis: Redis, namespace: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${namespace}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

/** Queue add/vote/list through the service on Redis, next to a raw ioredis client doing the same commands. */
export async function benchQueue(): Promise<string> {
  const redis = new Redis(REDIS_URL);
  const namespace = `bench-${randomUUID().slice(0, 8)}`;
  const store = new RedisQueueStore(redis, { namespace, ttlSeconds: 3600, historyLimit: 200 });
  const queue = new QueueService({
    store,
    bus: new InMemoryEventBus<QueueEvent>(),
    clock: systemClock,
    limits: () => ({ maxLength: 1_000_000, maxPerUser: 1_000_000 }),
  });
  const results: Result[] = [];
  let guildCounter = 0;
  const guild = () => user(900_000 + guildCounter++);
  try {
    for (const concurrency of [1, 50]) {
      // add: one guild per run, so vote and list see a queue of OPS items.
      const g = guild();
      results.push(await measure('service add', concurrency, OPS, (i) => queue.add(g, track(i), user(i))));
      const { items } = await queue.list(g, 1, 1);
      const target = items[0]!.id;
      results.push(
        await measure('service vote', concurrency, OPS, (i) =>
          queue.vote(g, target, user(i < 0 ? 5_000_000 - i : i), 1),
        ),
      );
      results.push(await measure('service list (10)', concurrency, OPS, () => queue.list(g, 1, 10)));

      const rg = `{${guild()}}`;
      const k = (name: string) => `${namespace}:raw:${rg}:${name}`;
      results.push(
        await measure('raw add (MULTI INCR, HSET, ZADD)', concurrency, OPS, async (i) => {
          const id = randomUUID();
          await redis
            .multi()
            .incr(k('seq'))
            .hset(k('items'), id, JSON.stringify({ id, track: track(i), requestedBy: user(i) }))
            .zadd(k('queue'), i + 1_000_000, id)
            .exec();
        }),
      );
      results.push(
        await measure('raw vote (HSETNX, ZINCRBY)', concurrency, OPS, async (i) => {
          const fresh = await redis.hsetnx(k('voters'), `x:${i}`, 1);
          if (fresh) await redis.zincrby(k('queue'), -4294967296, 'x');
        }),
      );
      results.push(
        await measure('raw list (ZRANGE, HMGET)', concurrency, OPS, async () => {
          const ids = await redis.zrange(k('queue'), 0, 9);
          if (ids.length) await redis.hmget(k('items'), ...ids);
        }),
      );
    }

    // Memory per queued item: the guild's keys after N adds, divided by N.
    const g = guild();
    const n = 1000;
    for (let i = 0; i < n; i++) await queue.add(g, track(i), user(i % 100));
    let bytes = 0;
    for (const key of store.guildKeys(g)) bytes += Number((await redis.memory('USAGE', key)) ?? 0);
    const itemJson = await redis.hget(store.guildKeys(g)[1]!, (await queue.next(g))!.id);
    return [
      `Queue on Redis (${REDIS_URL}), ${OPS} ops per row:`,
      '',
      table(results),
      '',
      `Redis memory per queued item: ${Math.round(bytes / n)} bytes (MEMORY USAGE of the guild's keys / ${n} items); stored item JSON: ${Buffer.byteLength(itemJson ?? '')} bytes.`,
    ].join('\n');
  } finally {
    await dropNamespace(redis, namespace);
    redis.disconnect();
  }
}
