import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import { InMemoryEventBus } from '../../../src/core/events.ts';
import { silentLogger } from '../../../src/core/logger.ts';
import { modeRoutes } from '../../../src/http/routes/mode.ts';
import { queueRoutes } from '../../../src/http/routes/queue.ts';
import { radioRoutes } from '../../../src/http/routes/radio.ts';
import { HttpServer } from '../../../src/http/server.ts';
import { ModeController, type ModeEvent } from '../../../src/mode/controller.ts';
import { LocalLock } from '../../../src/mode/lock.ts';
import { MediaAllowlist } from '../../../src/net/address-policy.ts';
import { HttpAudioProvider } from '../../../src/providers/http.ts';
import { ProviderRegistry } from '../../../src/providers/registry.ts';
import type { QueueEvent } from '../../../src/queue/events.ts';
import { QueueService } from '../../../src/queue/service.ts';
import type { RadioEvent } from '../../../src/radio/events.ts';
import { StationPollers } from '../../../src/radio/pollers.ts';
import { RadioService } from '../../../src/radio/service.ts';
import { type DatabaseHandle, openDatabase } from '../../../src/storage/db/connection.ts';
import { PgRadioStateRepository } from '../../../src/storage/db/radio-state-repository.ts';
import { PgStationRepository } from '../../../src/storage/db/station-repository.ts';
import { MemoryQueueStore } from '../../../src/storage/queue/memory-store.ts';
import { testActions } from '../../support/actions.ts';
import { apiClient, TEST_API_TOKEN } from '../../support/api.ts';
import { captureLogger } from '../../support/logs.ts';
import { MediaServer } from '../../support/media-server.ts';
import { createTestDatabase, type TestDatabase } from '../../support/postgres.ts';
import { toneFile } from '../../support/tones.ts';
import { snowflake } from '../../support/tracks.ts';

const G = snowflake(15);
const ALICE = snowflake(16);

/**
 * Bad input of every kind, through the real routes, actions, providers, SSRF guard and PostgreSQL: each
 * answered with a 4xx and a clear JSON error, never a 500 (issue #15).
 */
