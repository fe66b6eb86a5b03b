import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import { UserError } from '../../../src/core/errors.ts';
import { InMemoryEventBus } from '../../../src/core/events.ts';
import { silentLogger } from '../../../src/core/logger.ts';
import type { TrackInput } from '../../../src/core/track.ts';
import { modeRoutes } from '../../../src/http/routes/mode.ts';
import { playbackRoutes } from '../../../src/http/routes/playback.ts';
import { type ProviderCatalog, providerRoutes } from '../../../src/http/routes/providers.ts';
import { settingsRoutes } from '../../../src/http/routes/settings.ts';
import { statusRoutes } from '../../../src/http/routes/status.ts';
import type { HttpServer } from '../../../src/http/server.ts';
import { ModeController, type ModeEvent } from '../../../src/mode/controller.ts';
import { LocalLock } from '../../../src/mode/lock.ts';
import { MusicPlayer, type PlayerEvent } from '../../../src/playback/player.ts';
import type { QueueEvent } from '../../../src/queue/events.ts';
import { QueueService } from '../../../src/queue/service.ts';
import { MemoryRadioStateRepository } from '../../../src/storage/db/radio-state-memory.ts';
import { MemoryQueueStore } from '../../../src/storage/queue/memory-store.ts';
import { testActions } from '../../support/actions.ts';
import { apiClient, testServer } from '../../support/api.ts';
import { snowflake, track } from '../../support/tracks.ts';
import { RecordingVoice, TitleStreams } from '../../unit/playback/recording.ts';

const TOKEN = 'test-token-0123456789abcdef';
const G = snowflake(1);
const IDLE = snowflake(9);
const UNKNOWN = snowflake(77);
const ALICE = snowflake(2);
const CHANNEL = snowflake(50);

/** Two providers: one that searches, one that only resolves links. */
const catalog: ProviderCatalog = {
  list: () => [
    { name: 'tones', canSearch: true },
    { name: 'http', canSearch: false },
  ],
  health: () => ({ tones: { ok: true, detail: { resolver: 'local' } }, http: { ok: false, detail: 'down' } }),
  search: async (name, query, limit): Promise<TrackInput[]> => {
    if (name !== 'tones') throw new UserError('INVALID_INPUT', `The ${name} provider cannot search.`);
    return Array.from({ length: 40 }, (_, i) =>
      track({ title: `${query} ${i + 1}`, provider: 'tones' }),
    ).slice(0, limit);
  },
};

