import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/logger.ts';
import { type LiveMessage, RedisTransport } from '../../../src/overlay/transport.ts';
import type { RedisConnection } from '../../../src/storage/queue/redis-client.ts';
import { rawRedis, uniqueNamespace } from '../../support/redis.ts';
import { TestRedisCluster } from '../../support/redis-cluster.ts';
import { snowflake } from '../../support/tracks.ts';

const single = rawRedis();
const cluster = await TestRedisCluster.start(3, 0);
const clusterClient = cluster.client();
afterAll(async () => {
  single.disconnect();
  clusterClient.disconnect();
  await cluster.stop();
});

/** Messages a transport hands its subscribers, with a way to wait for one. */
function inbox(t: RedisTransport) {
  const got: LiveMessage[] = [];
  const waiters: (() => void)[] = [];
  t.subscribe((m) => {
    got.push(m);
    for (const w of waiters.splice(0)) w();
  });
  return {
    got,
    until: (test: () => boolean) =>
      new Promise<void>((resolve) => {
        const check = () => (test() ? resolve() : waiters.push(check));
        check();
      }),
  };
}

describe.each<[string, RedisConnection]>([
  ['one Redis', single],
  ['a 3-master Redis Cluster', clusterClient],
])('overlay transport on %s (sharded pub/sub, one channel per guild)', (_name, redis) => {
  it('delivers a guild message only to the instances watching that guild, until they stop', async () => {
    const namespace = uniqueNamespace('umtransport');
    const make = () => new RedisTransport({ redis, namespace, logger: silentLogger() });
    const [a, b, c] = [make(), make(), make()];
    const [, inB, inC] = [inbox(a), inbox(b), inbox(c)];
    const guilds = [snowflake(501), snowflake(502), snowflake(503)];
    await b.watch(guilds[0]!);
    await c.watch(guilds[1]!);
    for (const guildId of guilds) a.publish({ kind: 'queue_changed', guildId });
    // A last message to each watcher marks the end of the first three (one channel keeps its order).
    a.publish({ kind: 'key_rotated', guildId: guilds[0]! });
    a.publish({ kind: 'key_rotated', guildId: guilds[1]! });
    await inB.until(() => inB.got.some((m) => m.kind === 'key_rotated'));
    await inC.until(() => inC.got.some((m) => m.kind === 'key_rotated'));
    expect(inB.got.map((m) => m.guildId)).toEqual([guilds[0], guilds[0]]);
    expect(inC.got.map((m) => m.guildId)).toEqual([guilds[1], guilds[1]]);
    // Two watches need two unwatches; then the guild's messages stop.
    await b.watch(guilds[0]!);
    await b.unwatch(guilds[0]!);
    a.publish({ kind: 'queue_changed', guildId: guilds[0]! });
    await inB.until(() => inB.got.length === 3);
    await b.unwatch(guilds[0]!);
    await c.watch(guilds[0]!);
    a.publish({ kind: 'queue_changed', guildId: guilds[0]! });
    await inC.until(() => inC.got.length === 3);
    expect(inB.got).toHaveLength(3);
    for (const t of [a, b, c]) await t.close();
  });
});
