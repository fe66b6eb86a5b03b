import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryEventBus } from '../../../src/core/events.ts';
import { silentLogger } from '../../../src/core/logger.ts';
import type { ModeEvent } from '../../../src/mode/controller.ts';
import { CLOSE_KEY_ROTATED } from '../../../src/overlay/hub.ts';
import { RedisTransport } from '../../../src/overlay/transport.ts';
import type { PlayerEvent } from '../../../src/playback/player.ts';
import type { QueueEvent } from '../../../src/queue/events.ts';
import { rawRedis, uniqueNamespace } from '../../support/redis.ts';
import { snowflake, track } from '../../support/tracks.ts';
import {
  issueKey,
  type OverlayServer,
  post,
  type Services,
  services,
  startOverlayServer,
  TestSocket,
  wsUrl,
} from './harness.ts';

const G = snowflake(77);
const ALICE = snowflake(2);
const BOB = snowflake(3);

/**
 * Two instances: A and B share the queue and the settings (as they would through Redis and
 * PostgreSQL) but each has its own event buses, so the only way a change made through A reaches a page
 * on B is the Redis channel.
 */
describe('overlay across two instances on one Redis', () => {
  const namespace = uniqueNamespace('umoverlay');
  let redis: Redis;
  let s: Services;
  let a: OverlayServer;
  let b: OverlayServer;
  const transports: RedisTransport[] = [];

  beforeAll(async () => {
    redis = rawRedis();
    s = services();
    const transport = () => {
      const t = new RedisTransport({ redis, namespace, logger: silentLogger() });
      transports.push(t);
      return t;
    };
    a = await startOverlayServer(s, { transport: transport() });
    b = await startOverlayServer(s, {
      transport: transport(),
      buses: {
        queue: new InMemoryEventBus<QueueEvent>(),
        player: new InMemoryEventBus<PlayerEvent>(),
        mode: new InMemoryEventBus<ModeEvent>(),
      },
    });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    for (const t of transports) await t.close();
    redis.disconnect();
  });

  it('a queue change made through A reaches a page connected to B', async () => {
    const { key } = await issueKey(a, G);
    const page = await TestSocket.open(wsUrl(b, G, key));
    await page.next('snapshot');
    const { item } = await s.queue.add(G, track({ title: 'Via A' }), ALICE);
    const added = await page.next('queue_update', (f) => f.data.items.some((i) => i.id === item.id));
    expect(added.data.items[0]?.track.name).toBe('Via A');
    await s.queue.vote(G, item.id, BOB, 1);
    await page.next('queue_update', (f) => f.data.items[0]?.votes === 1);
    page.close();
  });

  it('now_playing posted to A reaches a page on B, and B remembers it for later pages', async () => {
    const { key } = await issueKey(a, G);
    const page = await TestSocket.open(wsUrl(b, G, key));
    await page.next('snapshot');
    const res = await post(a, '/api/v1/internal/now-playing', {
      community_id: G,
      track: {
        name: 'From A',
        artist: null,
        album: null,
        album_art_url: null,
        duration_ms: 1000,
        provider: 'spotify',
      },
    });
    expect(res.status).toBe(202);
    expect((await page.next('now_playing')).data.track?.name).toBe('From A');
    const later = await TestSocket.open(wsUrl(b, G, key));
    expect((await later.next('snapshot')).data.now_playing.track?.name).toBe('From A');
    page.close();
    later.close();
  });

  it("rotating the key on A closes the old key's page on B", async () => {
    const { key } = await issueKey(a, G);
    const page = await TestSocket.open(wsUrl(b, G, key));
    await page.next('snapshot');
    await issueKey(a, G);
    expect((await page.closed).code).toBe(CLOSE_KEY_ROTATED);
  });
});
