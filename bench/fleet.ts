import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { apiActor } from '../src/actions/actor.ts';
import { systemClock } from '../src/core/clock.ts';
import { InMemoryEventBus } from '../src/core/events.ts';
import { Fleet } from '../src/fleet/fleet.ts';
import { FleetRpc } from '../src/fleet/rpc.ts';
import type { QueueEvent } from '../src/queue/events.ts';
import { QueueService } from '../src/queue/service.ts';
import type { RedisConnection } from '../src/storage/queue/redis-client.ts';
import { RedisQueueStore } from '../src/storage/queue/redis-store.ts';
import { TestRedisCluster } from '../test/support/redis-cluster.ts';
import { benchGuildFleet } from './fleet-guilds.ts';
import { measure, type Result, table } from './harness.ts';

const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const OPS = Number(process.env.BENCH_OPS ?? 20_000);
const CALLS = Number(process.env.BENCH_FLEET_CALLS ?? 5_000);

const snowflake = (i: number) => String(((1n << 36n) + BigInt(i)) << 22n);

/** API process -> owning process -> answer, over Redis sharded pub/sub, on loopback. */
async function rpcLatency(): Promise<Result[]> {
  const namespace = `bench-fleet-${randomUUID().slice(0, 8)}`;
  const owner = spawn(process.execPath, ['bench/fleet-owner.ts', REDIS_URL, namespace], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await once(owner.stdout!, 'data');
  const redis = new Redis(REDIS_URL);
  const rpc = new FleetRpc({ redis, namespace, logger: pino({ level: 'warn' }) });
  const fleet = new Fleet(rpc, null);
  const local = Object.assign(async () => null, { permission: 'everyone' as const });
  const call = (i: number) =>
    fleet.run('playback.state', { guildId: snowflake(Math.abs(i)), actor: apiActor() }, undefined, local);
  try {
    return [
      await measure('fleet action (API -> owner -> answer)', 1, CALLS, call),
      await measure('fleet action (API -> owner -> answer)', 20, CALLS, call),
    ];
  } finally {
    owner.kill('SIGTERM');
    await rpc.close();
    await redis.del(`${namespace}:fleet:shards`);
    redis.disconnect();
  }
}

const track = (i: number) => ({
  id: `dQw4w9WgX${i}`,
  title: `Never Gonna Give You Up (Official Video) ${i}`,
  artist: 'Rick Astley',
  album: null,
  artworkUrl: null,
  durationMs: 213_000,
  provider: 'youtube',
  uri: `https://www.youtube.com/watch?v=dQw4w9WgXcQ&i=${i}`,
  metadata: {},
});

/** Queue add and vote through the service, spread over 256 guilds (so over every master of a cluster). */
async function queueThroughput(label: string, redis: RedisConnection, waitReplicas = 0): Promise<Result[]> {
  const store = new RedisQueueStore(redis, {
    namespace: `bench-${randomUUID().slice(0, 8)}`,
    ttlSeconds: 600,
    historyLimit: 50,
    replication: { waitReplicas, waitTimeoutMs: 500 },
  });
  const queue = new QueueService({
    store,
    bus: new InMemoryEventBus<QueueEvent>(),
    clock: systemClock,
    limits: () => ({ maxLength: 1_000_000, maxPerUser: 1_000_000 }),
  });
  const guilds = Array.from({ length: 256 }, (_, i) => snowflake(10_000 + i));
  const targets: string[] = [];
  for (const g of guilds) targets.push((await queue.add(g, track(0), snowflake(1))).item.id);
  const add = await measure(`${label}: add`, 50, OPS, (i) =>
    queue.add(guilds[Math.abs(i) % guilds.length]!, track(i), snowflake(2 + (Math.abs(i) % 1000))),
  );
  const vote = await measure(`${label}: vote`, 50, OPS, (i) => {
    const g = Math.abs(i) % guilds.length;
    return queue.vote(guilds[g]!, targets[g]!, snowflake(1_000_000 + i), 1);
  });
  return [add, vote];
}

/**
 * `npm run bench -- fleet`: idle guilds on 8 shards in one and in four processes (start-up, memory),
 * cross-process action latency, and queue throughput on a single Redis and on Redis Cluster (with and
 * without REDIS_WAIT_REPLICAS). BENCH_FLEET_PARTS=guilds,rpc,queue runs only some parts.
 */
export async function benchFleet(): Promise<string> {
  const parts = process.env.BENCH_FLEET_PARTS?.split(',') ?? ['guilds', 'rpc', 'queue'];
  const out: string[] = [];
  if (parts.includes('guilds')) out.push('### Guilds, shards and processes', '', await benchGuildFleet(), '');
  const results: Result[] = [];
  if (parts.includes('rpc')) results.push(...(await rpcLatency()));
  if (parts.includes('queue')) {
    const single = new Redis(REDIS_URL);
    results.push(...(await queueThroughput('single Redis', single)));
    single.disconnect();
    const clusters = [
      { masters: 1, replicas: 0, wait: 0 },
      { masters: 3, replicas: 0, wait: 0 },
      { masters: 3, replicas: 1, wait: 0 },
      { masters: 3, replicas: 1, wait: 1 },
    ];
    for (const { masters, replicas, wait } of clusters) {
      const cluster = await TestRedisCluster.start(masters, replicas);
      const client = cluster.client();
      const label = `cluster, ${masters} master${masters > 1 ? 's' : ''}${replicas ? `, ${replicas} replica each` : ''}${wait ? `, REDIS_WAIT_REPLICAS=${wait}` : ''}`;
      try {
        results.push(...(await queueThroughput(label, client, wait)));
      } finally {
        client.disconnect();
        await cluster.stop();
      }
    }
  }
  if (results.length > 0) {
    out.push(
      '### Cross-process actions and queue throughput',
      '',
      `${CALLS} cross-process actions per row; queue rows ${OPS} ops with 50 callers over 256 guilds, one client process.`,
      '',
      table(results),
    );
  }
  return out.join('\n');
}
