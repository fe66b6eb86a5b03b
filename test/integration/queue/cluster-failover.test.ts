import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import { isUserError } from '../../../src/core/errors.ts';
import { InMemoryEventBus } from '../../../src/core/events.ts';
import { QueueService } from '../../../src/queue/service.ts';
import { MemoryQueueStore } from '../../../src/storage/queue/memory-store.ts';
import { createRedisCluster } from '../../../src/storage/queue/redis-client.ts';
import { RedisQueueStore } from '../../../src/storage/queue/redis-store.ts';
import { createResilientStore } from '../../../src/storage/queue/resilient-store.ts';
import { captureLogger } from '../../support/logs.ts';
import { uniqueNamespace } from '../../support/redis.ts';
import { TestRedisCluster } from '../../support/redis-cluster.ts';
import { snowflake, track } from '../../support/tracks.ts';

const G = snowflake(1);
const VOTERS = 300;

/**
 * A Redis Cluster master killed while members vote: once its replica has taken over, the tally is
 * exactly the votes that were acknowledged. Each change waits for one replica (WAIT 1), so nothing
 * acknowledged is only on the dead master (three masters with two replicas each); a vote not confirmed in time is answered 503 "try again"
 * and its retry counts once.
 */
describe('Redis Cluster: a master fails over during votes', () => {
  let cluster: TestRedisCluster;
  beforeAll(async () => {
    // Two replicas per master: after a failover the promoted replica still has one to WAIT for.
    cluster = await TestRedisCluster.start(3, 2);
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('keeps every acknowledged vote, and counts each voter once', async () => {
    const client = createRedisCluster(cluster.startupNodes);
    client.on('error', () => {});
    const namespace = uniqueNamespace('umfailover');
    const primary = new RedisQueueStore(client, {
      namespace,
      ttlSeconds: 3600,
      historyLimit: 10,
      replication: { waitReplicas: 1, waitTimeoutMs: 1_000 },
    });
    const memory = new MemoryQueueStore({ ttlSeconds: 3600, historyLimit: 10, clock: new ManualClock() });
    const resilient = createResilientStore(primary, memory, client, captureLogger().logger);
    const queue = new QueueService({
      store: resilient.store,
      bus: new InMemoryEventBus(),
      clock: new ManualClock(),
      limits: () => ({ maxLength: 500, maxPerUser: 500 }),
    });
    await new Promise<void>((resolve) =>
      client.status === 'ready' ? resolve() : client.once('ready', resolve),
    );
    const { item } = await queue.add(G, track({ title: 'Failover' }), snowflake(2));
    const master = await cluster.masterOf(`${namespace}:{${G}}:queue`);

    let acknowledged = 0;
    /**
     * One member votes until the vote is acknowledged; a 503 is retried (the retry is idempotent). A 503
     * says "not known to be replicated", not "not made": when the first try did land, the retry finds
     * the member's vote there (ALREADY_VOTED), which acknowledges it.
     */
    const vote = async (n: number) => {
      let retry = false;
      for (;;) {
        try {
          await queue.vote(G, item.id, snowflake(1_000 + n), 1);
          acknowledged += 1;
          return;
        } catch (err) {
          if (retry && isUserError(err) && err.code === 'ALREADY_VOTED') {
            acknowledged += 1;
            return;
          }
          if (!isUserError(err) || err.status !== 503) throw err;
          retry = true;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    };
    const first = await Promise.all(Array.from({ length: VOTERS / 3 }, (_, n) => vote(n)));
    expect(first).toHaveLength(VOTERS / 3);
    // The guild's master dies mid-way; the votes go on while its replica is promoted.
    const votes = Array.from({ length: (2 * VOTERS) / 3 }, (_, n) => vote(VOTERS / 3 + n));
    await cluster.kill(master);
    await Promise.all(votes);
    await cluster.waitUntilOk();

    expect(acknowledged).toBe(VOTERS);
    const after = await queue.find(G, item.id);
    expect(after.votes).toBe(acknowledged);
    // The failover was real: the slot is now served by another node.
    expect(await cluster.masterOf(`${namespace}:{${G}}:queue`)).not.toBe(master);
    client.disconnect();
  }, 120_000);
});