describe('bad input is refused with a 4xx over real HTTP', () => {
  let server: HttpServer;
  let media: MediaServer;
  let radio: RadioService;
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let call: ReturnType<typeof apiClient>;
  let base: string;
  let actions: ReturnType<typeof testActions>;
  const logs = captureLogger();

  beforeAll(async () => {
    database = await createTestDatabase();
    handle = await openDatabase({ url: database.url, logger: silentLogger() });
    media = await MediaServer.start();
    const allowlist = MediaAllowlist.parse('127.0.0.1');
    const clock = new ManualClock();
    const queue = new QueueService({
      store: new MemoryQueueStore({ ttlSeconds: 3600, historyLimit: 50, clock }),
      bus: new InMemoryEventBus<QueueEvent>(),
      clock,
      limits: () => ({ maxLength: 1000, maxPerUser: 1000 }),
    });
    radio = new RadioService({
      stations: new PgStationRepository(handle.db),
      voice: null,
      allowlist,
      pollers: new StationPollers({ allowlist, clock, logger: silentLogger() }),
      bus: new InMemoryEventBus<RadioEvent>(),
      clock,
      logger: silentLogger(),
    });
    const state = new PgRadioStateRepository(handle.db);
    const mode = new ModeController({
      store: { load: (g) => state.get(g), save: (s) => state.save(s) },
      lock: new LocalLock(),
      music: { isPlaying: () => false, pause: async () => {}, resume: async () => {} },
      radio,
      bus: new InMemoryEventBus<ModeEvent>(),
      clock,
      logger: silentLogger(),
    });
    const tracks = new ProviderRegistry([new HttpAudioProvider({ allowlist })]);
    actions = testActions({ queue, tracks, radio, mode });
    const hasCommunity = (g: string) => g === G;
    server = new HttpServer({
      host: '127.0.0.1',
      port: 0,
      apiToken: TEST_API_TOKEN,
      rateLimitPerMinute: 0,
      logger: logs.logger,
    });
    server.add(
      ...queueRoutes({ actions, hasCommunity }),
      ...radioRoutes({ actions, hasCommunity }),
      ...modeRoutes({ actions, hasCommunity }),
    );
    base = `http://127.0.0.1:${(await server.listen()).port}`;
    call = apiClient(base);
  });
  afterAll(async () => {
    await radio?.close();
    await server?.close();
    await media?.close();
    await handle?.close();
    await database?.drop();
  });

  const add = (trackUrl: string) =>
    call('POST', `/api/v1/queue/${G}/add`, { track_url: trackUrl, requested_by_user_id: ALICE });
  const stations = `/api/v1/radio/${G}/stations`;

  describe('links', () => {
    it('refuses a broken %-escape in a link with 400 INVALID_URL, contacting nobody', async () => {
      for (const path of ['/a%ZZ.mp3', '/a%.mp3', '/a%2.mp3']) {
        const before = media.requests.length;
        const r = await add(`${media.origin}${path}`);
        expect([r.status, r.json.error.code], path).toEqual([400, 'INVALID_URL']);
        expect(r.json.error.message).toMatch(/%-escape/);
        expect(media.requests.length).toBe(before);
      }
    });

    it('plays a link whose %-escapes are not UTF-8, named as written', async () => {
      const cases = [
        ['/Caf%E9.mp3', 'Caf%E9'],
        ['/a%FF.mp3', 'a%FF'],
        ['/cut%E2%82.mp3', 'cut%E2%82'],
        ['/Sunny%20Day%FF.mp3', 'Sunny Day%FF'],
        ['/nul%00and%0Anewline.mp3', 'nuland newline'],
      ];
      for (const [path, title] of cases) {
        const r = await add(media.serve(path!, toneFile(440, 1, 'mp3')));
        expect([r.status, r.json.data?.queue_item.track.name], path).toEqual([201, title]);
      }
    });

    it.each([
      ['an unclosed IPv6 bracket', 'http://[zz'],
      ['an empty host', 'http://:0'],
      ['a space in the host', 'http://a b/x.mp3'],
    ])('answers 400 INVALID_URL for a redirect to %s', async (_what, location) => {
      const hop = media.redirect(`/hop-${encodeURIComponent(location)}.mp3`, location);
      const r = await add(hop);
      expect([r.status, r.json.error.code]).toEqual([400, 'INVALID_URL']);
      expect(r.json.error.message).toMatch(/redirects to an address that is not a valid link/);
    });

    it('answers 400 INVALID_URL when a station redirects to an invalid URL, by play and by mode switch', async () => {
      const hop = media.redirect('/station-hop.mp3', 'http://[zz');
      expect((await call('POST', stations, { name: 'Broken Hop', stream_url: hop })).status).toBe(201);
      const played = await call('POST', `/api/v1/radio/${G}/play`, { station: 'Broken Hop' });
      expect([played.status, played.json.error.code]).toEqual([400, 'INVALID_URL']);
      const switched = await call('POST', `/api/v1/mode/${G}`, { mode: 'radio', station: 'Broken Hop' });
      expect([switched.status, switched.json.error.code]).toEqual([400, 'INVALID_URL']);
    });
  });

  describe('text that PostgreSQL cannot store', () => {
    const good = () => ({ name: 'Good', stream_url: `${media.origin}/live.mp3` });

    it.each(['\u0000', '\ud800', '\udfff'])(
      'refuses %j in every field of a station with 400',
      async (bad) => {
        const variants = [
          { name: `a${bad}` },
          { stream_url: `${media.origin}/a${bad}.mp3` },
          { api_endpoint: `${media.origin}/np${bad}` },
          { api_key: `key${bad}` },
          { metadata_path: `title=a${bad}` },
          { codec: `mp${bad}` },
          { custom_headers: { 'x-a': `v${bad}` } },
        ];
        for (const variant of variants) {
          const r = await call('POST', stations, { ...good(), ...variant });
          expect([r.status, r.json.error.code], JSON.stringify(variant)).toEqual([400, 'INVALID_INPUT']);
        }
        const names = (await call('GET', stations)).json.data.stations.map((s: { name: string }) => s.name);
        expect(names).not.toContain('Good');
      },
    );

    it('refuses a NUL or a lone surrogate in a station name to delete, play or switch to', async () => {
      for (const path of [`${stations}/a%00`, `${stations}/%00`]) {
        const r = await call('DELETE', path);
        expect([r.status, r.json.error.code], path).toEqual([400, 'INVALID_INPUT']);
      }
      for (const station of ['a\u0000', 'a\ud800']) {
        const played = await call('POST', `/api/v1/radio/${G}/play`, { station });
        expect([played.status, played.json.error.code]).toEqual([400, 'INVALID_INPUT']);
        const switched = await call('POST', `/api/v1/mode/${G}`, { mode: 'radio', station });
        expect([switched.status, switched.json.error.code]).toEqual([400, 'INVALID_INPUT']);
      }
    });

    it('refuses the same through the actions a Discord command calls', async () => {
      // A DJ member as src/discord describes them: the slash commands call these actions.
      const dj = {
        guildId: G,
        actor: { userId: ALICE, displayName: 'dj', isAdmin: true, isDj: true, voiceChannelId: null },
      };
      for (const station of ['a\u0000', 'a\ud800']) {
        await expect(actions.radio.play(dj, { station })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
        await expect(actions.radio.switchMode(dj, { mode: 'radio', station })).rejects.toMatchObject({
          code: 'INVALID_INPUT',
        });
        await expect(actions.radio.removeStation(dj, { name: station })).rejects.toMatchObject({
          code: 'INVALID_INPUT',
        });
        await expect(
          actions.radio.saveStation(dj, {
            name: station,
            provider: 'icecast',
            streamUrl: `${media.origin}/x.mp3`,
          }),
        ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      }
    });

    it('answers 400, not 500, when a station saved before headers were checked is played', async () => {
      // Written by hand, as an older version could have saved it.
      await handle.db.execute(sql`insert into music_provider_config (community_id, name, provider_type, config)
        values (${G}, 'Old Headers', 'icecast', ${JSON.stringify({
          stream_url: media.serve('/old.mp3', toneFile(440, 5, 'mp3')),
          custom_headers: { 'x-a': 'a\r\nX-Injected: 1' },
        })}::jsonb)`);
      const before = media.requests.length;
      const r = await call('POST', `/api/v1/radio/${G}/play`, { station: 'Old Headers' });
      expect([r.status, r.json.error.code]).toEqual([400, 'INVALID_INPUT']);
      expect(r.json.error.message).toMatch(/header/);
      expect(media.requests.length).toBe(before);
    });

    it('refuses a header that cannot be sent at save time, not at play', async () => {
      for (const custom_headers of [
        { 'x-a': 'a\r\nX: 1' },
        { 'x-a': 'a\nb' },
        { 'x-a:b': 'v' },
        { '': 'v' },
        { 'x-a': 'emoji \u{1F3B5}' },
      ]) {
        const r = await call('POST', stations, { ...good(), name: 'Headers', custom_headers });
        expect([r.status, r.json.error.code], JSON.stringify(custom_headers)).toEqual([400, 'INVALID_INPUT']);
      }
      const names = (await call('GET', stations)).json.data.stations.map((s: { name: string }) => s.name);
      expect(names).not.toContain('Headers');
    });
  });

  it('answers a body with 60,000 unknown keys with a small 400', async () => {
    const body: Record<string, unknown> = { track_url: `${media.origin}/x.mp3`, requested_by_user_id: ALICE };
    for (let i = 0; i < 60_000; i++) body[`k${i}`] = i;
    const res = await fetch(`${base}/api/v1/queue/${G}/add`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_API_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    expect(res.status).toBe(400);
    expect(text.length).toBeLessThan(2_000);
    const error = JSON.parse(text).error;
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toBe('body: unknown fields "k0", "k1", "k2", "k3", "k4" and 59995 more');
  });

  it('bounds the list of issues and cuts long keys', async () => {
    const custom_headers: Record<string, string> = {};
    for (let i = 0; i < 5_000; i++) custom_headers[`x-${i}`] = 'bad\r\nvalue';
    const r = await call('POST', stations, {
      name: 'Many',
      stream_url: `${media.origin}/live.mp3`,
      custom_headers,
      [`k${'y'.repeat(10_000)}`]: 1,
    });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.json).length).toBeLessThan(3_000);
    expect(r.json.error.details.issues).toHaveLength(10);
    expect(r.json.error.details.omitted_issues).toBe(4_991);
  });

  it('logs a failing station write without its parameters, API key or header values', async () => {
    // A constraint only this test's database has makes the write fail inside PostgreSQL.
    await handle.db.execute(
      sql`alter table music_provider_config add constraint um_test_refuse check (name <> 'Refused')`,
    );
    const r = await call('POST', stations, {
      name: 'Refused',
      stream_url: `${media.origin}/live.mp3`,
      api_key: 'sk-live-VERY-SECRET',
      custom_headers: { 'X-Auth': 'header-SECRET-value' },
    });
    expect(r.status).toBe(500);
    const errors = logs.lines().filter((l) => l.level >= 50);
    expect(errors.length).toBeGreaterThan(0);
    const text = JSON.stringify(errors);
    expect(text).toContain('um_test_refuse');
    for (const secret of ['sk-live-VERY-SECRET', 'header-SECRET-value', 'params:']) {
      expect(text).not.toContain(secret);
    }
  });
});
