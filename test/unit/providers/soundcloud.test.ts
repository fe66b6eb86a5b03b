import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { SoundCloudPlaylist, SoundCloudTrack } from 'play-dl';
import { describe, expect, it } from 'vitest';
import { trackSchema } from '../../../src/core/track.ts';
import { MediaAllowlist } from '../../../src/net/address-policy.ts';
import { SoundCloudProvider } from '../../../src/providers/soundcloud.ts';
import {
  isSoundCloudUrl,
  parseSoundCloudUrl,
  type SoundCloudPlaylistLike,
  type SoundCloudTrackLike,
  soundCloudTrack,
} from '../../../src/providers/soundcloud-map.ts';
import type { SoundCloudApi } from '../../../src/providers/soundcloud-playdl.ts';

const raw = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../fixtures/soundcloud/${name}`, import.meta.url), 'utf8'));
/** SoundCloud API v2 answers, turned into play-dl's own classes as play-dl does. */
const track = () => new SoundCloudTrack(raw('track.json')) as unknown as SoundCloudTrackLike;
const set = () => new SoundCloudPlaylist(raw('set.json'), 'client-id') as unknown as SoundCloudPlaylistLike;
const setRest = () =>
  (raw('set-rest-tracks.json').collection as unknown[]).map(
    (t) => new SoundCloudTrack(t) as unknown as SoundCloudTrackLike,
  );
const searchResults = () =>
  (raw('search-tracks.json').collection as unknown[]).map(
    (t) => new SoundCloudTrack(t) as unknown as SoundCloudTrackLike,
  );

/** Answers like play-dl would from the fixtures, and records what was asked. */
class FixtureSoundCloud implements SoundCloudApi {
  asked: string[] = [];
  fetchedSets = 0;
  failWith: Error | null = null;

  async resolve(url: string): Promise<SoundCloudTrackLike | SoundCloudPlaylistLike> {
    this.asked.push(url);
    if (this.failWith) throw this.failWith;
    if (url.includes('/sets/')) return set();
    if (url === 'https://soundcloud.com/lakeside-band/forest-rain-live') return track();
    throw new Error('Got 404 from the request');
  }
  async fetchTracks(playlist: SoundCloudPlaylistLike): Promise<SoundCloudTrackLike[]> {
    this.fetchedSets++;
    return [...playlist.tracks.filter((t) => t.fetched), ...setRest()];
  }
  async search(query: string): Promise<SoundCloudTrackLike[]> {
    this.asked.push(`search:${query}`);
    if (this.failWith) throw this.failWith;
    return searchResults();
  }
  async stream(): Promise<{ stream: Readable; type: string }> {
    return { stream: Readable.from([Buffer.from('OggS fake opus')]), type: 'ogg/opus' };
  }
}

const provider = (api = new FixtureSoundCloud()) =>
  new SoundCloudProvider({ allowlist: MediaAllowlist.parse(''), api });

describe('SoundCloud links', () => {
  it.each([
    [
      'https://soundcloud.com/lakeside-band/forest-rain-live',
      'track',
      'https://soundcloud.com/lakeside-band/forest-rain-live',
    ],
    [
      'https://m.soundcloud.com/lakeside-band/forest-rain-live?utm_source=clipboard&si=abc',
      'track',
      'https://soundcloud.com/lakeside-band/forest-rain-live',
    ],
    [
      'https://www.soundcloud.com/lakeside-band/forest-rain-live#t=0:30',
      'track',
      'https://soundcloud.com/lakeside-band/forest-rain-live',
    ],
    [
      'https://soundcloud.com/lakeside-band/secret-demo/s-AbC123xyz',
      'track',
      'https://soundcloud.com/lakeside-band/secret-demo/s-AbC123xyz',
    ],
    [
      'https://soundcloud.com/lakeside-band/sets/lake-sessions',
      'set',
      'https://soundcloud.com/lakeside-band/sets/lake-sessions',
    ],
    [
      'https://soundcloud.com/lakeside-band/sets/private-set/s-Q1w2E3',
      'set',
      'https://soundcloud.com/lakeside-band/sets/private-set/s-Q1w2E3',
    ],
    ['https://on.soundcloud.com/AbCdEf123', 'short', 'https://on.soundcloud.com/AbCdEf123'],
  ])('%s is a %s (%s)', (link, kind, url) => {
    expect(parseSoundCloudUrl(new URL(link))).toEqual({ kind, url });
  });

  it.each([
    'https://soundcloud.com/lakeside-band',
    'https://soundcloud.com/lakeside-band/likes',
    'https://soundcloud.com/lakeside-band/tracks',
    'https://soundcloud.com/lakeside-band/sets',
    'https://soundcloud.com/discover/sets/charts-top:all-music',
    'https://soundcloud.com/search?q=rain',
    'https://soundcloud.com/lakeside-band/forest-rain-live/comments',
    'https://soundcloud.com/',
    'https://on.soundcloud.com/',
  ])('%s is refused', (link) => {
    expect(() => parseSoundCloudUrl(new URL(link))).toThrow(expect.objectContaining({ code: 'INVALID_URL' }));
  });

  it('claims only SoundCloud hosts', () => {
    expect(isSoundCloudUrl(new URL('https://soundcloud.com/a/b'))).toBe(true);
    expect(isSoundCloudUrl(new URL('https://on.soundcloud.com/x'))).toBe(true);
    expect(isSoundCloudUrl(new URL('https://soundcloud.com.evil.example/a/b'))).toBe(false);
    expect(isSoundCloudUrl(new URL('https://api.soundcloud.com/tracks/1'))).toBe(false);
  });
});

describe("play-dl's SoundCloud objects as queue tracks", () => {
  it('maps a track: the publisher artist over the uploader, the permalink as the link', () => {
    expect(trackSchema.parse(soundCloudTrack(track()))).toEqual({
      id: '1234567890',
      title: 'Forest Rain (Live at the Lake)',
      artist: 'Lakeside Band feat. Mira',
      album: null,
      artworkUrl: 'https://i1.sndcdn.com/artworks-1234567890-0-large.jpg',
      durationMs: 245_123,
      provider: 'soundcloud',
      uri: 'https://soundcloud.com/lakeside-band/forest-rain-live',
      metadata: {},
    });
  });

  it("uses the uploader's avatar and name when the track has no artwork or publisher artist", () => {
    const [, second] = searchResults();
    expect(soundCloudTrack(second!)).toMatchObject({
      artist: 'Beat Maker',
      artworkUrl: 'https://i1.sndcdn.com/avatars-0001-abc-large.jpg',
    });
  });

  it('skips the bare ids SoundCloud sends for the rest of a set', () => {
    const tracks = set().tracks;
    expect(tracks).toHaveLength(8);
    expect(tracks.map((t) => soundCloudTrack(t)).filter(Boolean)).toHaveLength(3);
  });
});

describe('the SoundCloud provider', () => {
  it('resolves a track link to one track', async () => {
    const api = new FixtureSoundCloud();
    const tracks = await provider(api).resolve(
      new URL('https://m.soundcloud.com/lakeside-band/forest-rain-live?si=x'),
      {
        limit: 10,
      },
    );
    expect(tracks.map((t) => t.title)).toEqual(['Forest Rain (Live at the Lake)']);
    expect(api.asked).toEqual(['https://soundcloud.com/lakeside-band/forest-rain-live']);
  });

  it('takes the first N of a set, fetching the rest only when N needs them', async () => {
    const api = new FixtureSoundCloud();
    const sc = provider(api);
    const url = new URL('https://soundcloud.com/lakeside-band/sets/lake-sessions');
    expect((await sc.resolve(url, { limit: 2 })).map((t) => t.title)).toEqual(['Set song 1', 'Set song 2']);
    expect(api.fetchedSets).toBe(0);
    const five = await sc.resolve(url, { limit: 5 });
    expect(five.map((t) => t.title)).toEqual([
      'Set song 1',
      'Set song 2',
      'Set song 3',
      'Set song 4',
      'Set song 5',
    ]);
    expect(api.fetchedSets).toBe(1);
    for (const t of five) trackSchema.parse(t);
  });

  it('searches tracks', async () => {
    const api = new FixtureSoundCloud();
    const found = await provider(api).search('lofi beat', 1);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ title: 'Lofi beat one', artist: 'Beat Maker', durationMs: 120_000 });
    expect(api.asked).toEqual(['search:lofi beat']);
  });

  it('opens a track as Ogg/Opus for passthrough', async () => {
    const sc = provider();
    const [queued] = await sc.resolve(new URL('https://soundcloud.com/lakeside-band/forest-rain-live'), {
      limit: 1,
    });
    const audio = await sc.open(trackSchema.parse(queued), { seekMs: 5000 });
    expect(audio).toMatchObject({ type: 'ogg/opus', live: false, seekMs: 5000 });
    audio.close();
    audio.close();
  });

  it("turns play-dl's failures into plain words", async () => {
    const api = new FixtureSoundCloud();
    const sc = provider(api);
    await expect(
      sc.resolve(new URL('https://soundcloud.com/someone/missing'), { limit: 1 }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('private or deleted'),
    });
    api.failWith = new Error('Got 401 from the request');
    await expect(sc.search('x', 1)).rejects.toMatchObject({
      code: 'UPSTREAM_ERROR',
      message: expect.stringContaining('SOUNDCLOUD_CLIENT_ID'),
    });
    api.failWith = Object.assign(new Error('getaddrinfo ENOTFOUND api-v2.soundcloud.com'), {
      code: 'ENOTFOUND',
    });
    await expect(sc.search('x', 1)).rejects.toMatchObject({ code: 'UPSTREAM_ERROR' });
    expect(sc.health()).toEqual({
      ok: false,
      detail: { resolver: 'play-dl', last_error: expect.stringContaining('ENOTFOUND') },
    });
  });
});
