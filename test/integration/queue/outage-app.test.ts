import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BotProcess } from '../../support/bot-process.ts';
import { MediaServer } from '../../support/media-server.ts';
import { createTestDatabase, type TestDatabase } from '../../support/postgres.ts';
import { uniqueNamespace } from '../../support/redis.ts';
import { TestRedisServer } from '../../support/redis-server.ts';
import { toneFile } from '../../support/tones.ts';
import { snowflake } from '../../support/tracks.ts';

const TOKEN = 'outage-app-test-token-0123456789';
const G = snowflake(9090);
const DJ = snowflake(9091);
const voter = (n: number) => snowflake(5000 + n);

/**
 * The app as `npm start` runs it (API-only), over the REST API, against a Redis the test pauses and
 * kills: the reproductions, end to end.
 */
describe('the REST API while Redis stalls or is down', () => {
  const namespace = uniqueNamespace('outage-app');
  let redis: TestRedisServer;
  let database: TestDatabase;
  let media: MediaServer;
  let bot: BotProcess;
  let base: string;
  let peek: Redis;
  let itemId: string;

  beforeAll(async () => {
    redis = await TestRedisServer.start({ persistent: true });
    database = await createTestDatabase();
    media = await MediaServer.start();
    bot = await BotProcess.start({
      API_TOKEN: TOKEN,
      HTTP_PORT: '0',
      REDIS_URL: redis.url,
      REDIS_NAMESPACE: namespace,
      DATABASE_URL: database.url,
      MEDIA_ALLOWLIST: '127.0.0.1',
    });
    base = String(bot.logs.find((l) => l.msg === 'Unified Music is running')?.http);
    peek = new Redis(redis.url, { maxRetriesPerRequest: 1, lazyConnect: true });
    peek.on('error', () => {}); // it reconnects by itself while the test's Redis is down
  }, 120_000);
  afterAll(async () => {
    redis?.resume();
    await bot?.stop();
    peek?.disconnect();
    await media?.close();
    await redis?.stop();
    await database?.drop();
  }, 60_000);

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return {
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      // biome-ignore lint/suspicious/noExplicitAny: JSON read by path in assertions
      json: (await res.json()) as any,
    };
  };
  const vote = (n: number) =>
    api('POST', `/api/v1/queue/${G}/vote/${itemId}`, { user_id: voter(n), direction: 'up' });
  const tally = async () => Number(await peek.hget(`${namespace}:{${G}}:votes`, itemId));

  it('counts every vote made during a 2.5 s Redis stall, none answered 404', async () => {
    const added = await api('POST', `/api/v1/queue/${G}/add`, {
      track_url: media.serve('/first.mp3', toneFile(440, 2, 'mp3')),
      requested_by_user_id: DJ,
    });
    expect(added.status).toBe(201);
    itemId = added.json.data.queue_item.id;

    redis.pause();
    const votes = Array.from({ length: 50 }, (_, n) => vote(n));
    await new Promise((r) => setTimeout(r, 2_500));
    redis.resume();
    const answers = await Promise.all(votes);
    // 200, or (on a machine too loaded to get the answer within 5 s) 503 "try again": never 404 or 409.
    for (const a of answers) expect([200, 503]).toContain(a.status);
    // Those told to try again do; their first vote may have landed, and it is not counted twice.
    for (const [n, a] of answers.entries()) {
      let answer = a;
      while (answer.status === 503) answer = await vote(n);
      expect(answer.status).toBe(200);
    }
    expect(await tally()).toBe(50);
  }, 60_000);

  it('with Redis down: the known queue is shown, votes count, adds are refused with 503 and Retry-After; nothing is lost after it is back', async () => {
    await redis.stop();
    await vi.waitFor(async () => expect((await fetch(`${base}/healthz`)).status).toBe(503), {
      timeout: 20_000,
      interval: 100,
    });

    const listed = await api('GET', `/api/v1/queue/${G}`);
    expect(listed.status).toBe(200);
    expect(listed.json.data.items.map((i: { id: string }) => i.id)).toEqual([itemId]);
    const during = await vote(50);
    expect(during.status).toBe(200);
    // The count shown is the last known copy's (it may lag the last moments before the outage).
    expect(during.json.data.new_votes).toBeGreaterThanOrEqual(1);

    const refused = await api('POST', `/api/v1/queue/${G}/add`, {
      track_url: media.serve('/second.mp3', toneFile(660, 2, 'mp3')),
      requested_by_user_id: DJ,
    });
    expect(refused.status).toBe(503);
    expect(refused.retryAfter).toBe('5');
    expect(refused.json.error).toMatchObject({
      code: 'UNAVAILABLE',
      details: { reason: 'redis_unreachable' },
    });

    await redis.start();
    await bot.waitForLog((l) => l.msg === 'Redis is back: the queue is served from Redis again');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(await tally()).toBe(51); // the outage vote, once
    expect(await peek.zrange(`${namespace}:{${G}}:queue`, 0, -1)).toEqual([itemId]); // the refused add is not there
    expect((await vote(50)).status).toBe(409); // ALREADY_VOTED: it was counted
  }, 60_000);
});
