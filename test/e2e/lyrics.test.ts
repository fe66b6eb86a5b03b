import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeVoiceServer } from '../fakes/discord/voice/server.ts';
import { FakeLrclib } from '../fakes/lrclib/index.ts';
import { World } from './support/world.ts';

let world: World;
let voice: FakeVoiceServer;
let lrclib: FakeLrclib;
const API_TOKEN = 'lyrics-e2e-token-0123456789';

/** 300 numbered lines of about 40 characters: more than three pages of 4,000. */
const LONG = Array.from({ length: 300 }, (_, i) => `Line ${i + 1} of the very long song goes on`).join('\n');
const SYNCED = '[00:01.00]Headlights on the water\n[00:04.50]Moonlight drive tonight\n[00:08.00]Hold on';

interface Button {
  custom_id: string;
  label: string;
  disabled?: boolean;
}
const buttons = (components: unknown[]): Button[] =>
  (components as { components: Button[] }[]).flatMap((row) => row.components);

beforeAll(async () => {
  lrclib = await FakeLrclib.start();
  lrclib.add({
    track: 'Moonlight Drive',
    artist: 'The Tides',
    album: 'Shore',
    duration: 60,
    plain: 'Headlights on the water\nMoonlight drive tonight\nHold on',
    synced: SYNCED,
  });
  lrclib.add({ track: 'Endless Road', artist: 'Long Band', duration: 900, plain: LONG });
  lrclib.add({ track: 'Quiet Room', artist: 'Nobody', duration: 120, instrumental: true });
  voice = await FakeVoiceServer.start({ daveVersion: 0 });
  world = await World.start({
    NODE_EXTRA_CA_CERTS: voice.caBundle,
    LYRICS_API_URL: lrclib.url,
    API_TOKEN,
  });
  world.discord.voiceEndpoint = voice.endpoint;
  world.discord.setVoice(world.alice, world.voice);
});
afterAll(async () => {
  await world?.stop();
  await voice?.stop();
  await lrclib?.stop();
});

