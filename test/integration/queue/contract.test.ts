import type { Redis } from 'ioredis';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import { newId } from '../../../src/core/ids.ts';
import type { StoredItem } from '../../../src/core/track.ts';
import { trackSchema } from '../../../src/core/track.ts';
import { MemoryQueueStore } from '../../../src/storage/queue/memory-store.ts';
import { RedisQueueStore } from '../../../src/storage/queue/redis-store.ts';
import type { AddLimits, QueueStore } from '../../../src/storage/queue/store.ts';
import { dropNamespace, rawRedis, uniqueNamespace } from '../../support/redis.ts';
import { TestRedisCluster } from '../../support/redis-cluster.ts';
import { snowflake, track } from '../../support/tracks.ts';

const G = snowflake(1);
const OTHER = snowflake(2);
const LIMITS: AddLimits = { maxLength: 500, maxPerUser: 100 };
const TTL = 3600;
const NOW = '2026-01-01T00:00:00.000Z';

interface Harness {
  store: QueueStore;
  /** Seconds each of the guild's keys has left, or null where the store has no keys. */
  ttls(guildId: string): Promise<number[] | null>;
  /** Lets the store's expiry pass (memory) or checks it is set (Redis). */
  expire?(seconds: number): void;
}

const redis: Redis = rawRedis();
const namespaces: string[] = [];
// A real three-master Redis Cluster (one replica each): the same contract holds on it.
const cluster = await TestRedisCluster.start(3, 1);
const clusterClient = cluster.client();
afterAll(async () => {
  for (const ns of namespaces) await dropNamespace(redis, ns);
  redis.disconnect();
  clusterClient.disconnect();
  await cluster.stop();
});

const kinds: [string, () => Harness][] = [
  [
    'redis',
    () => {
      const namespace = uniqueNamespace();
      namespaces.push(namespace);
      const store = new RedisQueueStore(redis, { namespace, ttlSeconds: TTL, historyLimit: 5 });
      return {
        store,
        ttls: async (g) => {
          const keys = store.guildKeys(g);
          const ttls = await Promise.all(keys.map((k) => redis.ttl(k)));
          return ttls.filter((t) => t !== -2);
        },
      };
    },
  ],
  [
    'redis-cluster',
    () => {
      const store = new RedisQueueStore(clusterClient, {
        namespace: uniqueNamespace(),
        ttlSeconds: TTL,
        historyLimit: 5,
      });
      return {
        store,
        ttls: async (g) => {
          const ttls = await Promise.all(store.guildKeys(g).map((k) => clusterClient.ttl(k)));
          return ttls.filter((t) => t !== -2);
        },
      };
    },
  ],
  [
    'memory',
    () => {
      const clock = new ManualClock();
      return {
        store: new MemoryQueueStore({ ttlSeconds: TTL, historyLimit: 5, clock }),
        ttls: async () => null,
        expire: (s) => clock.advance(s * 1000),
      };
    },
  ],
];

function item(user = snowflake(100), overrides = {}): StoredItem {
  return {
    id: newId(),
    guildId: G,
    track: trackSchema.parse(track(overrides)),
    requestedBy: user,
    requestedAt: NOW,
  };
}

