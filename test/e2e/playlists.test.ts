import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dominantFrequency } from '../fakes/audio.ts';
import { FakeVoiceServer } from '../fakes/discord/voice/server.ts';
import { FakeYouTubeDataApi } from '../fakes/youtube/data-api.ts';
import { World } from './support/world.ts';

const BIG_LIST = 'PLfiveThousandTracks01';
const BIG_LINK = `https://www.youtube.com/playlist?list=${BIG_LIST}`;
const videoId = (i: number) => `v${String(i).padStart(10, '0')}`;

/**
 * /playlist through the real discord.js client against the fake Discord, on PostgreSQL: save a queue,
 * load it in another moment and hear it, import a 5,000-video YouTube playlist (fake Data API) up to
 * the 500-track cap, and who may delete what.
 */
describe('/playlist end to end', () => {
  let world: World;
  let voice: FakeVoiceServer;
  let api: FakeYouTubeDataApi;

  beforeAll(async () => {
    api = await FakeYouTubeDataApi.start('e2e-playlist-key');
    const ids = Array.from({ length: 5000 }, (_, i) => videoId(i + 1));
    ids.forEach((id, i) => {
      api.addVideo(id, 60 + (i % 120), `Track ${i + 1}`);
    });
    api.addPlaylist(BIG_LIST, ids);
    voice = await FakeVoiceServer.start({ daveVersion: 0 });
    world = await World.start({
      NODE_EXTRA_CA_CERTS: voice.caBundle,
      YOUTUBE_API_KEY: api.apiKey,
      YOUTUBE_API_URL: api.url,
      QUEUE_MAX_PER_USER: '20',
    });
    world.discord.voiceEndpoint = voice.endpoint;
    await world.discord.slash(world.admin, 'settings', { dj_role: world.djRole });
  }, 120_000);
  afterAll(async () => {
    await world?.stop();
    await voice?.stop();
    await api?.close();
  });

  it('saves the queue, and a later /playlist load queues it again and plays it', async () => {
    // Queued while nobody is in voice: nothing plays yet.
    await world.discord.slash(world.alice, 'play', { query: world.song('Evening One', 523, 'mp3', 20) });
    await world.discord.slash(world.alice, 'play', { query: world.song('Evening Two', 659) });
    const saved = await world.discord.slash(world.alice, 'playlist save', { name: 'Evening' });
    expect(saved.content).toBe('📜 Saved **2** songs from the queue as the server playlist **Evening**.');
    const again = await world.discord.slash(world.bob, 'playlist save', { name: 'evening' });
    expect([again.ephemeral, again.content]).toEqual([true, 'There is already a playlist named "Evening".']);

    const cleared = await world.discord.slash(world.dj, 'clear');
    expect(cleared.content).toMatch(/2/);
    const empty = await world.discord.slash(world.alice, 'queue');
    expect(empty.content + JSON.stringify(empty.embeds)).not.toContain('Evening One');

    const choices = await world.discord.autocomplete(world.bob, 'playlist load', 'name', 'eve');
    expect(choices.choices).toEqual([{ name: 'Evening · 2 songs', value: 'Evening' }]);

    world.discord.setVoice(world.bob, world.voice);
    const loaded = await world.discord.slash(world.bob, 'playlist load', { name: 'Evening' });
    expect(loaded.content).toBe(
      '📜 Queued **2** of **2** songs from **Evening**, the first at position **#1**.',
    );
    const session = await voice.connected(world.guild.id);
    await session.until(() => session.audio().length >= 75);
    const hz = dominantFrequency(session.pcm(session.audio().slice(0, 75)));
    expect(Math.abs(hz - 523) / 523).toBeLessThan(0.02);
    const shown = await world.discord.slash(world.bob, 'queue');
    expect(shown.content + JSON.stringify(shown.embeds)).toContain('Evening Two');
  });

  it('imports a 5,000-video YouTube playlist up to 500 songs, says the rest were left out, and pages it', async () => {
    const seen = await world.discord.slash(world.carol, 'playlist import', {
      link: BIG_LINK,
      name: 'Everything',
      scope: 'me',
    });
    expect(seen.content).toBe(
      '📜 Saved **500** songs from the link as your playlist **Everything**.\n' +
        '4500 more left out: a playlist holds 500 songs at most.',
    );
    const last = await world.discord.slash(world.carol, 'playlist show', { name: 'everything', page: 99 });
    expect(seen.content.length).toBeLessThanOrEqual(2000);
    expect(last.content.split('\n')[0]).toMatch(
      /^📜 \*\*Everything\*\* \(yours\) · 500 songs · .+ · page 34\/34$/,
    );
    expect(last.content).toContain('500. **Track 500**');
    expect(last.content).not.toContain('Track 501');
    // Loading it as Carol: her 20-song limit stops it, and the reply says why.
    const loaded = await world.discord.slash(world.carol, 'playlist load', { name: 'Everything' });
    expect(loaded.content).toMatch(/^📜 Queued \*\*20\*\* of \*\*500\*\* songs from \*\*Everything\*\*/);
    expect(loaded.content).toContain('\n480 not queued: You already have 20 songs in the queue.');
    // Her playlist is hers: Bob does not see it.
    const bobs = await world.discord.slash(world.bob, 'playlist list');
    expect(bobs.content).not.toContain('Everything');
    const hers = await world.discord.slash(world.carol, 'playlist list');
    expect(hers.content).toContain('**Everything** · 500 songs');
  });

  it('refuses a playlist link that is not a link, and a name with a line break', async () => {
    const notLink = await world.discord.slash(world.carol, 'playlist import', {
      link: 'lofi beats',
      name: 'x',
    });
    expect([notLink.ephemeral, notLink.content]).toEqual([
      true,
      'Give the link of a YouTube, SoundCloud or Spotify playlist (https://...).',
    ]);
    const badName = await world.discord.slash(world.carol, 'playlist save', { name: 'two\nlines' });
    expect(badName.ephemeral).toBe(true);
    expect(badName.content).toMatch(/^Invalid playlist name: /);
  });

  it('lets whoever saved a server playlist or a DJ delete it, and nobody else', async () => {
    const refused = await world.discord.slash(world.carol, 'playlist delete', {
      name: 'Evening',
      scope: 'guild',
    });
    expect([refused.ephemeral, refused.content]).toEqual([
      true,
      'Only the member who saved this server playlist, or a DJ, can delete it.',
    ]);
    const mine = await world.discord.slash(world.carol, 'playlist delete', { name: 'Everything' });
    expect(mine.content).toBe('Deleted your playlist **Everything**.');
    const byDj = await world.discord.slash(world.dj, 'playlist delete', { name: 'Evening' });
    expect(byDj.content).toBe('Deleted the server playlist **Evening**.');
    const gone = await world.discord.slash(world.alice, 'playlist show', { name: 'Evening' });
    expect([gone.ephemeral, gone.content]).toEqual([
      true,
      'No playlist is named "Evening". /playlist list shows them.',
    ]);
  });
});