describe('playback, mode, settings, provider and status routes over real HTTP', () => {
  let server: HttpServer;
  let base: string;
  let queue: QueueService;
  let player: MusicPlayer;
  let voice: RecordingVoice;
  const modeEvents: ModeEvent[] = [];

  beforeAll(async () => {
    const clock = new ManualClock();
    queue = new QueueService({
      store: new MemoryQueueStore({ ttlSeconds: 3600, historyLimit: 50, clock }),
      bus: new InMemoryEventBus<QueueEvent>(),
      clock,
      limits: () => ({ maxLength: 100, maxPerUser: 100 }),
    });
    voice = new RecordingVoice();
    player = new MusicPlayer({
      queue,
      voice,
      streams: new TitleStreams(),
      clock,
      logger: silentLogger(),
      bus: new InMemoryEventBus<PlayerEvent>(),
      idleTimeoutMs: 300_000,
      stayInVoice: async () => false,
    });
    const radioState = new MemoryRadioStateRepository();
    const modeBus = new InMemoryEventBus<ModeEvent>();
    modeBus.subscribe((e) => modeEvents.push(e));
    const mode = new ModeController({
      store: { load: (g) => radioState.get(g), save: (state) => radioState.save(state) },
      lock: new LocalLock(),
      music: {
        isPlaying: (g) => player.state(g).kind === 'playing',
        pause: (g) => player.pause(g),
        resume: (g) => player.resume(g),
      },
      radio: null,
      bus: modeBus,
      clock,
      logger: silentLogger(),
    });
    const known = new Set([G, IDLE]);
    const hasCommunity = (g: string) => known.has(g);
    server = testServer(TOKEN);
    server.add(
      ...playbackRoutes({ actions: testActions({ queue, playback: player }), hasCommunity }),
      ...modeRoutes({ actions: testActions({ queue, mode }), hasCommunity }),
      ...settingsRoutes({ actions: testActions({ queue }), hasCommunity }),
      ...providerRoutes(catalog),
      ...statusRoutes({
        version: '9.9.9',
        startedAt: 0,
        now: () => 61_000,
        routes: () => server.routes(),
        status: async () => ({ running_as: 'api-only' }),
      }),
    );
    base = `http://127.0.0.1:${(await server.listen()).port}`;
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    if (player.status(G).channelId) await player.stop(G).catch(() => {});
    await queue.clear(G);
  });

  const call = (method: string, path: string, body?: unknown) => apiClient(base, TOKEN)(method, path, body);
  const startPlaying = async (...titles: string[]) => {
    for (const title of titles) await queue.add(G, track({ title }), ALICE);
    await player.ensurePlaying(G, CHANNEL);
  };

  describe('playback', () => {
    it('answers 409 NOT_CONNECTED for every control when the bot is in no voice channel', async () => {
      for (const action of ['play', 'pause', 'resume', 'stop', 'skip']) {
        const r = await call('POST', `/api/v1/playback/${IDLE}/${action}`);
        expect(r.status, action).toBe(409);
        expect(r.json.error.code).toBe('NOT_CONNECTED');
      }
      const v = await call('POST', `/api/v1/playback/${IDLE}/volume`, { volume: 50 });
      expect([v.status, v.json.error.code]).toEqual([409, 'NOT_CONNECTED']);
    });

    it('now-playing is 204 with nothing playing, then the item with its position', async () => {
      expect((await call('GET', `/api/v1/playback/${G}/now-playing`)).status).toBe(204);
      await startPlaying('A');
      const r = await call('GET', `/api/v1/playback/${G}/now-playing`);
      expect(r.status).toBe(200);
      expect(r.json.data).toMatchObject({
        track: { name: 'A' },
        status: 'playing',
        position_ms: 0,
        paused: false,
      });
    });

    it('pauses, resumes, sets the volume, skips and stops, answering the state each time', async () => {
      await startPlaying('A', 'B');
      const paused = await call('POST', `/api/v1/playback/${G}/pause`);
      expect(paused.json.data).toMatchObject({ state: 'paused', is_paused: true, voice_channel_id: CHANNEL });
      expect((await call('POST', `/api/v1/playback/${G}/pause`)).json.error.code).toBe('CONFLICT');
      expect((await call('POST', `/api/v1/playback/${G}/resume`)).json.data.state).toBe('playing');
      const volume = await call('POST', `/api/v1/playback/${G}/volume`, { volume: 30 });
      expect(volume.json.data).toMatchObject({ volume: 30, state: 'playing' });
      expect(voice.sessions.at(-1)!.volumes.at(-1)).toBe(30);
      const skipped = await call('POST', `/api/v1/playback/${G}/skip`);
      expect(skipped.json.data.current_queue_item.track.name).toBe('B');
      const stopped = await call('POST', `/api/v1/playback/${G}/stop`);
      expect(stopped.json.data).toMatchObject({ state: 'idle', voice_channel_id: null });
    });

    it('refuses a bad volume with 400 and changes nothing', async () => {
      await startPlaying('A');
      const before = player.volume(G);
      for (const body of [{ volume: 101 }, { volume: -1 }, { volume: 'loud' }, { volume: 5, extra: 1 }, {}]) {
        const r = await call('POST', `/api/v1/playback/${G}/volume`, body);
        expect(r.status, JSON.stringify(body)).toBe(400);
        expect(r.json.error.code).toBe('INVALID_INPUT');
      }
      expect(player.volume(G)).toBe(before);
    });

    it('sets a filter preset and eq gains, answering the filter, and shows it in the state and now-playing', async () => {
      await startPlaying('A');
      expect((await call('GET', `/api/v1/playback/${G}/filter`)).json.data).toEqual({
        community_id: G,
        preset: null,
        eq: { bass: 0, mid: 0, treble: 0 },
        speed: 1,
        label: 'off',
      });
      const set = await call('PUT', `/api/v1/playback/${G}/filter`, { preset: 'nightcore' });
      expect(set.status).toBe(200);
      expect(set.json.data).toMatchObject({ preset: 'nightcore', speed: 1.25, label: 'nightcore ×1.25' });
      const eq = await call('PUT', `/api/v1/playback/${G}/eq`, { bass: 6, treble: -3 });
      expect(eq.json.data).toMatchObject({
        preset: 'nightcore',
        eq: { bass: 6, mid: 0, treble: -3 },
        label: 'nightcore ×1.25 + eq bass +6 dB, treble -3 dB',
      });
      expect(voice.sessions.at(-1)!.filters.at(-1)).toMatch(/^bass=g=6:.*asetrate=60000/);
      const state = await call('GET', `/api/v1/playback/${G}/state`);
      expect(state.json.data.filter).toMatchObject({ preset: 'nightcore', speed: 1.25 });
      const np = await call('GET', `/api/v1/playback/${G}/now-playing`);
      expect(np.json.data.filter).toMatchObject({ label: 'nightcore ×1.25 + eq bass +6 dB, treble -3 dB' });
      const off = await call('PUT', `/api/v1/playback/${G}/filter`, { preset: 'off' });
      expect(off.json.data).toMatchObject({ preset: null, eq: { bass: 0, mid: 0, treble: 0 }, label: 'off' });
    });

    it('refuses bad filter and eq bodies with 400 and changes nothing', async () => {
      await startPlaying('A');
      await call('PUT', `/api/v1/playback/${G}/eq`, { mid: 2 });
      for (const body of [{ preset: 'chipmunk' }, { preset: 'nightcore', extra: 1 }, {}, { preset: 3 }]) {
        const r = await call('PUT', `/api/v1/playback/${G}/filter`, body);
        expect(r.status, JSON.stringify(body)).toBe(400);
        expect(r.json.error.code).toBe('INVALID_INPUT');
      }
      for (const body of [{ bass: 13 }, { treble: -13 }, { mid: 0.5 }, { bass: '6' }, { gain: 1 }, {}]) {
        const r = await call('PUT', `/api/v1/playback/${G}/eq`, body);
        expect(r.status, JSON.stringify(body)).toBe(400);
        expect(r.json.error.code).toBe('INVALID_INPUT');
      }
      expect(player.filter(G)).toEqual({ preset: null, eq: { bass: 0, mid: 2, treble: 0 } });
      await call('PUT', `/api/v1/playback/${G}/filter`, { preset: 'off' });
    });

    it('refuses a filter with nothing playing (409 NOT_CONNECTED, 404 NOTHING_PLAYING) and on a live stream (409)', async () => {
      const idle = await call('PUT', `/api/v1/playback/${IDLE}/filter`, { preset: 'karaoke' });
      expect([idle.status, idle.json.error.code]).toEqual([409, 'NOT_CONNECTED']);
      await startPlaying('A');
      await player.skip(G); // in the channel, with nothing left to play
      const none = await call('PUT', `/api/v1/playback/${G}/eq`, { bass: 1 });
      expect([none.status, none.json.error.code]).toEqual([404, 'NOTHING_PLAYING']);
      await queue.add(G, track({ title: 'Song' }), ALICE);
      await queue.add(G, track({ title: 'Live', durationMs: null, metadata: { live: true } }), ALICE);
      await queue.add(G, track({ title: 'After' }), ALICE);
      await player.ensurePlaying(G, CHANNEL);
      expect((await call('PUT', `/api/v1/playback/${G}/filter`, { preset: 'vaporwave' })).status).toBe(200);
      await player.skip(G);
      const live = await call('PUT', `/api/v1/playback/${G}/filter`, { preset: 'nightcore' });
      expect(live.status).toBe(409);
      expect(live.json.error).toMatchObject({
        code: 'CONFLICT',
        message: expect.stringContaining('live stream'),
      });
      // The live stream is heard unfiltered; the session keeps its filter for the songs after it.
      const state = await call('GET', `/api/v1/playback/${G}/state`);
      expect(state.json.data.filter).toMatchObject({ label: 'off', speed: 1 });
      expect((await call('GET', `/api/v1/playback/${G}/filter`)).json.data.label).toBe('vaporwave ×0.8');
      await player.skip(G);
      expect((await call('GET', `/api/v1/playback/${G}/state`)).json.data.filter.label).toBe(
        'vaporwave ×0.8',
      );
      expect(voice.sessions.at(-1)!.filters.slice(-3)).toEqual([
        expect.stringContaining('asetrate=38400'),
        null,
        expect.stringContaining('asetrate=38400'),
      ]);
      await call('PUT', `/api/v1/playback/${G}/filter`, { preset: 'off' });
    });

    it('reports the state of an idle guild, and 404 for a guild the bot is not in', async () => {
      const r = await call('GET', `/api/v1/playback/${IDLE}/state`);
      expect(r.json.data).toMatchObject({
        state: 'idle',
        is_playing: false,
        current_queue_item: null,
        loop: 'off',
      });
      expect((await call('GET', `/api/v1/playback/${UNKNOWN}/state`)).status).toBe(404);
      expect((await call('GET', '/api/v1/playback/12/state')).status).toBe(400);
    });
  });

  describe('mode', () => {
    it('starts at none, switches to music, pausing nothing, and emits mode_change', async () => {
      const before = await call('GET', `/api/v1/mode/${IDLE}`);
      expect(before.json.data).toMatchObject({
        community_id: IDLE,
        active_mode: 'none',
        previous_mode: null,
      });
      const r = await call('POST', `/api/v1/mode/${IDLE}`, { mode: 'music' });
      expect(r.json.data).toMatchObject({ active_mode: 'music', previous_mode: 'none' });
      expect(modeEvents.at(-1)).toMatchObject({ guildId: IDLE, state: { mode: 'music' } });
    });

    it('refuses a mode other than music, radio or none with 400', async () => {
      for (const body of [{ mode: 'disco' }, { mode: 1 }, {}, { mode: 'music', x: 1 }]) {
        const r = await call('POST', `/api/v1/mode/${G}`, body);
        expect(r.status, JSON.stringify(body)).toBe(400);
      }
      expect((await call('GET', `/api/v1/mode/${UNKNOWN}`)).status).toBe(404);
    });
  });

  describe('settings', () => {
    it('reads the defaults and patches some fields', async () => {
      const r = await call('GET', `/api/v1/settings/${G}`);
      expect(r.json.data).toMatchObject({ default_volume: 100, stay_in_voice: false, dj_role_id: null });
      const p = await call('PATCH', `/api/v1/settings/${G}`, { default_volume: 40, stay_in_voice: true });
      expect(p.json.data).toMatchObject({ default_volume: 40, stay_in_voice: true, vote_skip_ratio: 0.5 });
    });

    it('refuses unknown fields and bad values, writing nothing', async () => {
      for (const body of [
        { volume: 3 },
        { default_volume: 101 },
        { dj_role_id: 'abc' },
        { vote_skip_ratio: 2 },
      ]) {
        expect((await call('PATCH', `/api/v1/settings/${IDLE}`, body)).status, JSON.stringify(body)).toBe(
          400,
        );
      }
      expect((await call('GET', `/api/v1/settings/${IDLE}`)).json.data.default_volume).toBe(100);
    });
  });

  describe('providers', () => {
    it('lists the providers with their health, and one by name', async () => {
      const r = await call('GET', '/api/v1/providers');
      expect(r.json.data.providers).toEqual([
        { name: 'tones', can_search: true, healthy: true, detail: { resolver: 'local' } },
        { name: 'http', can_search: false, healthy: false, detail: 'down' },
      ]);
      expect((await call('GET', '/api/v1/providers/http/status')).json.data.healthy).toBe(false);
      const missing = await call('GET', '/api/v1/providers/nope/status');
      expect([missing.status, missing.json.error.code]).toEqual([404, 'NOT_FOUND']);
    });

    it('searches with a limit and maps to the seed track fields', async () => {
      const r = await call('POST', '/api/v1/providers/tones/search', { query: 'moon', limit: 3 });
      expect(r.status).toBe(200);
      expect(r.json.data.tracks).toHaveLength(3);
      expect(r.json.data.tracks[0]).toMatchObject({
        name: 'moon 1',
        provider: 'tones',
        duration_ms: 180_000,
      });
      expect(
        (await call('POST', '/api/v1/providers/tones/search', { query: 'moon' })).json.data.tracks,
      ).toHaveLength(10);
    });

    it('refuses a bad search with 400, and search on a provider that cannot', async () => {
      for (const body of [
        {},
        { query: '' },
        { query: 'x', limit: 0 },
        { query: 'x', limit: 26 },
        { q: 'x' },
      ]) {
        expect(
          (await call('POST', '/api/v1/providers/tones/search', body)).status,
          JSON.stringify(body),
        ).toBe(400);
      }
      const r = await call('POST', '/api/v1/providers/http/search', { query: 'x' });
      expect([r.status, r.json.error.code]).toEqual([400, 'INVALID_INPUT']);
    });
  });

  describe('status and OpenAPI', () => {
    it('answers the status with version and uptime', async () => {
      const r = await call('GET', '/api/v1/status');
      expect(r.json.data).toEqual({
        service: 'unified-music',
        version: '9.9.9',
        uptime_seconds: 61,
        running_as: 'api-only',
      });
    });

    it('describes every route it serves, with the request bodies from the validating schemas', async () => {
      const res = await fetch(`${base}/api/v1/openapi.json`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      // biome-ignore lint/suspicious/noExplicitAny: a JSON document walked by path
      const doc: any = await res.json();
      expect(doc.openapi).toBe('3.1.0');
      for (const route of server.routes()) {
        expect(
          doc.paths[route.path]?.[route.method.toLowerCase()],
          `${route.method} ${route.path}`,
        ).toBeDefined();
      }
      const volume = doc.paths['/api/v1/playback/{community_id}/volume'].post;
      expect(volume.requestBody.content['application/json'].schema).toMatchObject({
        type: 'object',
        properties: { volume: { type: 'integer', minimum: 0, maximum: 100 } },
        required: ['volume'],
        additionalProperties: false,
      });
      expect(volume.parameters[0]).toMatchObject({ name: 'community_id', in: 'path', required: true });
      expect(volume.security).toEqual([{ bearer: [] }]);
      const search = doc.paths['/api/v1/providers/{provider}/search'].post;
      expect(search.requestBody.content['application/json'].schema.required).toEqual(['query']);
    });
  });
});
