import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryEventBus } from '../../../src/core/events.ts';
import type { Track } from '../../../src/core/track.ts';
import type { PlayableStream } from '../../../src/playback/ports.ts';
import { ProviderRegistry } from '../../../src/providers/registry.ts';
import { SpotifyProvider } from '../../../src/providers/spotify.ts';
import { YouTubeProvider } from '../../../src/providers/youtube.ts';
import { QueueService } from '../../../src/queue/service.ts';
import type { SpotifyMode } from '../../../src/storage/db/guild-settings.ts';
import { MemoryQueueStore } from '../../../src/storage/queue/memory-store.ts';
import { spotifyId } from '../../fakes/spotify/index.ts';
import { FakeYouTubeDataApi } from '../../fakes/youtube/data-api.ts';
import { snowflake } from '../../support/tracks.ts';
import { link, type SpotifyRig, spotifyRig } from './harness.ts';

const G = snowflake(1);
const UNLINKED = snowflake(2);
const ALICE = snowflake(10);
const SUNRISE = spotifyId('sunrise');
const DUSK = spotifyId('dusk');
const NOWHERE = spotifyId('nowhere');
const ALBUM = spotifyId('albumday');
const PLAYLIST = spotifyId('mixtape');

describe('Spotify links and searches through the Spotify provider (fake Spotify, fake Data API)', () => {
  let rig: SpotifyRig;
  let api: FakeYouTubeDataApi;
  let provider: SpotifyProvider;
  let registry: ProviderRegistry;
  const opened: Track[] = [];
  const modes = new Map<string, SpotifyMode>();

  beforeAll(async () => {
    rig = await spotifyRig();
    api = await FakeYouTubeDataApi.start('spotify-match-key');
    const c = rig.fake.catalog;
    c.addTrack({
      id: SUNRISE,
      name: 'Sunrise',
      artists: ['Dawn Band', 'Guest'],
      durationMs: 200_000,
      isrc: 'QZAAA2600001',
    });
    c.addTrack({ id: DUSK, name: 'Dusk', artists: ['Dawn Band'], durationMs: 150_000, isrc: 'QZAAA2600002' });
    c.addTrack({
      id: NOWHERE,
      name: 'Nowhere',
      artists: ['Nobody'],
      durationMs: 99_000,
      isrc: 'QZAAA2600003',
    });
    c.addAlbum({ id: ALBUM, name: 'Day', trackIds: [SUNRISE, null, DUSK, NOWHERE] });
    c.addPlaylist({ id: PLAYLIST, name: 'Mix', trackIds: [NOWHERE, DUSK, SUNRISE] });
    // Sunrise's label upload carries its ISRC; Dusk is only found by artist and title.
    api.addVideo('sunriseIsrc', 201, 'Dawn Band - Sunrise (QZAAA2600001)');
    api.addVideo('duskVideo01', 300, 'Dawn Band Dusk (extended live version)');
    api.addVideo('duskAudio01', 151, 'Dawn Band - Dusk (Official Audio)');
    await link(rig, G);
    const youtube = new YouTubeProvider({ apiKey: api.apiKey, apiUrl: api.url });
    provider = new SpotifyProvider({
      youtube: {
        search: (q, limit) => youtube.search(q, limit),
        open: async (track): Promise<PlayableStream> => {
          opened.push(track);
          throw new Error('audio is not opened in this test');
        },
      },
    });
    provider.connect({ catalog: rig.service, mode: async (g) => modes.get(g) ?? 'voice' });
    registry = new ProviderRegistry([youtube, provider]);
  });
  afterAll(async () => {
    await rig?.close();
    await api?.close();
  });

  it('voice mode: a track link keeps the Spotify metadata and records its YouTube match', async () => {
    const [track] = await registry.resolve(`https://open.spotify.com/track/${SUNRISE}?si=abc`, {
      limit: 10,
      guildId: G,
    });
    expect(track).toEqual({
      id: SUNRISE,
      title: 'Sunrise',
      artist: 'Dawn Band, Guest',
      album: 'Test Album',
      artworkUrl: `https://i.scdn.test/${SUNRISE}/640`,
      durationMs: 200_000,
      provider: 'spotify',
      uri: `spotify:track:${SUNRISE}`,
      metadata: {
        isrc: 'QZAAA2600001',
        spotify_url: `https://open.spotify.com/track/${SUNRISE}`,
        youtube_id: 'sunriseIsrc',
        youtube_title: 'Dawn Band - Sunrise (QZAAA2600001)',
        match: 'isrc',
      },
    });
    const queue = new QueueService({
      store: new MemoryQueueStore({ ttlSeconds: 60, historyLimit: 10, clock: rig.clock }),
      bus: new InMemoryEventBus(),
      clock: rig.clock,
      limits: () => ({ maxLength: 10, maxPerUser: 10 }),
    });
    const { item } = await queue.add(G, track!, ALICE);
    expect(item.track.metadata.youtube_id).toBe('sunriseIsrc');
  });

  it('voice mode: picks the video of the same length, and opens the recorded match without searching', async () => {
    const [track] = await registry.resolve(`spotify:track:${DUSK}`, { limit: 1, guildId: G });
    expect(track?.metadata).toMatchObject({ youtube_id: 'duskAudio01', match: 'search' });
    const searches = api.requests.filter((u) => u.pathname.endsWith('/search')).length;
    await expect(provider.open(track as Track, {})).rejects.toThrow('audio is not opened');
    expect(opened.at(-1)).toMatchObject({ id: 'duskAudio01', provider: 'youtube', title: 'Dusk' });
    expect(api.requests.filter((u) => u.pathname.endsWith('/search')).length).toBe(searches);
  });

  it('voice mode: an album queues its matched tracks in order (by artist and title: album listings carry no ISRC) and leaves out what has no match', async () => {
    const tracks = await registry.resolve(`https://open.spotify.com/album/${ALBUM}`, {
      limit: 10,
      guildId: G,
    });
    expect(tracks.map((t) => [t.title, t.metadata?.youtube_id, t.metadata?.match])).toEqual([
      ['Sunrise', 'sunriseIsrc', 'search'],
      ['Dusk', 'duskAudio01', 'search'],
    ]);
  });

  it('voice mode: a single track with no match is refused in plain words', async () => {
    await expect(
      registry.resolve(`spotify:track:${NOWHERE}`, { limit: 1, guildId: G }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('no YouTube video of "Nowhere"'),
    });
  });

  it('device mode: a playlist is queued as Spotify items, up to the limit, with no YouTube search', async () => {
    modes.set(G, 'device');
    const before = api.requests.length;
    const tracks = await registry.resolve(`https://open.spotify.com/playlist/${PLAYLIST}`, {
      limit: 2,
      guildId: G,
    });
    modes.delete(G);
    expect(tracks.map((t) => t.uri)).toEqual([`spotify:track:${NOWHERE}`, `spotify:track:${DUSK}`]);
    expect(tracks.every((t) => t.provider === 'spotify' && !('youtube_id' in (t.metadata ?? {})))).toBe(true);
    expect(api.requests.length).toBe(before);
  });

  it('device mode: an item queued without a match is matched when voice opens it', async () => {
    modes.set(G, 'device');
    const [track] = await registry.resolve(`spotify:track:${SUNRISE}`, { limit: 1, guildId: G });
    modes.delete(G);
    await expect(
      provider.open({ ...(track as Track), metadata: { isrc: 'QZAAA2600001' } }, {}),
    ).rejects.toThrow();
    expect(opened.at(-1)).toMatchObject({ id: 'sunriseIsrc', provider: 'youtube' });
  });

  it('searches Spotify with the spotify: prefix, with the guild account', async () => {
    modes.set(G, 'device');
    const [found] = await registry.resolve('spotify: dawn band dusk', { limit: 5, guildId: G });
    modes.delete(G);
    expect(found).toMatchObject({ provider: 'spotify', title: 'Dusk' });
    expect(rig.fake.calls.at(-1)).toMatchObject({
      path: '/v1/search',
      query: { q: 'dawn band dusk', type: 'track' },
    });
  });

  it('needs a linked account, and says so', async () => {
    await expect(
      registry.resolve(`spotify:track:${SUNRISE}`, { limit: 1, guildId: UNLINKED }),
    ).rejects.toMatchObject({
      code: 'SPOTIFY_NOT_LINKED',
    });
  });

  it('says Spotify is off when the bot has no Spotify settings', async () => {
    const off = new SpotifyProvider({
      youtube: { search: async () => [], open: async () => Promise.reject(new Error('unused')) },
    });
    await expect(
      new ProviderRegistry([off]).resolve(`spotify:track:${SUNRISE}`, { limit: 1, guildId: G }),
    ).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('SPOTIFY_CLIENT_ID') });
  });
});