describe('/lyrics through the real discord.js client', () => {
  it('says so when nothing is playing and no song is named', async () => {
    const seen = await world.discord.slash(world.bob, 'lyrics');
    expect(seen.ephemeral).toBe(true);
    expect(seen.content).toBe(
      'Nothing is playing right now. Name a song to look up: /lyrics query:<title and artist>.',
    );
    expect(lrclib.requests).toHaveLength(0);
  });

  it("shows the playing song's plain lyrics, found by its signature", async () => {
    const played = await world.discord.slash(world.alice, 'play', {
      query: world.song('The Tides - Moonlight Drive', 440, 'mp3', 60),
    });
    expect(played.content).toContain('Now playing');
    const seen = await world.discord.slash(world.bob, 'lyrics');
    expect(seen.ephemeral).toBe(false);
    expect(seen.embeds[0]).toMatchObject({
      title: 'Moonlight Drive — The Tides',
      description: 'Headlights on the water\nMoonlight drive tonight\nHold on',
      footer: { text: 'Page 1/1 · LRCLIB' },
    });
    expect(seen.components).toEqual([]);
    expect(lrclib.calls('/api/get')[0]!.query).toMatchObject({
      track_name: 'Moonlight Drive',
      artist_name: 'The Tides',
    });
    expect(lrclib.calls('/api/get')[0]!.userAgent).toMatch(/^unified-music\//);
  });

  it('shows each line with its time when synced, from the cache', async () => {
    const before = lrclib.requests.length;
    const seen = await world.discord.slash(world.bob, 'lyrics', { synced: true });
    expect(seen.embeds[0]!.description).toBe(
      '`0:01.00` Headlights on the water\n`0:04.50` Moonlight drive tonight\n`0:08.00` Hold on',
    );
    expect(seen.embeds[0]!.footer!.text).toBe('Page 1/1 · synced · LRCLIB');
    expect(lrclib.requests.length).toBe(before);
  });

  it('pages long lyrics within the embed limit, and the buttons turn the pages of the same message', async () => {
    const seen = await world.discord.slash(world.carol, 'lyrics', { query: 'endless road long band' });
    const first = seen.embeds[0]!;
    expect(first.description!.length).toBeLessThanOrEqual(4096);
    expect(first.description).toMatch(/^Line 1 of/);
    const pages = Number(/Page 1\/(\d+)/.exec(first.footer!.text)![1]);
    expect(pages).toBeGreaterThanOrEqual(3);
    let [prev, next] = buttons(seen.components);
    expect(prev).toMatchObject({ label: '◀ Previous', disabled: true });
    expect(next).toMatchObject({ label: 'Next ▶' });
    expect(next!.disabled ?? false).toBe(false);

    const message = seen.message!;
    const turned = await world.discord.clickButton(message, world.bob, next!.custom_id);
    expect(turned.message!.id).toBe(message.id);
    const second = message.embeds[0]!;
    expect(second.footer!.text).toBe(`Page 2/${pages} · LRCLIB`);
    const firstShown = Number(/Line (\d+) of[^\n]*$/.exec(first.description!)![1]);
    expect(second.description).toMatch(new RegExp(`^Line ${firstShown + 1} of`));
    [prev, next] = buttons(message.components);
    expect(prev!.disabled ?? false).toBe(false);

    await world.discord.clickButton(message, world.bob, prev!.custom_id);
    expect(message.embeds[0]!.description).toBe(first.description);
    expect(message.embeds[0]!.footer!.text).toBe(`Page 1/${pages} · LRCLIB`);
    // Every line is on exactly one page, in order, pressing ▶ until it is disabled on the last page.
    const shown = message.embeds[0]!.description!.split('\n');
    for (let page = 2; page <= pages; page++) {
      await world.discord.clickButton(message, world.bob, buttons(message.components)[1]!.custom_id);
      expect(message.embeds[0]!.footer!.text).toBe(`Page ${page}/${pages} · LRCLIB`);
      shown.push(...message.embeds[0]!.description!.split('\n'));
    }
    expect(buttons(message.components)[1]!.disabled).toBe(true);
    expect(shown).toEqual(LONG.split('\n'));
  });

  it('says when no lyrics are found, and when the song is an instrumental', async () => {
    const missing = await world.discord.slash(world.bob, 'lyrics', { query: 'no such song anywhere' });
    expect(missing).toMatchObject({
      ephemeral: true,
      content: 'No lyrics found for "no such song anywhere" on LRCLIB.',
    });
    const quiet = await world.discord.slash(world.bob, 'lyrics', { query: 'quiet room' });
    expect(quiet).toMatchObject({
      ephemeral: true,
      content: '**Quiet Room — Nobody** is an instrumental: there are no lyrics to show.',
    });
  });

  it('says when LRCLIB is down, and works again once it is back', async () => {
    lrclib.mode = 'error';
    const down = await world.discord.slash(world.bob, 'lyrics', { query: 'something new' });
    expect(down).toMatchObject({
      ephemeral: true,
      content: 'The lyrics service (LRCLIB) is not answering right now. Try again in a minute.',
    });
    lrclib.mode = 'ok';
    const back = await world.discord.slash(world.bob, 'lyrics', { query: 'moonlight tides' });
    expect(back.embeds[0]!.title).toBe('Moonlight Drive — The Tides');
  });
});

describe('GET /api/v1/lyrics', () => {
  it('answers the playing song, or ?q=, in the envelope; 404 and 400 as JSON errors', async () => {
    const server = String((await world.bot.waitForLog((l) => l.msg === 'side-server listening')).url);
    const get = async (path: string) => {
      const res = await fetch(`${server}${path}`, { headers: { authorization: `Bearer ${API_TOKEN}` } });
      return {
        status: res.status,
        body: (await res.json()) as {
          success: boolean;
          data?: Record<string, unknown>;
          error?: { code: string };
        },
      };
    };
    const playing = await get(`/api/v1/lyrics/${world.guild.id}`);
    expect(playing.status).toBe(200);
    expect(playing.body.data).toMatchObject({
      track_name: 'Moonlight Drive',
      artist_name: 'The Tides',
      instrumental: false,
      for_playing: true,
      synced_lyrics: [
        { time_ms: 1000, text: 'Headlights on the water' },
        { time_ms: 4500, text: 'Moonlight drive tonight' },
        { time_ms: 8000, text: 'Hold on' },
      ],
    });
    const searched = await get(`/api/v1/lyrics/${world.guild.id}?q=quiet+room`);
    expect(searched.body.data).toMatchObject({
      track_name: 'Quiet Room',
      instrumental: true,
      plain_lyrics: null,
      for_playing: false,
    });
    const missing = await get(`/api/v1/lyrics/${world.guild.id}?q=nothing+at+all`);
    expect(missing).toMatchObject({ status: 404, body: { success: false, error: { code: 'NOT_FOUND' } } });
    const bad = await get(`/api/v1/lyrics/${world.guild.id}?q=${'x'.repeat(201)}`);
    expect(bad.status).toBe(400);
  });
});
