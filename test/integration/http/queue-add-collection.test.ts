import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import { InMemoryEventBus } from '../../../src/core/events.ts';
import type { TrackInput } from '../../../src/core/track.ts';
import { queueRoutes } from '../../../src/http/routes/queue.ts';
import type { HttpServer } from '../../../src/http/server.ts';
import { QueueService } from '../../../src/queue/service.ts';
import { MemoryQueueStore } from '../../../src/storage/queue/memory-store.ts';
import { testActions } from '../../support/actions.ts';
import { testServer } from '../../support/api.ts';
import { snowflake, track } from '../../support/tracks.ts';

const TOKEN = 'test-token-0123456789abcdef';
const G = snowflake(1);
const ALICE = snowflake(2);
const ALBUM = 'https://open.spotify.com/album/4uLU6hMCjMI75M1A2tKUQC';

/** POST /api/v1/queue/{id}/add with an album or playlist link: its tracks, up to the queue's limits. */
describe('REST add with a link to several tracks', () => {
  let server: HttpServer;
  let base: string;
  let queue: QueueService;
  const asked: { url: string; options: { limit: number; guildId?: string; provider?: string } }[] = [];

  beforeAll(async () => {
    server = testServer(TOKEN);
    const clock = new ManualClock();
    queue = new QueueService({
      store: new MemoryQueueStore({ ttlSeconds: 3600, historyLimit: 50, clock }),
      bus: new InMemoryEventBus(),
      clock,
      limits: () => ({ maxLength: 1000, maxPerUser: 3 }),
    });
    const resolve = async (url: string, options: { limit: number; guildId?: string; provider?: string }) => {
      asked.push({ url, options });
      return Array.from(
        { length: 5 },
        (_, i): TrackInput => track({ title: `Album song ${i + 1}`, provider: 'spotify' }),
      );
    };
    server.add(
      ...queueRoutes({ actions: testActions({ queue, tracks: { resolve } }), hasCommunity: () => true }),
    );
    base = `http://127.0.0.1:${(await server.listen()).port}`;
  });
  afterAll(() => server.close());

  it('queues the tracks in order until the member reaches the limit, and says how many did not fit', async () => {
    const res = await fetch(`${base}/api/v1/queue/${G}/add`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ track_url: ALBUM, requested_by_user_id: ALICE }),
    });
    expect(res.status).toBe(201);
    const { data } = (await res.json()) as { data: Record<string, unknown> };
    expect(data).toMatchObject({
      queue_item: { track: { name: 'Album song 1' } },
      queue_position: 1,
      queued_count: 3,
      not_queued_count: 2,
      not_queued_reason: { code: 'USER_QUEUE_LIMIT' },
    });
    expect((await queue.all(G)).items.map((i) => i.track.title)).toEqual([
      'Album song 1',
      'Album song 2',
      'Album song 3',
    ]);
    expect(asked).toEqual([{ url: ALBUM, options: { guildId: G, limit: 50 } }]);
  });
});