describe.each(kinds)('QueueStore contract: %s', (_kind, make) => {
  let h: Harness;
  let store: QueueStore;
  beforeEach(() => {
    h = make();
    store = h.store;
  });

  async function addMany(n: number, guildId = G): Promise<StoredItem[]> {
    const out: StoredItem[] = [];
    for (let i = 0; i < n; i++) {
      const it = { ...item(snowflake(100 + i)), guildId };
      const res = await store.add(guildId, it, LIMITS);
      expect(res.ok).toBe(true);
      out.push(it);
    }
    return out;
  }

  async function order(guildId = G): Promise<string[]> {
    return (await store.list(guildId, 0, 1000)).items.map((i) => i.id);
  }

  describe('adding and listing', () => {
    it('gives 1-based positions in the order items were added', async () => {
      const positions = [];
      for (let i = 0; i < 3; i++) {
        const res = await store.add(G, item(), LIMITS);
        positions.push(res.ok ? res.position : -1);
      }
      expect(positions).toEqual([1, 2, 3]);
    });

    it('lists queued items with their stored fields, votes, status and position', async () => {
      const [a] = await addMany(1);
      const listing = await store.list(G, 0, 10);
      expect(listing.total).toBe(1);
      expect(listing.playing).toBeNull();
      expect(listing.items[0]).toEqual({
        ...a,
        votes: 0,
        status: 'queued',
        position: 1,
        startedAt: null,
        endedAt: null,
      });
    });

    it('pages with offset and limit and numbers positions across pages', async () => {
      const items = await addMany(5);
      const page = await store.list(G, 2, 2);
      expect(page.items.map((i) => [i.id, i.position])).toEqual([
        [items[2]!.id, 3],
        [items[3]!.id, 4],
      ]);
      expect(page.total).toBe(5);
    });

    it('refuses an add when the queue is full and stores nothing', async () => {
      await addMany(3);
      const res = await store.add(G, item(), { maxLength: 3, maxPerUser: 100 });
      expect(res).toEqual({ ok: false, reason: 'QUEUE_FULL' });
      expect((await store.list(G, 0, 10)).total).toBe(3);
    });

    it('refuses a user over the per-user limit, and lets them add again once one of theirs leaves the queue', async () => {
      const user = snowflake(7);
      const limits = { maxLength: 100, maxPerUser: 2 };
      const first = item(user);
      await store.add(G, first, limits);
      await store.add(G, item(user), limits);
      expect(await store.add(G, item(user), limits)).toEqual({ ok: false, reason: 'USER_QUEUE_LIMIT' });
      expect((await store.add(G, item(snowflake(8)), limits)).ok).toBe(true);
      await store.remove(G, first.id);
      expect((await store.add(G, item(user), limits)).ok).toBe(true);
      await store.start(G, null, NOW); // the user's oldest item starts playing: no longer queued
      expect((await store.add(G, item(user), limits)).ok).toBe(true);
    });

    it('keeps guilds apart', async () => {
      await addMany(2, G);
      await addMany(1, OTHER);
      expect((await store.list(G, 0, 10)).total).toBe(2);
      expect((await store.list(OTHER, 0, 10)).total).toBe(1);
      await store.clear(G);
      expect((await store.list(OTHER, 0, 10)).total).toBe(1);
    });
  });

  describe('voting', () => {
    it('moves an up-voted item ahead and reports old and new positions', async () => {
      const [a, b, c] = await addMany(3);
      const res = await store.vote(G, c!.id, snowflake(1), 1);
      expect(res).toEqual({
        ok: true,
        votes: 1,
        previousPosition: 3,
        position: 1,
        item: { ...c!, votes: 1, status: 'queued', position: 1, startedAt: null, endedAt: null },
      });
      expect(await order()).toEqual([c!.id, a!.id, b!.id]);
    });

    it('keeps first-come first-served order between items with equal votes', async () => {
      const [a, b, c, d] = await addMany(4);
      await store.vote(G, d!.id, snowflake(1), 1);
      await store.vote(G, b!.id, snowflake(1), 1);
      await store.vote(G, a!.id, snowflake(2), -1);
      expect(await order()).toEqual([b!.id, d!.id, c!.id, a!.id]);
    });

    it('ignores a repeated vote and says so', async () => {
      const [a] = await addMany(1);
      await store.vote(G, a!.id, snowflake(1), 1);
      expect(await store.vote(G, a!.id, snowflake(1), 1)).toEqual({
        ok: false,
        reason: 'ALREADY_VOTED',
        votes: 1,
        position: 1,
      });
      expect((await store.get(G, a!.id))?.votes).toBe(1);
    });

    it('switches a vote the other way for a net change of two', async () => {
      const [a, b] = await addMany(2);
      await store.vote(G, b!.id, snowflake(1), 1);
      const res = await store.vote(G, b!.id, snowflake(1), -1);
      expect(res).toMatchObject({ ok: true, votes: -1, previousPosition: 1, position: 2 });
      expect(await order()).toEqual([a!.id, b!.id]);
      expect(await store.voteOf(G, b!.id, snowflake(1))).toBe(-1);
    });

    it('withdraws a vote, and refuses to withdraw one never cast', async () => {
      const [a, b] = await addMany(2);
      await store.vote(G, b!.id, snowflake(1), 1);
      expect(await store.unvote(G, b!.id, snowflake(1))).toMatchObject({ ok: true, votes: 0, position: 2 });
      expect(await order()).toEqual([a!.id, b!.id]);
      expect(await store.unvote(G, b!.id, snowflake(1))).toEqual({ ok: false, reason: 'NOT_VOTED' });
      expect(await store.voteOf(G, b!.id, snowflake(1))).toBe(0);
    });

    it('refuses votes on unknown items and on the playing item', async () => {
      const [a] = await addMany(1);
      expect(await store.vote(G, newId(), snowflake(1), 1)).toEqual({ ok: false, reason: 'ITEM_NOT_FOUND' });
      await store.start(G, a!.id, NOW);
      expect(await store.vote(G, a!.id, snowflake(1), 1)).toEqual({ ok: false, reason: 'ITEM_NOT_FOUND' });
    });

    it('counts many distinct voters exactly', async () => {
      const [a, b] = await addMany(2);
      await Promise.all(Array.from({ length: 200 }, (_, i) => store.vote(G, b!.id, snowflake(1000 + i), 1)));
      await Promise.all(Array.from({ length: 50 }, (_, i) => store.vote(G, b!.id, snowflake(1000 + i), 1)));
      expect((await store.get(G, b!.id))?.votes).toBe(200);
      expect(await order()).toEqual([b!.id, a!.id]);
    });
  });

  describe('fair order', () => {
    const FAIR: AddLimits = { ...LIMITS, order: 'fair' };
    const [alice, bob, carol] = [snowflake(21), snowflake(22), snowflake(23)];

    async function addAs(user: string, limits = FAIR): Promise<StoredItem> {
      const it = item(user);
      const res = await store.add(G, it, limits);
      expect(res.ok).toBe(true);
      return it;
    }

    it("puts everyone's first song before anyone's second, inside one vote score", async () => {
      const a1 = await addAs(alice);
      const a2 = await addAs(alice);
      const a3 = await addAs(alice);
      const b1 = await addAs(bob);
      const c1 = await addAs(carol);
      const b2 = await addAs(bob);
      expect(await order()).toEqual([a1.id, b1.id, c1.id, a2.id, b2.id, a3.id]);
    });

    it('answers each add with the position fair order gives it', async () => {
      await addAs(alice);
      await addAs(alice);
      const res = await store.add(G, item(bob), FAIR);
      expect(res.ok && res.position).toBe(2);
    });

    it('still puts votes first: a second song voted up passes first songs with no votes', async () => {
      const a1 = await addAs(alice);
      const a2 = await addAs(alice);
      const b1 = await addAs(bob);
      await store.vote(G, a2.id, carol, 1);
      expect(await order()).toEqual([a2.id, a1.id, b1.id]);
    });

    it('lets a newcomer in ahead of a requester whose first song already started playing', async () => {
      await addAs(alice);
      const a2 = await addAs(alice);
      await store.start(G, null, NOW); // alice's first song plays; her second is now her only queued one
      const b1 = await addAs(bob);
      const a3 = await addAs(alice);
      // a2 was queued as alice's second (round 1); bob's first (round 0) goes ahead of it.
      expect(await order()).toEqual([b1.id, a2.id, a3.id]);
    });

    it('keeps first come first served in votes order, the default', async () => {
      const a1 = await addAs(alice, LIMITS);
      const a2 = await addAs(alice, LIMITS);
      const b1 = await addAs(bob, LIMITS);
      expect(await order()).toEqual([a1.id, a2.id, b1.id]);
    });
  });

  describe('removing, clearing, moving, shuffling', () => {
    it('removes a queued item and returns it; an unknown one gives null', async () => {
      const [a, b] = await addMany(2);
      expect((await store.remove(G, a!.id))?.id).toBe(a!.id);
      expect(await store.remove(G, a!.id)).toBeNull();
      expect(await order()).toEqual([b!.id]);
    });

    it('clears queued items but not the playing one', async () => {
      await addMany(3);
      const playing = await store.start(G, null, NOW);
      expect(await store.clear(G)).toBe(2);
      const listing = await store.list(G, 0, 10);
      expect(listing.items).toEqual([]);
      expect(listing.playing?.id).toBe(playing.ok ? playing.item.id : 'none');
    });

    it('moves an item up and down, clamping the position to the queue', async () => {
      const [a, b, c, d] = await addMany(4);
      expect(await store.move(G, d!.id, 2)).toEqual({ from: 4, to: 2 });
      expect(await order()).toEqual([a!.id, d!.id, b!.id, c!.id]);
      expect(await store.move(G, a!.id, 99)).toEqual({ from: 1, to: 4 });
      expect(await order()).toEqual([d!.id, b!.id, c!.id, a!.id]);
      expect(await store.move(G, newId(), 1)).toBeNull();
    });

    it('keeps a moved arrangement while later votes still move items', async () => {
      const [a, b, c] = await addMany(3);
      await store.move(G, c!.id, 1);
      expect(await order()).toEqual([c!.id, a!.id, b!.id]);
      await store.vote(G, b!.id, snowflake(1), 1);
      expect(await order()).toEqual([b!.id, c!.id, a!.id]);
      const late = item();
      await store.add(G, late, LIMITS);
      expect((await order()).at(-1)).toBe(late.id);
    });

    it('shuffles into a permutation of the same items', async () => {
      const items = await addMany(20);
      expect(await store.shuffle(G)).toBe(20);
      const after = await order();
      expect([...after].sort()).toEqual(items.map((i) => i.id).sort());
      const positions = (await store.list(G, 0, 100)).items.map((i) => i.position);
      expect(positions).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    });
  });

  describe('status lifecycle, history and stats', () => {
    it('starts the highest-ranked item, then refuses a second start while it plays', async () => {
      const [, b] = await addMany(2);
      await store.vote(G, b!.id, snowflake(1), 1);
      const started = await store.start(G, null, NOW);
      expect(started).toMatchObject({
        ok: true,
        item: { id: b!.id, status: 'playing', votes: 1, startedAt: NOW },
      });
      expect(await store.start(G, null, NOW)).toEqual({ ok: false, reason: 'ALREADY_PLAYING' });
      expect((await store.get(G, b!.id))?.status).toBe('playing');
      expect((await store.list(G, 0, 10)).items.map((i) => i.position)).toEqual([1]);
    });

    it('says the queue is empty or the item unknown', async () => {
      expect(await store.start(G, null, NOW)).toEqual({ ok: false, reason: 'QUEUE_EMPTY' });
      await addMany(1);
      expect(await store.start(G, newId(), NOW)).toEqual({ ok: false, reason: 'ITEM_NOT_FOUND' });
    });

    it('finishes as played or skipped into a bounded history, newest first', async () => {
      const items = await addMany(7);
      for (let i = 0; i < 7; i++) {
        await store.start(G, null, NOW);
        const done = await store.finish(G, i % 2 ? 'skipped' : 'played', `2026-01-01T00:0${i}:00.000Z`, null);
        expect(done).toMatchObject({ id: items[i]!.id, status: i % 2 ? 'skipped' : 'played' });
      }
      expect(await store.finish(G, 'played', NOW, null)).toBeNull();
      const history = await store.history(G, 100);
      expect(history.map((h) => h.id)).toEqual(
        items
          .slice(2)
          .reverse()
          .map((i) => i.id),
      );
      expect(history[0]).toMatchObject({
        status: 'played',
        endedAt: '2026-01-01T00:06:00.000Z',
        position: null,
      });
      expect(await store.history(G, 2)).toHaveLength(2);
    });

    it('counts statuses, durations, requesters and top tracks', async () => {
      const u1 = snowflake(11);
      const u2 = snowflake(12);
      const song = item(u1, { id: 'same', title: 'Hit', durationMs: 1000 });
      await store.add(G, song, LIMITS);
      await store.add(G, { ...item(u2, { id: 'same', title: 'Hit', durationMs: 1000 }) }, LIMITS);
      await store.add(G, item(u1, { id: 'other', title: 'Other' }), LIMITS);
      await store.add(G, item(u2), LIMITS);
      await store.vote(G, song.id, u2, 1);
      await store.start(G, null, NOW);
      await store.finish(G, 'played', NOW, null);
      await store.start(G, null, NOW);
      await store.finish(G, 'played', NOW, 400);
      await store.start(G, null, NOW);
      await store.finish(G, 'skipped', NOW, null);
      await store.start(G, null, NOW);
      const s = await store.stats(G);
      expect(s).toMatchObject({
        queued: 0,
        playing: 1,
        added: 4,
        played: 2,
        skipped: 1,
        removed: 0,
        votes: 1,
        playedMs: 1400,
        uniqueRequesters: 2,
      });
      expect(s.topRequesters).toEqual([
        { userId: u2, count: 2 },
        { userId: u1, count: 2 },
      ]);
      expect(s.topTracks[0]).toEqual({
        key: 'http:same',
        title: 'Hit',
        artist: 'Test Artist',
        provider: 'http',
        plays: 2,
      });
    });
  });

  describe('messages and expiry', () => {
    it('maps a Discord message to its queue item', async () => {
      const [a] = await addMany(1);
      await store.linkMessage(G, '123456789012345678', a!.id);
      expect(await store.itemForMessage(G, '123456789012345678')).toBe(a!.id);
      expect(await store.itemForMessage(OTHER, '123456789012345678')).toBeNull();
    });

    it('saves, lists and forgets playback snapshots per guild', async () => {
      const snap = {
        channelId: snowflake(77),
        itemId: newId(),
        positionMs: 1234,
        paused: false,
        savedAt: NOW,
      };
      await store.savePlayback(G, { ...snap, guildId: G });
      await store.savePlayback(OTHER, { ...snap, guildId: OTHER, positionMs: 99 });
      const all = await store.playbackSnapshots();
      expect(
        all.filter((s) => s.guildId === G || s.guildId === OTHER).sort((a, b) => a.positionMs - b.positionMs),
      ).toEqual([
        { ...snap, guildId: OTHER, positionMs: 99 },
        { ...snap, guildId: G },
      ]);
      await store.savePlayback(G, null);
      expect((await store.playbackSnapshots()).map((s) => s.guildId)).not.toContain(G);
    });

    it('records, lists and forgets the guilds playing on their Spotify device, apart from voice snapshots', async () => {
      const onDevice = { guildId: G, itemId: newId(), savedAt: NOW };
      await store.saveDevicePlayback(G, onDevice);
      await store.saveDevicePlayback(OTHER, { ...onDevice, guildId: OTHER });
      await store.savePlayback(G, null); // the voice player going idle leaves the device's record alone
      const mine = (all: { guildId: string }[]) =>
        all
          .filter((r) => r.guildId === G || r.guildId === OTHER)
          .sort((a, b) => (a.guildId < b.guildId ? -1 : 1));
      expect(mine(await store.devicePlaybacks())).toEqual([onDevice, { ...onDevice, guildId: OTHER }]);
      expect(mine(await store.playbackSnapshots())).toEqual([]);

      const later = { ...onDevice, itemId: newId() };
      await store.saveDevicePlayback(G, later); // the next song on the device replaces the record
      await store.saveDevicePlayback(OTHER, null);
      expect(mine(await store.devicePlaybacks())).toEqual([later]);
    });

    it('expires a guild after its time to live since the last change', async () => {
      await addMany(2);
      const ttls = await h.ttls(G);
      if (ttls) {
        expect(ttls.length).toBeGreaterThan(3);
        for (const ttl of ttls) expect(ttl).toBeGreaterThan(TTL - 5);
        for (const ttl of ttls) expect(ttl).toBeLessThanOrEqual(TTL);
      } else {
        h.expire!(TTL - 1);
        expect((await store.list(G, 0, 10)).total).toBe(2);
        await addMany(1);
        h.expire!(TTL - 1);
        expect((await store.list(G, 0, 10)).total).toBe(3);
        h.expire!(2);
        expect((await store.list(G, 0, 10)).total).toBe(0);
      }
    });
  });
});
