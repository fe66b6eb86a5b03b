import { request } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import { UserError } from '../../../src/core/errors.ts';
import { InMemoryEventBus } from '../../../src/core/events.ts';
import { silentLogger } from '../../../src/core/logger.ts';
import type { TrackInput } from '../../../src/core/track.ts';
import { queueRoutes } from '../../../src/http/routes/queue.ts';
import { settingsRoutes } from '../../../src/http/routes/settings.ts';
import { HttpServer } from '../../../src/http/server.ts';
import type { QueueEvent } from '../../../src/queue/events.ts';
import { QueueService } from '../../../src/queue/service.ts';
import { MemoryQueueStore } from '../../../src/storage/queue/memory-store.ts';
import { testActions } from '../../support/actions.ts';
import { testServer } from '../../support/api.ts';
import { snowflake, track } from '../../support/tracks.ts';

const TOKEN = 'test-token-0123456789abcdef';
const G = snowflake(1);
const ALICE = snowflake(2);

/** Resolves "http://media.test/<name>.mp3" to a track; anything else is not playable. */
async function resolve(url: string): Promise<TrackInput[]> {
  const m = /^http:\/\/media\.test\/(\w+)\.mp3$/.exec(url);
  if (!m) throw new UserError('INVALID_URL', 'That is not a playable link.');
  return [track({ id: url, title: m[1]!, uri: url, durationMs: 60_000 })];
}

