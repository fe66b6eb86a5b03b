import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import { InMemoryEventBus } from '../../../src/core/events.ts';
import { QueueService } from '../../../src/queue/service.ts';
import { MemoryQueueStore } from '../../../src/storage/queue/memory-store.ts';
import { createRedis } from '../../../src/storage/queue/redis-client.ts';
import { RedisQueueStore } from '../../../src/storage/queue/redis-store.ts';
import { createResilientStore } from '../../../src/storage/queue/resilient-store.ts';
import { captureLogger } from '../../support/logs.ts';
import { TestRedisServer } from '../../support/redis-server.ts';
import { snowflake, track } from '../../support/tracks.ts';

const G = snowflake(1);

/** Resolves on the next 'ready' (events.once would reject on the connection errors before it). */
function untilReady(client: Redis): Promise<void> {
  return new Promise((resolve) => client.once('ready', () => resolve()));
}
const USER = snowflake(2);

describe('queue fallback when Redis goes away and comes back', () => {
  let server: TestRedisServer;
  beforeAll(async () => {
    server = await TestRedisServer.start();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('serves from memory on the first failed command, logs it, and returns to Redis once it is back (empty)', async () => {
    const client = createRedis(server.url);
    await untilReady(client);
    const { logger, lines } = captureLogger();
    const memory = new MemoryQueueStore({ ttlSeconds: 3600, historyLimit: 10, clock: new ManualClock() });
    const primary = new RedisQueueStore(client, {
      namespace: 'music_queue',
      ttlSeconds: 3600,
      historyLimit: 10,
    });
    const { store, health } = createResilientStore(primary, memory, client, logger);
    const queue = new QueueService({
      store,
      bus: new InMemoryEventBus(),
      clock: new ManualClock(),
      limits: () => ({ maxLength: 100, maxPerUser: 100 }),
    });
    const peek = new Redis(server.url);
    try {
      await queue.add(G, track({ title: 'Before the outage' }), USER);
      expect(await peek.zcard(`music_queue:{${G}}:queue`)).toBe(1);
      expect(health()).toEqual({ backend: 'redis', redis: 'up' });
      peek.disconnect();

      await server.stop();
      const during = await queue.add(G, track({ title: 'During the outage' }), USER);
      expect(during.position).toBe(1); // memory knows only what was written to it
      expect(health()).toEqual({ backend: 'memory', redis: 'down' });
      const warning = lines().find((l) => l.msg.includes('Redis is unreachable'));
      expect(warning?.level).toBeGreaterThanOrEqual(30);
      const list = await queue.list(G);
      expect(list.items.map((i) => i.track.title)).toEqual(['During the outage']);

      const ready = untilReady(client);
      await server.start();
      await ready;
      const after = await queue.add(G, track({ title: 'After the outage' }), USER);
      expect(after.position).toBe(1); // a Redis that came back empty: no counter or script assumed
      expect(health()).toEqual({ backend: 'redis', redis: 'up' });
      const check = new Redis(server.url);
      expect(await check.zcard(`music_queue:{${G}}:queue`)).toBe(1);
      check.disconnect();
      expect(lines().some((l) => l.msg.includes('Redis is back'))).toBe(true);
      await queue.vote(G, after.item.id, snowflake(9), 1);
      expect((await queue.get(G, after.item.id)).votes).toBe(1);
    } finally {
      peek.disconnect();
      client.disconnect();
    }
  });

  it('starts in memory when Redis is down at start, then moves to Redis when it appears', async () => {
    await server.stop();
    const client = createRedis(server.url);
    const { logger } = captureLogger();
    const memory = new MemoryQueueStore({ ttlSeconds: 3600, historyLimit: 10, clock: new ManualClock() });
    const primary = new RedisQueueStore(client, {
      namespace: 'music_queue',
      ttlSeconds: 3600,
      historyLimit: 10,
    });
    const { store, health } = createResilientStore(primary, memory, client, logger);
    try {
      const item = {
        id: '6f1d3c1e-8a57-4d0e-9a55-0d6f2b1c9e01',
        guildId: G,
        track: { ...track(), artist: null, album: null, artworkUrl: null, durationMs: null, metadata: {} },
        requestedBy: USER,
        requestedAt: new Date().toISOString(),
      };
      expect((await store.add(G, item as never, { maxLength: 10, maxPerUser: 10 })).ok).toBe(true);
      expect(health().backend).toBe('memory');
      const ready = untilReady(client);
      await server.start();
      await ready;
      await store.list(G, 0, 10);
      expect(health()).toEqual({ backend: 'redis', redis: 'up' });
    } finally {
      client.disconnect();
    }
  });
});
