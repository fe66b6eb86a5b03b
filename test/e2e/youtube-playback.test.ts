import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dominantFrequency } from '../fakes/audio.ts';
import { FakeVoiceServer } from '../fakes/discord/voice/server.ts';
import { FakeYouTubeDataApi } from '../fakes/youtube/data-api.ts';
import { fakeYtDlp } from '../fakes/youtube/yt-dlp.ts';
import { toneFile } from '../support/tones.ts';
import { World } from './support/world.ts';

/**
 * A YouTube link through the bot as people run it, with no internet: titles come from the (fake) Data
 * API, youtubei.js cannot reach YouTube, and the bot falls back to yt-dlp (a fake that writes a
 * 520 Hz tone), whose audio the fake voice server hears.
 */
describe('YouTube in voice, offline: Data API metadata and the yt-dlp fallback', () => {
  let world: World;
  let voice: FakeVoiceServer;
  let api: FakeYouTubeDataApi;
  const ytDlp = fakeYtDlp({ kind: 'audio', file: toneFile(520, 20, 'webm-opus') });

  beforeAll(async () => {
    api = await FakeYouTubeDataApi.start('e2e-youtube-key');
    api.addVideo('aaaaaaaaaaa', 95, 'Morning Tone');
    voice = await FakeVoiceServer.start({ daveVersion: 0 });
    world = await World.start({
      NODE_EXTRA_CA_CERTS: voice.caBundle,
      YOUTUBE_API_KEY: api.apiKey,
      YOUTUBE_API_URL: api.url,
      YTDLP_PATH: ytDlp.path,
    });
    world.discord.voiceEndpoint = voice.endpoint;
    await world.discord.slash(world.admin, 'settings', { dj_role: world.djRole });
    world.discord.setVoice(world.alice, world.voice);
  });
  afterAll(async () => {
    await world?.stop();
    await voice?.stop();
    await api?.close();
  });

  it('/play with a youtu.be link queues the video by its API title and plays it through yt-dlp', async () => {
    const seen = await world.discord.slash(world.alice, 'play', {
      query: 'https://youtu.be/aaaaaaaaaaa?t=5',
    });
    expect(seen.content).toContain('Now playing **Morning Tone** — Test Channel (1:35)');
    expect(
      api.requests.some((u) => u.pathname.endsWith('/videos') && u.searchParams.get('id') === 'aaaaaaaaaaa'),
    ).toBe(true);
    const session = await voice.connected(world.guild.id);
    await session.until(() => session.audio().length >= 75);
    const hz = dominantFrequency(session.pcm(session.audio().slice(0, 75)));
    expect(Math.abs(hz - 520) / 520).toBeLessThan(0.02);
    expect(ytDlp.calls().some((c) => c.includes('aaaaaaaaaaa'))).toBe(true);
    expect(world.bot.children('sleep')).toEqual([ytDlp.lastPid()]); // the fake execs sleep to stay open
  });

  it('/stop kills the yt-dlp process', async () => {
    const pid = ytDlp.lastPid();
    const stopped = await world.discord.slash(world.dj, 'stop');
    expect(stopped.content).toMatch(/^Stopped and left/);
    await world.bot.waitForLog((l) => l.msg === 'yt-dlp exited' && l.pid === pid);
    expect(world.bot.children('sleep')).toEqual([]);
  });

  it('tells the member in plain words when a video is not on YouTube', async () => {
    const seen = await world.discord.slash(world.alice, 'play', {
      query: 'https://www.youtube.com/watch?v=zzzzzzzzzzz',
    });
    expect(seen.ephemeral).toBe(true);
    expect(seen.content).toMatch(/YouTube/);
  });
});
