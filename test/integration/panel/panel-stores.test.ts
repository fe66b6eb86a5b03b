import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import { InMemoryEventBus } from '../../../src/core/events.ts';
import type { QueueEvent } from '../../../src/queue/events.ts';
import { QueueService } from '../../../src/queue/service.ts';
import {
  MemoryPanelLocations,
  type PanelLocations,
  RedisPanelLocations,
} from '../../../src/storage/panel/locations.ts';
import { MemoryRatingStore, type RatingStore, RedisRatingStore } from '../../../src/storage/panel/ratings.ts';
import { RedisQueueStore } from '../../../src/storage/queue/redis-store.ts';
import { testActions } from '../../support/actions.ts';
import { dropNamespace, rawRedis, uniqueNamespace } from '../../support/redis.ts';
import { snowflake, track } from '../../support/tracks.ts';

/**
 * The control panel's stores against real Redis (and their in-memory twins, which must behave the same):
 * each guild's panel place, kept across a restart (a new client and store), and the ratings of the
 * playing song, one per member even when presses race.
 */

const G = snowflake(1);
const OTHER = snowflake(2);
const TTL = 3600;
const redis = rawRedis();
const namespaces: string[] = [];
const fresh = () => {
  const ns = uniqueNamespace('umpanel');
  namespaces.push(ns);
  return ns;
};
afterAll(async () => {
  for (const ns of namespaces) await dropNamespace(redis, ns);
  redis.disconnect();
});

const kinds: [string, () => { locations: PanelLocations; ratings: RatingStore }][] = [
  ['memory', () => ({ locations: new MemoryPanelLocations(), ratings: new MemoryRatingStore() })],
  [
    'redis',
    () => {
      const namespace = fresh();
      return {
        locations: new RedisPanelLocations(redis, namespace),
        ratings: new RedisRatingStore(redis, { namespace, ttlSeconds: TTL }),
        restart: () => new RedisPanelLocations(rawRedis(), namespace),
      };
    },
  ],
];

describe.each(kinds)('panel stores (%s)', (_kind, make) => {
  it('a guild has no panel until one is placed; its place is read back, per guild, and forgotten', async () => {
    const { locations } = make();
    expect(await locations.get(G)).toBeNull();
    await locations.set(G, { channelId: snowflake(10), messageId: snowflake(11) });
    await locations.set(OTHER, { channelId: snowflake(20), messageId: snowflake(21) });
    expect(await locations.get(G)).toEqual({ channelId: snowflake(10), messageId: snowflake(11) });
    await locations.set(G, { channelId: snowflake(10), messageId: snowflake(12) }); // re-posted
    expect(await locations.get(G)).toEqual({ channelId: snowflake(10), messageId: snowflake(12) });
    await locations.delete(G);
    expect(await locations.get(G)).toBeNull();
    expect(await locations.get(OTHER)).toEqual({ channelId: snowflake(20), messageId: snowflake(21) });
  });

  it('ratings: one per member; the same press again changes nothing, the other one changes it', async () => {
    const { ratings } = make();
    expect(await ratings.tally(G, 'item-1')).toEqual({ up: 0, down: 0 });
    expect(await ratings.rate(G, 'item-1', 'alice', 1)).toBe('counted');
    expect(await ratings.rate(G, 'item-1', 'alice', 1)).toBe('unchanged');
    expect(await ratings.rate(G, 'item-1', 'bob', -1)).toBe('counted');
    expect(await ratings.tally(G, 'item-1')).toEqual({ up: 1, down: 1 });
    expect(await ratings.rate(G, 'item-1', 'bob', 1)).toBe('changed');
    expect(await ratings.tally(G, 'item-1')).toEqual({ up: 2, down: 0 });
    expect(await ratings.tally(G, 'item-2')).toEqual({ up: 0, down: 0 });
    expect(await ratings.tally(OTHER, 'item-1')).toEqual({ up: 0, down: 0 });
  });

  it('30 members pressing at once, each twice: 30 ratings, and each member told "counted" once', async () => {
    const { ratings } = make();
    const members = Array.from({ length: 30 }, (_, i) => `m${i}`);
    const results = await Promise.all(
      members.flatMap((m, i) => [
        ratings.rate(G, 'race', m, i % 3 ? 1 : -1),
        ratings.rate(G, 'race', m, i % 3 ? 1 : -1),
      ]),
    );
    expect(results.filter((r) => r === 'counted')).toHaveLength(30);
    expect(results.filter((r) => r === 'unchanged')).toHaveLength(30);
    expect(await ratings.tally(G, 'race')).toEqual({ up: 20, down: 10 });
  });
});

describe('panel stores in Redis', () => {
  it('a panel place survives a restart (a new client); ratings expire with the queue', async () => {
    const namespace = fresh();
    await new RedisPanelLocations(redis, namespace).set(G, {
      channelId: snowflake(30),
      messageId: snowflake(31),
    });
    const client = rawRedis();
    const afterRestart = new RedisPanelLocations(client, namespace);
    expect(await afterRestart.get(G)).toEqual({ channelId: snowflake(30), messageId: snowflake(31) });
    await redis.set(`${namespace}:{${OTHER}}:panel`, 'not json');
    expect(await afterRestart.get(OTHER)).toBeNull();
    client.disconnect();
    await new RedisRatingStore(redis, { namespace, ttlSeconds: TTL }).rate(G, 'item-ttl', 'alice', 1);
    const ttl = await redis.ttl(`${namespace}:{${G}}:rating:item-ttl`);
    expect(ttl).toBeGreaterThan(TTL - 60);
    expect(ttl).toBeLessThanOrEqual(TTL);
  });
});

describe('playback.rate over the Redis queue and ratings', () => {
  it('rates the playing song only: nothing playing, or a song that is no longer playing, is refused', async () => {
    const namespace = fresh();
    const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
    const queue = new QueueService({
      store: new RedisQueueStore(redis, { namespace, ttlSeconds: TTL, historyLimit: 5 }),
      bus: new InMemoryEventBus<QueueEvent>(),
      clock,
      limits: () => ({ maxLength: 100, maxPerUser: 100 }),
    });
    const actions = testActions({
      queue,
      ratings: new RedisRatingStore(redis, { namespace, ttlSeconds: TTL }),
    });
    const member = (userId: string) => ({
      guildId: G,
      actor: { userId, displayName: userId, isAdmin: false, isDj: false, voiceChannelId: null },
    });
    const first = (await queue.add(G, track({ title: 'First' }), snowflake(5))).item;
    const second = (await queue.add(G, track({ title: 'Second' }), snowflake(5))).item;
    await expect(
      actions.playback.rate(member(snowflake(6)), { item: first.id, value: 1 }),
    ).rejects.toMatchObject({
      code: 'NOTHING_PLAYING',
    });
    await queue.markPlaying(G, first.id);
    await expect(
      actions.playback.rate(member(snowflake(6)), { item: second.id, value: 1 }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    const rated = await actions.playback.rate(member(snowflake(6)), { item: first.id, value: 1 });
    expect(rated).toMatchObject({ change: 'counted', tally: { up: 1, down: 0 } });
    expect(rated.item.id).toBe(first.id);
    const view = await actions.playback.panelView(member(snowflake(7)), undefined);
    expect(view.rating).toEqual({ up: 1, down: 0 });
    expect(view.upNext.map((i) => i.track.title)).toEqual(['Second']);
    expect(view.queued).toBe(1);
    // Posting a panel is for DJs; reading its view is for everyone.
    await expect(actions.playback.placePanel(member(snowflake(7)), undefined)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});
