import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import { InMemoryEventBus } from '../../../src/core/events.ts';
import { silentLogger } from '../../../src/core/logger.ts';
import { radioRoutes } from '../../../src/http/routes/radio.ts';
import type { HttpServer } from '../../../src/http/server.ts';
import { ModeController, type ModeEvent } from '../../../src/mode/controller.ts';
import { LocalLock } from '../../../src/mode/lock.ts';
import { MediaAllowlist } from '../../../src/net/address-policy.ts';
import type { RadioEvent } from '../../../src/radio/events.ts';
import { StationPollers } from '../../../src/radio/pollers.ts';
import { RadioService } from '../../../src/radio/service.ts';
import { MemoryRadioStateRepository } from '../../../src/storage/db/radio-state-memory.ts';
import { MemoryStationRepository } from '../../../src/storage/db/station-memory.ts';
import { testActions, unusedQueue } from '../../support/actions.ts';
import { apiClient, testServer } from '../../support/api.ts';
import { MediaServer } from '../../support/media-server.ts';
import { toneFile } from '../../support/tones.ts';
import { snowflake } from '../../support/tracks.ts';

const TOKEN = 'radio-routes-token-0123456789';
const G = snowflake(1);
const UNKNOWN = snowflake(99);

describe('radio routes over real HTTP', () => {
  let server: HttpServer;
  let base: string;
  let media: MediaServer;
  let radio: RadioService;
  let stream: string;
  const contacted: string[] = [];

  beforeAll(async () => {
    media = await MediaServer.start('127.0.0.3');
    stream = media.serve('/station.mp3', toneFile(440, 30, 'mp3'));
    // Only the media server's 127.0.0.3 is let through; the SSRF cases below point elsewhere.
    const allowlist = MediaAllowlist.parse('127.0.0.3/32');
    const clock = new ManualClock();
    radio = new RadioService({
      stations: new MemoryStationRepository(),
      voice: null,
      allowlist,
      pollers: new StationPollers({ allowlist, clock, logger: silentLogger() }),
      bus: new InMemoryEventBus<RadioEvent>(),
      clock,
      logger: silentLogger(),
    });
    const state = new MemoryRadioStateRepository();
    const mode = new ModeController({
      store: { load: (g) => state.get(g), save: (s) => state.save(s) },
      lock: new LocalLock(),
      music: { isPlaying: () => false, pause: async () => {}, resume: async () => {} },
      radio,
      bus: new InMemoryEventBus<ModeEvent>(),
      clock,
      logger: silentLogger(),
    });
    server = testServer(TOKEN);
    server.add(
      ...radioRoutes({
        actions: testActions({ queue: unusedQueue(), radio, mode }),
        hasCommunity: (g) => g === G,
      }),
    );
    base = `http://127.0.0.1:${(await server.listen()).port}`;
    media.raw.on('request', (req) => contacted.push(req.url ?? ''));
  });
  afterAll(async () => {
    await radio.close();
    await server.close();
    await media.close();
  });

  const call = (method: string, path: string, body?: unknown) => apiClient(base, TOKEN)(method, path, body);
  const stations = `/api/v1/radio/${G}/stations`;

  it('adds a station and lists it with the API key and every header value masked', async () => {
    const added = await call('POST', stations, {
      name: 'Night & Day',
      provider: 'json',
      stream_url: stream,
      api_endpoint: `${media.origin}/np.json`,
      api_key: 'super-secret-key',
      metadata_path: 'title=now.title;artist=now.artist',
      custom_headers: { 'X-Auth': 'hunter2', 'X-Other': 'also-secret' },
    });
    expect(added.status).toBe(201);
    expect(added.json.data).toMatchObject({ name: 'Night & Day', api_key: '********' });
    const listed = await call('GET', stations);
    const text = JSON.stringify(listed.json);
    expect(text).not.toContain('super-secret-key');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('also-secret');
    expect(listed.json.data.stations[0].custom_headers).toEqual({
      'X-Auth': '********',
      'X-Other': '********',
    });
  });

  it.each([
    ['loopback (not allowlisted)', 'http://127.0.0.2/live.mp3', 403, 'FORBIDDEN_ADDRESS'],
    ['a private address', 'http://10.1.2.3/live.mp3', 403, 'FORBIDDEN_ADDRESS'],
    ['the metadata address', 'http://169.254.169.254/latest', 403, 'FORBIDDEN_ADDRESS'],
    ['IPv6 loopback', 'http://[::1]/live.mp3', 403, 'FORBIDDEN_ADDRESS'],
    ['IPv6 link-local', 'http://[fe80::1]/live.mp3', 403, 'FORBIDDEN_ADDRESS'],
    ['IPv4-mapped IPv6 loopback', 'http://[::ffff:127.0.0.2]/live.mp3', 403, 'FORBIDDEN_ADDRESS'],
    ['a name that resolves to loopback', 'http://localhost/live.mp3', 403, 'FORBIDDEN_ADDRESS'],
    ['another scheme', 'ftp://example.org/live.mp3', 400, 'INVALID_URL'],
    ['not a URL', 'live.mp3', 400, 'INVALID_URL'],
  ])('refuses a station on %s (%s) with %i %s, saving nothing', async (_what, url, status, code) => {
    const before = contacted.length;
    const r = await call('POST', stations, { name: 'Bad', stream_url: url });
    expect([r.status, r.json.success, r.json.error.code]).toEqual([status, false, code]);
    const api = await call('POST', stations, { name: 'Bad', stream_url: stream, api_endpoint: url });
    expect([api.status, api.json.error.code]).toEqual([status, code]);
    expect(
      (await call('GET', stations)).json.data.stations.map((s: { name: string }) => s.name),
    ).not.toContain('Bad');
    expect(contacted.length).toBe(before);
  });

  it('refuses a redirect to a private address when it connects', async () => {
    const hop = media.redirect('/hop.mp3', 'http://10.0.0.7/live.mp3');
    await call('POST', stations, { name: 'Hop', stream_url: hop });
    const r = await call('POST', `/api/v1/radio/${G}/play`, { station: 'Hop' });
    expect([r.status, r.json.error.code]).toEqual([403, 'FORBIDDEN_ADDRESS']);
  });

  it('plays a station by its URL-encoded name, answers now-playing, and stops', async () => {
    const r = await call('POST', `/api/v1/radio/${G}/play`, { station: 'Night & Day' });
    expect(r.status).toBe(200);
    expect(r.json.data).toMatchObject({ station: 'Night & Day', state: 'playing', in_voice: false });
    const np = await call('GET', `/api/v1/radio/${G}/now-playing`);
    expect(np.json.data).toMatchObject({ station: 'Night & Day', provider: 'json' });
    const stopped = await call('POST', `/api/v1/radio/${G}/stop`);
    expect(stopped.json.data).toEqual({
      station: null,
      provider: null,
      state: 'stopped',
      reason: null,
      in_voice: false,
      now_playing: null,
    });
  });

  it('answers 404 STATION_NOT_FOUND for playing or deleting an unknown station, 404 for an unknown community', async () => {
    const play = await call('POST', `/api/v1/radio/${G}/play`, { station: 'Nope' });
    expect([play.status, play.json.error.code]).toEqual([404, 'STATION_NOT_FOUND']);
    const del = await call('DELETE', `${stations}/${encodeURIComponent('No Such / Station')}`);
    expect([del.status, del.json.error.code]).toEqual([404, 'STATION_NOT_FOUND']);
    expect((await call('GET', `/api/v1/radio/${UNKNOWN}/stations`)).status).toBe(404);
  });

  it('deletes a station by its URL-encoded name', async () => {
    const r = await call('DELETE', `${stations}/${encodeURIComponent('Night & Day')}`);
    expect(r.json.data).toEqual({ deleted: 'Night & Day' });
    expect((await call('GET', stations)).json.data.stations.map((s: { name: string }) => s.name)).toEqual([
      'Hop',
    ]);
  });

  it('refuses malformed station bodies with 400', async () => {
    for (const body of [
      {},
      { name: '', stream_url: stream },
      { name: 'X', stream_url: stream, extra: 1 },
      { name: 'X' },
    ]) {
      expect((await call('POST', stations, body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await call('POST', `/api/v1/radio/${G}/play`, {})).status).toBe(400);
  });
});