describe('REST API over real HTTP', () => {
  let server: HttpServer;
  let base: string;
  let queue: QueueService;
  const known = new Set([G]);

  beforeAll(async () => {
    server = testServer(TOKEN);
    const clock = new ManualClock();
    queue = new QueueService({
      store: new MemoryQueueStore({ ttlSeconds: 3600, historyLimit: 50, clock }),
      bus: new InMemoryEventBus<QueueEvent>(),
      clock,
      limits: () => ({ maxLength: 1000, maxPerUser: 1000 }),
    });
    server.add(
      ...queueRoutes({
        actions: testActions({ queue, tracks: { resolve } }),
        hasCommunity: (g) => known.has(g),
      }),
      ...settingsRoutes({ actions: testActions({ queue }), hasCommunity: (g) => known.has(g) }),
    );
    const { port } = await server.listen();
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    await queue.clear(G);
  });

  const call = async (method: string, path: string, body?: unknown, token: string | null = TOKEN) => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : null };
  };
  const add = (name: string, user = ALICE) =>
    call('POST', `/api/v1/queue/${G}/add`, {
      track_url: `http://media.test/${name}.mp3`,
      requested_by_user_id: user,
    });

  describe('envelope and auth', () => {
    it('answers with the seed envelope', async () => {
      const res = await call('GET', `/api/v1/queue/${G}`);
      expect(res.status).toBe(200);
      expect(res.json).toEqual({
        success: true,
        data: { items: [], now_playing: null },
        timestamp: expect.any(String),
      });
      expect(Number.isNaN(Date.parse(res.json.timestamp))).toBe(false);
    });

    it('refuses a missing or wrong token with 401 in the envelope', async () => {
      for (const token of [null, 'wrong-token', `${TOKEN}x`]) {
        const res = await call('GET', `/api/v1/queue/${G}`, undefined, token);
        expect(res.status).toBe(401);
        expect(res.json).toMatchObject({ success: false, error: { code: 'UNAUTHORIZED' } });
      }
    });

    it('answers 503 for every API route when no API_TOKEN is set', async () => {
      const off = testServer(null);
      off.add(
        ...queueRoutes({ actions: testActions({ queue, tracks: { resolve } }), hasCommunity: () => true }),
      );
      const { port } = await off.listen();
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/queue/${G}`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ success: false, error: { code: 'API_DISABLED' } });
      await off.close();
    });

    it('gives 404 in the envelope for an unknown route and 405 for a wrong method', async () => {
      expect((await call('GET', '/api/v1/nope')).json).toMatchObject({
        success: false,
        error: { code: 'NOT_FOUND' },
      });
      expect((await call('PUT', `/api/v1/queue/${G}`)).status).toBe(405);
    });
  });

  describe('queue routes', () => {
    it('adds: 201 with the item, 1-based positions 1, 2, 3 and the estimated wait', async () => {
      const results = [await add('a'), await add('b'), await add('c')];
      expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
      expect(results.map((r) => r.json.data.queue_position)).toEqual([1, 2, 3]);
      expect(results[2]!.json.data.estimated_wait_ms).toBe(120_000);
      expect(results[0]!.json.data.queue_item).toMatchObject({
        track: { name: 'a', provider: 'http', duration_ms: 60_000, uri: 'http://media.test/a.mp3' },
        requested_by_user_id: ALICE,
        votes: 0,
        position: 1,
        status: 'queued',
      });
    });

    it('votes, refuses a repeat with 409 ALREADY_VOTED, and withdraws with DELETE', async () => {
      await add('a');
      const b = (await add('b')).json.data.queue_item.id;
      const path = `/api/v1/queue/${G}/vote/${b}`;
      const voted = await call('POST', path, { user_id: snowflake(9), direction: 'up' });
      expect(voted.json.data).toEqual({
        queue_item_id: b,
        new_votes: 1,
        new_position: 1,
        moved_positions: 1,
      });
      const again = await call('POST', path, { user_id: snowflake(9), direction: 'up' });
      expect(again.status).toBe(409);
      expect(again.json.error.code).toBe('ALREADY_VOTED');
      const withdrawn = await call('DELETE', path, { user_id: snowflake(9) });
      expect(withdrawn.json.data).toMatchObject({ new_votes: 0, new_position: 2, moved_positions: -1 });
    });

    it('counts 500 concurrent votes from distinct users', async () => {
      const id = (await add('popular')).json.data.queue_item.id;
      const results = await Promise.all(
        Array.from({ length: 500 }, (_, i) =>
          call('POST', `/api/v1/queue/${G}/vote/${id}`, { user_id: snowflake(1000 + i), direction: 'up' }),
        ),
      );
      expect(results.every((r) => r.status === 200)).toBe(true);
      const list = await call('GET', `/api/v1/queue/${G}`);
      expect(list.json.data.items[0].votes).toBe(500);
    });

    it('keeps positions consistent under a parallel add storm', async () => {
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) => add(`s${i}`, snowflake(5000 + i))),
      );
      expect(results.map((r) => r.json.data.queue_position).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 100 }, (_, i) => i + 1),
      );
    });

    it('removes, lists history and stats, and clears', async () => {
      const a = (await add('a')).json.data.queue_item.id;
      await add('b');
      expect((await call('DELETE', `/api/v1/queue/${G}/${a}`)).json.data.removed.id).toBe(a);
      expect((await call('DELETE', `/api/v1/queue/${G}/${a}`)).status).toBe(404);
      await queue.markPlaying(G);
      await call('POST', `/api/v1/queue/${G}/skip`);
      const history = await call('GET', `/api/v1/queue/${G}/history?limit=5`);
      expect(history.json.data.items[0]).toMatchObject({ status: 'skipped', track: { name: 'b' } });
      const stats = await call('GET', `/api/v1/queue/${G}/stats`);
      expect(stats.json.data.counts).toMatchObject({
        skipped: expect.any(Number),
        removed: expect.any(Number),
      });
      await add('c');
      expect((await call('POST', `/api/v1/queue/${G}/clear`)).json.data).toEqual({ removed: 1 });
    });
  });

  describe('bad input: 4xx with a stable code, nothing written', () => {
    const cases: [string, string, string, unknown, number, string][] = [
      ['malformed JSON', 'POST', `/api/v1/queue/${G}/add`, '{"track_url": ', 400, 'INVALID_JSON'],
      [
        'a wrong type',
        'POST',
        `/api/v1/queue/${G}/add`,
        { track_url: 5, requested_by_user_id: ALICE },
        400,
        'INVALID_INPUT',
      ],
      [
        'an unknown field',
        'POST',
        `/api/v1/queue/${G}/add`,
        { track_url: 'http://media.test/a.mp3', requested_by_user_id: ALICE, extra: 1 },
        400,
        'INVALID_INPUT',
      ],
      [
        'a user id that is not a snowflake',
        'POST',
        `/api/v1/queue/${G}/add`,
        { track_url: 'http://media.test/a.mp3', requested_by_user_id: 'bob' },
        400,
        'INVALID_INPUT',
      ],
      [
        'an unplayable URL',
        'POST',
        `/api/v1/queue/${G}/add`,
        { track_url: 'ftp://x', requested_by_user_id: ALICE },
        400,
        'INVALID_URL',
      ],
      [
        'a bad direction',
        'POST',
        `/api/v1/queue/${G}/vote/6f1d3c1e-8a57-4d0e-9a55-0d6f2b1c9e01`,
        { user_id: ALICE, direction: 'sideways' },
        400,
        'INVALID_INPUT',
      ],
      [
        'an unknown item',
        'POST',
        `/api/v1/queue/${G}/vote/6f1d3c1e-8a57-4d0e-9a55-0d6f2b1c9e01`,
        { user_id: ALICE, direction: 'up' },
        404,
        'ITEM_NOT_FOUND',
      ],
      ['an unknown community', 'GET', `/api/v1/queue/${snowflake(999)}`, undefined, 404, 'NOT_FOUND'],
      ['a community id that is not a snowflake', 'GET', '/api/v1/queue/abc', undefined, 400, 'INVALID_INPUT'],
      ['a bad %-escape in the path', 'GET', '/api/v1/queue/%E0%A4%A', undefined, 400, 'INVALID_INPUT'],
      [
        'a settings value out of range',
        'PATCH',
        `/api/v1/settings/${G}`,
        { vote_skip_ratio: 3 },
        400,
        'INVALID_INPUT',
      ],
    ];
    for (const [what, method, path, body, status, code] of cases) {
      it(`${what} -> ${status} ${code}`, async () => {
        await add('kept');
        const before = await call('GET', `/api/v1/queue/${G}`);
        const res = await call(method, path, body);
        expect(res.status).toBe(status);
        expect(res.json).toMatchObject({ success: false, error: { code, message: expect.any(String) } });
        expect(await call('GET', `/api/v1/queue/${G}`)).toMatchObject({ json: { data: before.json.data } });
      });
    }

    it('answers a body over 1 MiB with 413 in the envelope', async () => {
      const res = await call(
        'POST',
        `/api/v1/queue/${G}/add`,
        JSON.stringify({ track_url: 'x'.repeat(1_100_000) }),
      );
      expect(res.status).toBe(413);
      expect(res.json.error.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('answers a non-JSON body with 415', async () => {
      const res = await new Promise<number>((done) => {
        const req = request(`${base}/api/v1/queue/${G}/clear`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/plain' },
        });
        req.on('response', (r) => {
          r.resume();
          done(r.statusCode ?? 0);
        });
        req.end('hello');
      });
      expect(res).toBe(415);
    });
  });

  it('rate-limits writes per token and address with 429 and Retry-After', async () => {
    const limited = new HttpServer({
      host: '127.0.0.1',
      port: 0,
      apiToken: TOKEN,
      rateLimitPerMinute: 3,
      logger: silentLogger(),
    });
    limited.add(
      ...queueRoutes({ actions: testActions({ queue, tracks: { resolve } }), hasCommunity: () => true }),
    );
    const { port } = await limited.listen();
    const post = () =>
      fetch(`http://127.0.0.1:${port}/api/v1/queue/${G}/clear`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}` },
      });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push(await post());
    expect(statuses.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    expect(Number(statuses[3]!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(
      (
        await fetch(`http://127.0.0.1:${port}/api/v1/queue/${G}`, {
          headers: { authorization: `Bearer ${TOKEN}` },
        })
      ).status,
    ).toBe(200);
    await limited.close();
  });
});
