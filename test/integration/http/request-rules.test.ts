import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import { InMemoryEventBus } from '../../../src/core/events.ts';
import { silentLogger } from '../../../src/core/logger.ts';
import type { TrackInput } from '../../../src/core/track.ts';
import { blocklistRoutes } from '../../../src/http/routes/blocklist.ts';
import { queueRoutes } from '../../../src/http/routes/queue.ts';
import { settingsRoutes } from '../../../src/http/routes/settings.ts';
import type { HttpServer } from '../../../src/http/server.ts';
import { guildQueueLimits } from '../../../src/queue/limits.ts';
import { RequestCooldowns } from '../../../src/queue/request-rules.ts';
import { QueueService } from '../../../src/queue/service.ts';
import { PgBlocklistRepository } from '../../../src/storage/db/blocklist-repository.ts';
import { type DatabaseHandle, openDatabase } from '../../../src/storage/db/connection.ts';
import { PgGuildSettingsRepository } from '../../../src/storage/db/guild-settings-repository.ts';
import { MemoryQueueStore } from '../../../src/storage/queue/memory-store.ts';
import { testActions } from '../../support/actions.ts';
import { apiClient, NO_KEEP_ALIVE, TEST_API_TOKEN, testServer } from '../../support/api.ts';
import { createTestDatabase, type TestDatabase } from '../../support/postgres.ts';
import { snowflake, track } from '../../support/tracks.ts';

/** Songs the fake resolver knows, by the link a request gives. */
const SONGS: Record<string, TrackInput> = {
  'https://media.test/short.mp3': track({ title: 'Short Song', durationMs: 120_000 }),
  'https://media.test/long.mp3': track({ title: 'Long Mix', durationMs: 3_600_000 }),
  'https://media.test/radio': track({ title: 'Lofi Radio', durationMs: null, metadata: { live: true } }),
  'https://soundcloud.com/a/b': track({ title: 'Cloud Song', provider: 'soundcloud' }),
  'https://media.test/halo.mp3': track({ title: 'Halo', artist: 'Beyoncé' }),
  'https://media.test/nightcore.mp3': track({ title: 'Song (NIGHTCORE Remix)', artist: 'Someone' }),
};

let n = 0;
const fresh = (title: string): TrackInput => track({ title: `${title} ${++n}` });

