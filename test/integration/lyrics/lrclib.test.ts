import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import { LrclibClient, LyricsUnavailableError } from '../../../src/lyrics/lrclib.ts';
import { LyricsService } from '../../../src/lyrics/service.ts';
import { FakeLrclib } from '../../fakes/lrclib/index.ts';

const SYNCED = '[00:01.00]First line\n[00:05.50]Second line\n[00:09.00][00:20.00]Chorus';
const UA = 'unified-music/test (lyrics integration)';

describe('LRCLIB client and lyrics service against the fake LRCLIB', () => {
  let lrclib: FakeLrclib;
  const client = (timeoutMs?: number) =>
    new LrclibClient({ baseUrl: `${lrclib.url}/`, userAgent: UA, ...(timeoutMs ? { timeoutMs } : {}) });

  beforeAll(async () => {
    lrclib = await FakeLrclib.start();
    lrclib.add({
      track: 'Moonlight Drive',
      artist: 'The Tides',
      album: 'Shore',
      duration: 215,
      plain: 'First line\nSecond line',
      synced: SYNCED,
    });
    lrclib.add({
      track: 'Moonlight Drive',
      artist: 'The Tides',
      album: 'Live',
      duration: 300,
      plain: 'Live words',
    });
    lrclib.add({ track: 'Quiet Room', artist: 'Nobody', duration: 120, instrumental: true });
  });
  afterAll(() => lrclib.stop());
  afterEach(() => {
    lrclib.mode = 'ok';
    lrclib.requests.length = 0;
  });

  it('the fake is as strict as LRCLIB: 400 without track_name or artist_name, 400 for a search without words, 404 TrackNotFound', async () => {
    const get = (path: string) => fetch(`${lrclib.url}${path}`);
    expect((await get('/api/get?track_name=Moonlight+Drive')).status).toBe(400);
    expect((await get('/api/get?artist_name=The+Tides')).status).toBe(400);
    expect((await get('/api/search')).status).toBe(400);
    const missing = await get('/api/get?track_name=Nope&artist_name=Nobody');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 404, name: 'TrackNotFound' });
    expect((await get('/api/get/abc')).status).toBe(400);
  });

  it('gets a record by signature with album and duration in seconds, sending its User-Agent', async () => {
    const record = await client().get({
      track: 'Moonlight Drive',
      artist: 'The Tides',
      album: 'Shore',
      durationS: 214.6,
    });
    expect(record).toMatchObject({ trackName: 'Moonlight Drive', albumName: 'Shore', syncedLyrics: SYNCED });
    const [call] = lrclib.calls('/api/get');
    expect(call!.query).toEqual({
      track_name: 'Moonlight Drive',
      artist_name: 'The Tides',
      album_name: 'Shore',
      duration: '215',
    });
    expect(call!.userAgent).toBe(UA);
  });

  it('answers null for a signature LRCLIB does not know, and a list for a search', async () => {
    expect(await client().get({ track: 'Moonlight Drive', artist: 'The Tides', durationS: 100 })).toBeNull();
    expect((await client().search('tides moonlight')).map((r) => r.albumName)).toEqual(['Shore', 'Live']);
    expect(await client().search('no such words')).toEqual([]);
  });

  it('the service parses synced lines and keeps the answer: the second ask costs no request', async () => {
    const service = new LyricsService({ client: client(), clock: new ManualClock() });
    const track = {
      title: 'The Tides - Moonlight Drive (Official Video)',
      artist: 'TheTidesVEVO',
      album: null,
      durationMs: 215_300,
    };
    const first = await service.forTrack(track);
    expect(first).toMatchObject({
      title: 'Moonlight Drive',
      artist: 'The Tides',
      instrumental: false,
      durationMs: 215_000,
    });
    expect(first!.synced).toEqual([
      { ms: 1_000, text: 'First line' },
      { ms: 5_500, text: 'Second line' },
      { ms: 9_000, text: 'Chorus' },
      { ms: 20_000, text: 'Chorus' },
    ]);
    const requests = lrclib.requests.length;
    expect(await service.forTrack(track)).toEqual(first);
    expect(await service.byId(first!.id)).toEqual(first);
    expect(lrclib.requests.length).toBe(requests);
  });

  it('falls back to a search of about the same duration when the signature finds nothing', async () => {
    const service = new LyricsService({ client: client(), clock: new ManualClock() });
    const found = await service.forTrack({
      title: 'moonlight drive',
      artist: 'Tides',
      album: null,
      durationMs: 299_000,
    });
    expect(found).toMatchObject({ album: 'Live', plain: 'Live words', synced: null });
    expect(lrclib.calls('/api/get')).toHaveLength(1);
    expect(lrclib.calls('/api/search')[0]!.query).toEqual({ q: 'Tides moonlight drive' });
  });

  it('knows an instrumental, and keeps "not found" for a while, then asks again', async () => {
    const clock = new ManualClock();
    const service = new LyricsService({ client: client(), clock, missTtlMs: 60_000 });
    expect(await service.search('quiet room')).toMatchObject({
      instrumental: true,
      plain: null,
      synced: null,
    });
    expect(await service.search('nothing like this')).toBeNull();
    expect(await service.search('nothing like this')).toBeNull();
    expect(lrclib.calls('/api/search')).toHaveLength(2);
    clock.advance(60_001);
    expect(await service.search('nothing like this')).toBeNull();
    expect(lrclib.calls('/api/search')).toHaveLength(3);
  });

  it('says LRCLIB is unavailable on an error status and on a timeout, and keeps no failure', async () => {
    const service = new LyricsService({ client: client(2_000), clock: new ManualClock() });
    lrclib.mode = 'error';
    await expect(service.search('moonlight')).rejects.toBeInstanceOf(LyricsUnavailableError);
    lrclib.mode = 'hang';
    await expect(service.search('moonlight')).rejects.toBeInstanceOf(LyricsUnavailableError);
    lrclib.mode = 'ok';
    expect(await service.search('moonlight')).toMatchObject({ title: 'Moonlight Drive' });
  });

  it('says LRCLIB is unavailable when nothing listens at its address', async () => {
    const gone = await FakeLrclib.start();
    const url = gone.url;
    await gone.stop();
    const c = new LrclibClient({ baseUrl: url, userAgent: UA });
    await expect(c.search('anything')).rejects.toBeInstanceOf(LyricsUnavailableError);
  });
});
