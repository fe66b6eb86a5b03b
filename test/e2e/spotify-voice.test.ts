import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dominantFrequency } from '../fakes/audio.ts';
import { FakeVoiceServer } from '../fakes/discord/voice/server.ts';
import { type FakeSpotify, spotifyId } from '../fakes/spotify/index.ts';
import { FakeYouTubeDataApi } from '../fakes/youtube/data-api.ts';
import { fakeYtDlp } from '../fakes/youtube/yt-dlp.ts';
import { toneFile } from '../support/tones.ts';
import { linkWithFetch, patchSettings, spotifyForBot } from './support/spotify.ts';
import { World } from './support/world.ts';

const SONG = spotifyId('lanternlight');

/**
 * Voice mode, offline: a Spotify link /play'ed in the running bot is read from the (fake) Spotify
 * with the guild's linked account, matched on the (fake) YouTube Data API by its ISRC, and its
 * match plays through the yt-dlp fallback (a 610 Hz tone) into the fake voice server.
 */
describe('a Spotify link in voice mode plays its YouTube match', () => {
  let world: World;
  let voice: FakeVoiceServer;
  let youtube: FakeYouTubeDataApi;
  let spotify: FakeSpotify;
  let port: number;
  const ytDlp = fakeYtDlp({ kind: 'audio', file: toneFile(610, 20, 'webm-opus') });

  beforeAll(async () => {
    const s = await spotifyForBot();
    spotify = s.fake;
    port = s.port;
    spotify.catalog.addTrack({
      id: SONG,
      name: 'Lantern Light',
      artists: ['The Wicks'],
      durationMs: 187_000,
      isrc: 'QZWCK2600007',
    });
    youtube = await FakeYouTubeDataApi.start('e2e-spotify-youtube-key');
    youtube.addVideo('wrongLength', 240, 'QZWCK2600007 The Wicks Lantern Light (live)');
    youtube.addVideo('lanternAud1', 188, 'The Wicks - Lantern Light (QZWCK2600007)');
    voice = await FakeVoiceServer.start({ daveVersion: 0 });
    world = await World.start({
      ...s.env,
      NODE_EXTRA_CA_CERTS: voice.caBundle,
      YOUTUBE_API_KEY: youtube.apiKey,
      YOUTUBE_API_URL: youtube.url,
      YTDLP_PATH: ytDlp.path,
    });
    world.discord.voiceEndpoint = voice.endpoint;
    world.discord.setVoice(world.alice, world.voice);
    expect((await linkWithFetch(world)).status).toBe(200);
    await patchSettings(port, world.guild.id, { spotify_mode: 'voice' });
  });
  afterAll(async () => {
    await world?.stop();
    await voice?.stop();
    await youtube?.close();
    await spotify?.close();
  });

  it('/play with an open.spotify.com link queues the Spotify song and the voice server hears its match', async () => {
    const seen = await world.discord.slash(world.alice, 'play', {
      query: `https://open.spotify.com/track/${SONG}?si=e2e`,
    });
    expect(seen.content).toContain('Now playing **Lantern Light** — The Wicks (3:07)');
    const read = spotify.calls.find((c) => c.path === `/v1/tracks/${SONG}`);
    expect(read?.bearer).toMatch(/^fake-access-/);
    expect(
      youtube.requests.some(
        (u) => u.pathname.endsWith('/search') && u.searchParams.get('q') === 'QZWCK2600007',
      ),
    ).toBe(true);

    const session = await voice.connected(world.guild.id);
    await session.until(() => session.audio().length >= 75);
    const hz = dominantFrequency(session.pcm(session.audio().slice(0, 75)));
    expect(Math.abs(hz - 610) / 610).toBeLessThan(0.02);
    expect(ytDlp.calls().some((c) => c.includes('lanternAud1'))).toBe(true);
    expect(ytDlp.calls().some((c) => c.includes('wrongLength'))).toBe(false);

    const playing = await fetch(`http://127.0.0.1:${port}/api/v1/queue/${world.guild.id}`, {
      headers: { authorization: 'Bearer e2e-spotify-api-token-0123456789' },
    });
    const body = (await playing.json()) as { data: { now_playing: Record<string, unknown> } };
    expect(body.data.now_playing).toMatchObject({
      track: { provider: 'spotify', uri: `spotify:track:${SONG}` },
    });
    expect((await world.discord.slash(world.admin, 'stop')).content).toMatch(/^Stopped and left/);
  });
});
