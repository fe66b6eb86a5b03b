import { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import { isUserError, type UserError } from '../../../src/core/errors.ts';
import { InMemoryEventBus } from '../../../src/core/events.ts';
import { QueueService } from '../../../src/queue/service.ts';
import { MemoryQueueStore } from '../../../src/storage/queue/memory-store.ts';
import { createRedis } from '../../../src/storage/queue/redis-client.ts';
import { RedisQueueStore } from '../../../src/storage/queue/redis-store.ts';
import {
  createResilientStore,
  type ResilientStoreOptions,
} from '../../../src/storage/queue/resilient-store.ts';
import { captureLogger } from '../../support/logs.ts';
import { TestRedisServer } from '../../support/redis-server.ts';
import { snowflake, track } from '../../support/tracks.ts';

const G = snowflake(1);
const OTHER_GUILD = snowflake(77);
const DJ = snowflake(2);
const NS = 'music_queue';
const voter = (n: number) => snowflake(1000 + n);

/** Resolves on the next 'ready' (events.once would reject on the connection errors before it). */
function untilReady(client: Redis): Promise<void> {
  return new Promise((resolve) => client.once('ready', () => resolve()));
}
function untilClosed(client: Redis): Promise<void> {
  return new Promise((resolve) => client.once('close', () => resolve()));
}

/** What a request ended with: its value, or the UserError code it was refused with. */
async function outcome<T>(p: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: UserError }> {
  try {
    return { ok: true, value: await p };
  } catch (err) {
    if (!isUserError(err)) throw err;
    return { ok: false, error: err };
  }
}

describe('queue store: Redis stalls and outages, answered truthfully', () => {
  let server: TestRedisServer;
  let client: Redis;
  let peek: Redis;
  let parts: ReturnType<typeof build>;

  function build(options: ResilientStoreOptions = {}) {
    const { logger, lines } = captureLogger();
    const memory = new MemoryQueueStore({ ttlSeconds: 3600, historyLimit: 10, clock: new ManualClock() });
    const primary = new RedisQueueStore(client, { namespace: NS, ttlSeconds: 3600, historyLimit: 10 });
    const resilient = createResilientStore(primary, memory, client, logger, options);
    const queue = new QueueService({
      store: resilient.store,
      bus: new InMemoryEventBus(),
      clock: new ManualClock(),
      limits: () => ({ maxLength: 500, maxPerUser: 500 }),
    });
    return { ...resilient, queue, lines };
  }
  const tally = async (itemId: string) => Number(await peek.hget(`${NS}:{${G}}:votes`, itemId));
  const queuedIds = async (guildId = G) => peek.zrange(`${NS}:{${guildId}}:queue`, 0, -1);

  async function setUp(options: ResilientStoreOptions & { persistent?: boolean } = {}) {
    server = await TestRedisServer.start({ persistent: options.persistent ?? false });
    client = createRedis(server.url);
    await untilReady(client);
    peek = new Redis(server.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    parts = build(options);
  }
  afterEach(async () => {
    server.resume();
    client.disconnect();
    peek.disconnect();
    await server.stop();
  });

  describe('a stalled Redis (SIGSTOP) on a live connection', () => {
    it('counts every vote answered during a 2.5 s stall, and answers none of them 404', async () => {
      // A deadline well past the stall (the default is 5 s), so that a loaded machine cannot turn a
      // slow answer into a 503; the 503 path has its own test below.
      await setUp({ deadlineMs: 15_000 });
      const { item } = await parts.queue.add(G, track(), DJ);
      server.pause();
      const votes = Array.from({ length: 50 }, (_, n) => outcome(parts.queue.vote(G, item.id, voter(n), 1)));
      await new Promise((r) => setTimeout(r, 2_500));
      server.resume();
      const results = await Promise.all(votes);

      const refused = results.flatMap((r) => (r.ok ? [] : [r.error.code]));
      expect(refused).not.toContain('ITEM_NOT_FOUND');
      const acknowledged = results.filter((r) => r.ok).length;
      expect(await tally(item.id)).toBe(acknowledged);
      expect(acknowledged).toBe(50); // the stall was waited out
      expect(parts.health()).toEqual({ backend: 'redis', redis: 'up' });
    });

    it('answers 503 "try again" when the stall outlasts the deadline, and the retries count each vote once', async () => {
      await setUp({ deadlineMs: 300 });
      const { item } = await parts.queue.add(G, track(), DJ);
      server.pause();
      const first = await Promise.all(
        Array.from({ length: 50 }, (_, n) => outcome(parts.queue.vote(G, item.id, voter(n), 1))),
      );
      for (const r of first) {
        expect(r.ok).toBe(false);
        if (!r.ok) {
          expect(r.error.code).toBe('UNAVAILABLE');
          expect(r.error.status).toBe(503);
          expect(r.error.details).toMatchObject({ retry_after_seconds: 5, reason: 'redis_no_answer' });
        }
      }
      expect(parts.health().backend).toBe('redis'); // slow is not down: no switch anywhere
      server.resume();

      // Each member tries again until answered; their first vote may have landed meanwhile.
      const retried = await Promise.all(
        Array.from({ length: 50 }, async (_, n) => {
          for (let attempt = 0; attempt < 50; attempt++) {
            const r = await outcome(parts.queue.vote(G, item.id, voter(n), 1));
            if (r.ok || r.error.code !== 'UNAVAILABLE') return r;
          }
          throw new Error('never answered');
        }),
      );
      const codes = retried.flatMap((r) => (r.ok ? [] : [r.error.code]));
      expect(codes).toEqual([]); // no ALREADY_VOTED for their own earlier vote
      expect(await tally(item.id)).toBe(50);
      // The same vote again later is a real second vote, refused as ever.
      const again = await outcome(parts.queue.vote(G, item.id, voter(0), 1));
      expect(again.ok ? null : again.error.code).toBe('ALREADY_VOTED');
    });

    it('does not queue a song twice when an add that got no answer is retried', async () => {
      await setUp({ deadlineMs: 300 });
      const song = track();
      server.pause();
      const first = await outcome(parts.queue.add(G, song, DJ));
      expect(first.ok ? null : first.error.code).toBe('UNAVAILABLE');
      server.resume();
      let retry = await outcome(parts.queue.add(G, song, DJ));
      while (!retry.ok && retry.error.code === 'UNAVAILABLE')
        retry = await outcome(parts.queue.add(G, song, DJ));
      expect(retry.ok).toBe(true);
      expect(await queuedIds()).toHaveLength(1);
      if (retry.ok) expect(await queuedIds()).toEqual([retry.value.item.id]);
    });
  });

  describe('a stalled event loop (issue #16) with Redis healthy', () => {
    for (const deadlineMs of [undefined, 1_000]) {
      it(`does not fail over while commands are in flight during a 2 s busy loop (deadline ${deadlineMs ?? 'default'})`, async () => {
        await setUp(deadlineMs === undefined ? {} : { deadlineMs });
        const { item } = await parts.queue.add(G, track(), DJ);
        await parts.queue.list(G);
        const store = parts.store;
        // Sent now (ioredis writes at once on a ready connection), answered while the loop is blocked.
        const inFlight = [
          ...Array.from({ length: 50 }, (_, n) => outcome(store.vote(G, item.id, voter(n), 1))),
          ...Array.from({ length: 10 }, () => outcome(parts.queue.add(G, track(), DJ))),
          outcome(store.list(G, 0, 100)),
        ];
        const until = Date.now() + 2_000;
        while (Date.now() < until) {
          // busy: nothing else runs on this thread
        }
        const results = await Promise.all(inFlight);
        expect(results.filter((r) => !r.ok).map((r) => (r.ok ? null : r.error.message))).toEqual([]);
        expect(await tally(item.id)).toBe(50);
        expect(await queuedIds()).toHaveLength(11);
        expect(parts.health()).toEqual({ backend: 'redis', redis: 'up' });
        expect(parts.lines().filter((l) => l.level >= 40)).toEqual([]);
        // Reads come from Redis, not from a fork: a change made by another client is seen at once.
        await peek.del(`${NS}:{${G}}:queue`);
        expect((await parts.queue.list(G)).total).toBe(0);
      });
    }
  });

  describe('a Redis that is down (killed) and comes back', () => {
    it('serves known queues and votes from the last known copy, refuses other changes with 503, and replays the votes exactly once', async () => {
      await setUp({ persistent: true });
      const a = await parts.queue.add(G, track({ title: 'A' }), DJ);
      const b = await parts.queue.add(G, track({ title: 'B' }), DJ);
      await parts.queue.vote(G, b.item.id, voter(1), 1); // B moves ahead of A
      await parts.queue.list(G);
      await parts.settled(); // the local copy has caught up with Redis

      const closed = untilClosed(client);
      await server.stop();
      await closed;
      expect(parts.health()).toMatchObject({ backend: 'last-known', redis: 'down' });
      await vi.waitFor(() =>
        expect(parts.lines().some((l) => l.level === 40 && l.msg.includes('Redis connection lost'))).toBe(
          true,
        ),
      );

      // Reads of the known guild: the last known state, not an empty queue.
      const during = await parts.queue.list(G);
      expect(during.items.map((i) => i.track.title)).toEqual(['B', 'A']);
      expect((await parts.queue.get(G, a.item.id)).votes).toBe(0);
      // Votes on known items keep working, and move items as they would on Redis.
      const vote = await parts.queue.vote(G, a.item.id, voter(2), 1);
      expect(vote).toMatchObject({ votes: 1 });
      await parts.queue.vote(G, a.item.id, voter(3), 1);
      await parts.queue.vote(G, a.item.id, voter(3), -1); // changed their mind: one entry, the last choice
      await parts.queue.vote(G, a.item.id, voter(4), 1);
      const switched = await outcome(parts.queue.vote(G, a.item.id, voter(2), 1));
      expect(switched.ok ? null : switched.error.code).toBe('ALREADY_VOTED');
      expect(parts.health().pending_votes).toBe(3);
      // A vote on an item the copy does not know is not a definite 404: only Redis could tell.
      const unknownItem = await outcome(
        parts.queue.vote(G, '6f1d3c1e-8a57-4d0e-9a55-0d6f2b1c9e01', voter(5), 1),
      );
      expect(unknownItem.ok ? null : unknownItem.error.code).toBe('UNAVAILABLE');
      // Every other change is refused, never acknowledged into a copy that would be lost.
      for (const refused of [
        outcome(parts.queue.add(G, track({ title: 'During' }), DJ)),
        outcome(parts.queue.remove(G, a.item.id)),
        outcome(parts.queue.clear(G)),
        outcome(parts.queue.markPlaying(G)),
      ]) {
        const r = await refused;
        expect(r.ok ? null : r.error.code).toBe('UNAVAILABLE');
        if (!r.ok)
          expect(r.error.details).toMatchObject({ retry_after_seconds: 5, reason: 'redis_unreachable' });
      }
      // A guild this instance never read is not known here: 503, not an empty queue.
      const unknown = await outcome(parts.queue.list(OTHER_GUILD));
      expect(unknown.ok ? null : unknown.error.code).toBe('UNAVAILABLE');

      await server.start();
      await vi.waitFor(() => expect(parts.health()).toEqual({ backend: 'redis', redis: 'up' }), {
        timeout: 20_000,
        interval: 50,
      });
      expect(parts.lines().some((l) => l.msg.includes('Redis is back') && l.votes_replayed === 3)).toBe(true);

      // Everything acknowledged is in Redis, each vote exactly once; nothing refused was applied.
      const titles = (await parts.queue.list(G)).items.map((i) => i.track.title);
      expect(await tally(a.item.id)).toBe(1); // voters 2 and 4 up, voter 3 down
      expect(await tally(b.item.id)).toBe(1);
      expect(titles).toEqual(['A', 'B']); // a tie: first come, first served
      expect(await peek.hget(`${NS}:{${G}}:voters`, `${a.item.id}:${voter(2)}`)).toBe('1');
      expect(await peek.hget(`${NS}:{${G}}:voters`, `${a.item.id}:${voter(3)}`)).toBe('-1');
      expect(titles).not.toContain('During');
      const replayedAgain = await outcome(parts.queue.vote(G, a.item.id, voter(2), 1));
      expect(replayedAgain.ok ? null : replayedAgain.error.code).toBe('ALREADY_VOTED');
      // And the queue takes changes again.
      await parts.queue.add(G, track({ title: 'After' }), DJ);
      expect((await parts.queue.list(G)).total).toBe(3);
    });

    it('starts answering 503 when Redis is down at start, and serves from Redis once it appears', async () => {
      await setUp();
      client.disconnect();
      await server.stop();
      client = createRedis(server.url);
      client.on('error', () => {});
      parts = build();
      const r = await outcome(parts.queue.list(G));
      expect(r.ok ? null : r.error.code).toBe('UNAVAILABLE');
      expect(parts.health()).toEqual({ backend: 'last-known', redis: 'down' });
      const ready = untilReady(client);
      await server.start();
      await ready;
      await vi.waitFor(() => expect(parts.health()).toEqual({ backend: 'redis', redis: 'up' }));
      const { item } = await parts.queue.add(G, track(), DJ);
      expect(await queuedIds()).toEqual([item.id]);
    });
  });
});