describe('request rules and block lists over the REST API', () => {
  let server: HttpServer;
  let base: string;
  let db: TestDatabase;
  let handle: DatabaseHandle;
  let queue: QueueService;
  let api: ReturnType<typeof apiClient>;
  const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
  let guild = 0;
  const newGuild = () => snowflake(500 + ++guild);

  beforeAll(async () => {
    db = await createTestDatabase();
    handle = await openDatabase({ url: db.url, logger: silentLogger() });
    const settings = new PgGuildSettingsRepository(handle.db);
    queue = new QueueService({
      store: new MemoryQueueStore({ ttlSeconds: 3600, historyLimit: 50, clock }),
      bus: new InMemoryEventBus(),
      clock,
      limits: guildQueueLimits(settings, { maxLength: 1000, maxPerUser: 100 }),
    });
    const resolve = async (url: string) => {
      const known = SONGS[url];
      return [known ?? fresh(url.replace(/^.*\//, ''))];
    };
    const actions = testActions({
      queue,
      tracks: { resolve },
      settings,
      blocklist: new PgBlocklistRepository(handle.db),
      cooldowns: new RequestCooldowns(clock),
    });
    server = testServer();
    const hasCommunity = () => true;
    server.add(
      ...queueRoutes({ actions, hasCommunity }),
      ...settingsRoutes({ actions, hasCommunity }),
      ...blocklistRoutes({ actions, hasCommunity }),
    );
    base = `http://127.0.0.1:${(await server.listen()).port}`;
    api = apiClient(base);
  });
  afterAll(async () => {
    await server?.close();
    await handle?.close();
    await db?.drop();
  });

  const add = (g: string, url: string, user = snowflake(2)) =>
    api('POST', `/api/v1/queue/${g}/add`, { track_url: url, requested_by_user_id: user });
  const queued = async (g: string) => (await queue.all(g)).items.map((i) => i.track.title);

  async function importCsv(g: string, csv: string | Buffer, type = 'text/csv', query = '') {
    const res = await fetch(`${base}/api/v1/blocklist/${g}/import${query}`, {
      method: 'POST',
      headers: { ...NO_KEEP_ALIVE, authorization: `Bearer ${TEST_API_TOKEN}`, 'content-type': type },
      body: csv,
    });
    return {
      status: res.status,
      json: (await res.json()) as { data?: unknown; error?: Record<string, unknown> },
    };
  }

  describe('settings', () => {
    it('stores the request rules and answers them', async () => {
      const g = newGuild();
      const res = await api('PATCH', `/api/v1/settings/${g}`, {
        request_access: 'role',
        request_role_id: snowflake(9),
        max_track_seconds: 600,
        allow_live: false,
        request_cooldown_seconds: 30,
        allowed_sources: ['youtube', 'http'],
        queue_order: 'fair',
      });
      expect(res.status).toBe(200);
      const { json } = await api('GET', `/api/v1/settings/${g}`);
      expect(json.data).toMatchObject({
        request_access: 'role',
        request_role_id: snowflake(9),
        max_track_seconds: 600,
        allow_live: false,
        request_cooldown_seconds: 30,
        allowed_sources: ['youtube', 'http'],
        queue_order: 'fair',
      });
    });

    it('refuses rules that do not hold together or out of range, and keeps the settings', async () => {
      const g = newGuild();
      for (const body of [
        { request_access: 'role' },
        { allowed_sources: [] },
        { allowed_sources: ['vimeo'] },
        { max_track_seconds: -5 },
        { request_cooldown_seconds: 100_000 },
        { queue_order: 'loudest' },
      ]) {
        const res = await api('PATCH', `/api/v1/settings/${g}`, body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.json.error.code).toBe('INVALID_INPUT');
      }
      expect(
        (await api('PATCH', `/api/v1/settings/${g}`, { request_access: 'role' })).json.error.message,
      ).toMatch(/need the role/);
      expect((await api('GET', `/api/v1/settings/${g}`)).json.data).toMatchObject({
        request_access: 'everyone',
        allowed_sources: ['youtube', 'soundcloud', 'spotify', 'http'],
      });
    });
  });

  describe('refused requests', () => {
    it('answers each rule with its own code and words, and queues nothing', async () => {
      const g = newGuild();
      await api('PATCH', `/api/v1/settings/${g}`, {
        max_track_seconds: 600,
        allow_live: false,
        allowed_sources: ['youtube', 'spotify', 'http'],
      });
      await api('POST', `/api/v1/blocklist/${g}`, { type: 'artist', value: 'BEYONCE' });
      await api('POST', `/api/v1/blocklist/${g}`, { type: 'keyword', value: 'Nightcore' });
      const cases: [string, number, string, RegExp][] = [
        [
          'https://media.test/long.mp3',
          422,
          'TRACK_TOO_LONG',
          /"Long Mix" is 1:00:00 long; songs may be at most 10:00/,
        ],
        ['https://media.test/radio', 422, 'LIVE_NOT_ALLOWED', /live streams are not allowed/],
        ['https://soundcloud.com/a/b', 422, 'SOURCE_NOT_ALLOWED', /Songs from SoundCloud are not allowed/],
        ['https://media.test/halo.mp3', 422, 'BLOCKED', /the artist "BEYONCE"/],
        ['https://media.test/nightcore.mp3', 422, 'BLOCKED', /the word "Nightcore"/],
      ];
      for (const [url, status, code, message] of cases) {
        const res = await add(g, url);
        expect(res.status, url).toBe(status);
        expect(res.json.error.code).toBe(code);
        expect(res.json.error.message).toMatch(message);
      }
      expect(await queued(g)).toEqual([]);
      expect((await add(g, 'https://media.test/short.mp3')).status).toBe(201);
      expect(await queued(g)).toEqual(['Short Song']);
    });

    it('answers a request inside the cooldown with 429 and Retry-After, per member, and a refused request costs no cooldown', async () => {
      const g = newGuild();
      const [alice, bob] = [snowflake(31), snowflake(32)];
      await api('PATCH', `/api/v1/settings/${g}`, { request_cooldown_seconds: 60, allow_live: false });
      expect((await add(g, 'https://media.test/radio', alice)).status).toBe(422);
      expect((await add(g, 'https://media.test/a.mp3', alice)).status).toBe(201);
      clock.advance(20_000);
      const res = await add(g, 'https://media.test/b.mp3', alice);
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('40');
      expect(res.json.error).toMatchObject({
        code: 'REQUEST_COOLDOWN',
        details: { retry_after_seconds: 40, rule: 'request_cooldown_seconds' },
      });
      expect((await add(g, 'https://media.test/c.mp3', bob)).status).toBe(201);
      clock.advance(40_000);
      expect((await add(g, 'https://media.test/d.mp3', alice)).status).toBe(201);
      expect(await queued(g)).toHaveLength(3);
    });
  });

  describe('block list', () => {
    it('adds, lists and removes entries; removing one not there is a 404', async () => {
      const g = newGuild();
      const added = await api('POST', `/api/v1/blocklist/${g}`, { type: 'artist', value: 'Motörhead' });
      expect(added.json.data).toEqual({
        added: true,
        entry: { type: 'artist', value: 'Motörhead' },
        total: 1,
      });
      const again = await api('POST', `/api/v1/blocklist/${g}`, { type: 'artist', value: 'MOTORHEAD' });
      expect(again.json.data).toEqual({
        added: false,
        entry: { type: 'artist', value: 'Motörhead' },
        total: 1,
      });
      expect((await api('GET', `/api/v1/blocklist/${g}`)).json.data).toEqual({
        community_id: g,
        total: 1,
        entries: [{ type: 'artist', value: 'Motörhead' }],
      });
      expect(
        (await api('POST', `/api/v1/blocklist/${g}/remove`, { type: 'artist', value: 'motorhead' })).json
          .data,
      ).toEqual({
        removed: true,
        total: 0,
      });
      const missing = await api('POST', `/api/v1/blocklist/${g}/remove`, {
        type: 'artist',
        value: 'motorhead',
      });
      expect(missing.status).toBe(404);
      expect(missing.json.error.message).toBe('The artist "motorhead" is not on the block list.');
    });

    it('refuses an entry that would match everything, in plain words', async () => {
      const g = newGuild();
      for (const value of ['', '  ', 'e', '**']) {
        const res = await api('POST', `/api/v1/blocklist/${g}`, { type: 'keyword', value });
        expect(res.status).toBe(400);
        expect(res.json.error.message).toMatch(/every song/);
      }
      expect((await api('GET', `/api/v1/blocklist/${g}`)).json.data.total).toBe(0);
    });

    it('imports a CSV body whole, and the entries then refuse requests', async () => {
      const g = newGuild();
      const res = await importCsv(
        g,
        'type,value\nartist,Beyoncé\nkeyword,nightcore\nSomeone Else\nartist,beyonce\n',
      );
      expect(res.status).toBe(200);
      expect(res.json.data).toEqual({ added: 3, existing: 1, total: 3 });
      expect((await add(g, 'https://media.test/halo.mp3')).json.error.code).toBe('BLOCKED');
      const kw = await importCsv(g, 'remix\n', 'text/csv; charset=utf-8', '?default_type=keyword');
      expect(kw.json.data).toEqual({ added: 1, existing: 0, total: 4 });
    });

    it('refuses a malformed file whole, naming the line, and imports nothing of it', async () => {
      const g = newGuild();
      const res = await importCsv(g, 'artist,ABBA\nartist,Queen\nsong,Bohemian Rhapsody\nartist,Blur\n');
      expect(res.status).toBe(400);
      expect(res.json.error).toMatchObject({ code: 'INVALID_INPUT', details: { line: 3 } });
      expect(res.json.error?.message).toMatch(/^Line 3: "song" is not a type/);
      expect((await api('GET', `/api/v1/blocklist/${g}`)).json.data.total).toBe(0);
    });

    it('refuses a file over 256 KB with 413, and one that is not CSV with 415', async () => {
      const g = newGuild();
      const huge = await importCsv(g, Buffer.alloc(300 * 1024, 'a'));
      expect(huge.status).toBe(413);
      expect(huge.json.error?.code).toBe('PAYLOAD_TOO_LARGE');
      const json = await importCsv(g, '{"artist":"ABBA"}', 'application/json');
      expect(json.status).toBe(415);
      expect((await api('GET', `/api/v1/blocklist/${g}`)).json.data.total).toBe(0);
    });
  });

  describe('queue order', () => {
    it("plays everyone's first song before anyone's second once the guild picks fair order", async () => {
      const g = newGuild();
      const [alice, bob] = [snowflake(41), snowflake(42)];
      await api('PATCH', `/api/v1/settings/${g}`, { queue_order: 'fair' });
      for (const url of ['a1', 'a2', 'a3']) await add(g, `https://media.test/${url}`, alice);
      await add(g, 'https://media.test/b1', bob);
      const { json } = await api('GET', `/api/v1/queue/${g}`);
      expect(json.data.items.map((i: { track: { name: string } }) => i.track.name.split(' ')[0])).toEqual([
        'a1',
        'b1',
        'a2',
        'a3',
      ]);
    });
  });
});
