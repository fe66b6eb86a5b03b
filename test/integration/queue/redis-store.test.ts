import { Redis } from 'ioredis';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../../../src/core/ids.ts';
import { trackSchema } from '../../../src/core/track.ts';
import { RedisQueueStore } from '../../../src/storage/queue/redis-store.ts';
import { dropNamespace, REDIS_URL, rawRedis, uniqueNamespace } from '../../support/redis.ts';
import { snowflake, track } from '../../support/tracks.ts';

const G = snowflake(1);
const LIMITS = { maxLength: 500, maxPerUser: 500 };

const admin = rawRedis();
const namespaces: string[] = [];
afterAll(async () => {
  for (const ns of namespaces) await dropNamespace(admin, ns);
  admin.disconnect();
});

function storeOn(redis: Redis, namespace: string): RedisQueueStore {
  return new RedisQueueStore(redis, { namespace, ttlSeconds: 3600, historyLimit: 200 });
}

function stored(user = snowflake(5)) {
  return {
    id: newId(),
    guildId: G,
    track: trackSchema.parse(track()),
    requestedBy: user,
    requestedAt: new Date().toISOString(),
  };
}

describe('RedisQueueStore on a real Redis', () => {
  let namespace: string;
  beforeEach(() => {
    namespace = uniqueNamespace();
    namespaces.push(namespace);
  });

  it('counts 2,000 concurrent votes from distinct users through several connections exactly once each', async () => {
    const connections = Array.from({ length: 8 }, () => new Redis(REDIS_URL));
    try {
      const stores = connections.map((c) => storeOn(c, namespace));
      const target = stored();
      await stores[0]!.add(G, target, LIMITS);
      const votes = Array.from({ length: 2000 }, (_, i) =>
        stores[i % stores.length]!.vote(G, target.id, snowflake(10_000 + i), 1),
      );
      const results = await Promise.all(votes);
      expect(results.every((r) => r.ok)).toBe(true);
      // The same users again, concurrently: every one is a duplicate.
      const again = await Promise.all(
        Array.from({ length: 2000 }, (_, i) =>
          stores[(i + 3) % stores.length]!.vote(G, target.id, snowflake(10_000 + i), 1),
        ),
      );
      expect(again.every((r) => !r.ok && r.reason === 'ALREADY_VOTED')).toBe(true);
      expect((await stores[1]!.get(G, target.id))?.votes).toBe(2000);
      expect(await admin.hlen(`${namespace}:{${G}}:voters`)).toBe(2000);
    } finally {
      for (const c of connections) c.disconnect();
    }
  });

  it('keeps positions consistent under a concurrent add storm from several connections', async () => {
    const connections = Array.from({ length: 4 }, () => new Redis(REDIS_URL));
    try {
      const stores = connections.map((c) => storeOn(c, namespace));
      const results = await Promise.all(
        Array.from({ length: 400 }, (_, i) => stores[i % 4]!.add(G, stored(snowflake(i)), LIMITS)),
      );
      const positions = results.map((r) => (r.ok ? r.position : 0)).sort((a, b) => a - b);
      expect(positions).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
    } finally {
      for (const c of connections) c.disconnect();
    }
  });

  it("puts all of a guild's keys in one Redis Cluster hash slot", () => {
    const keys = storeOn(admin, 'music_queue').guildKeys(G);
    expect(keys[0]).toBe(`music_queue:{${G}}:queue`);
    for (const key of keys) expect(key.slice(key.indexOf('{') + 1, key.indexOf('}'))).toBe(G);
  });

  it('reloads its scripts after SCRIPT FLUSH (a Redis that restarted empty)', async () => {
    const client = new Redis(REDIS_URL);
    try {
      const store = storeOn(client, namespace);
      await store.add(G, stored(), LIMITS);
      await client.script('FLUSH');
      await dropNamespace(admin, namespace);
      const res = await store.add(G, stored(), LIMITS);
      expect(res).toMatchObject({ ok: true, position: 1 });
      expect((await store.list(G, 0, 10)).total).toBe(1);
    } finally {
      client.disconnect();
    }
  });

  it('stores one queue item in well under a kilobyte of JSON', async () => {
    const store = storeOn(admin, namespace);
    const item = stored();
    await store.add(G, item, LIMITS);
    const json = await admin.hget(`${namespace}:{${G}}:items`, item.id);
    expect(Buffer.byteLength(json!)).toBeLessThan(1024);
    expect(JSON.parse(json!)).toEqual(item);
  });
});
