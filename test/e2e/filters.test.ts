import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dominantFrequency, rms } from '../fakes/audio.ts';
import { FakeVoiceServer } from '../fakes/discord/voice/server.ts';
import { NO_KEEP_ALIVE } from '../support/api.ts';
import { launchChromium } from '../support/chromium.ts';
import { IcecastServer } from '../support/icecast.ts';
import { World } from './support/world.ts';

const TOKEN = 'filters-e2e-token-0123456789';

/**
 * /filter and /eq through the real discord.js client: each change re-opens the song at its place
 * through ffmpeg, and the fake voice server decodes what arrives, so the effect is measured on the
 * tone itself (its pitch, its level). The REST routes and the refusals (nothing playing, a live
 * stream, the radio, bad gains) are checked beside them.
 */
describe('audio filters heard in the fake voice server', () => {
  let world: World;
  let voice: FakeVoiceServer;
  let icecast: IcecastServer;
  let api: string;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${api}${path}`, {
      method,
      headers: { ...NO_KEEP_ALIVE, authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // biome-ignore lint/suspicious/noExplicitAny: JSON read by path in assertions
    return { status: res.status, json: (await res.json()) as any };
  };
  const session = () => voice.session(world.guild.id)!;
  const opened = () => world.bot.logs.filter((l) => l.msg === 'track audio opened');

  /** The tone heard in 75 frames (1.5 s), a few frames after `from` (frames in flight may come first). */
  const heard = async (from = session().packets.length + 10) => {
    const s = session();
    await s.until(() => s.audio(from).length >= 75);
    return dominantFrequency(s.pcm(s.audio(from).slice(0, 75)));
  };
  /** The level (RMS) of 50 frames, skipping the first 10 after `from`. */
  const level = async (from = session().packets.length + 10) => {
    const s = session();
    await s.until(() => s.audio(from).length >= 60);
    return rms(s.pcm(s.audio(from).slice(10, 60)));
  };
  /** Runs a slash command that re-opens the song, and waits until the new audio is opened. */
  const reopening = async (
    ...args: Parameters<World['discord']['slash']>
  ): Promise<Awaited<ReturnType<World['discord']['slash']>>> => {
    const before = opened().length;
    const seen = await world.discord.slash(...args);
    await world.bot.waitForLog(() => opened().length > before);
    return seen;
  };

  beforeAll(async () => {
    icecast = await IcecastServer.start();
    await icecast.source('live.mp3', 440, 'Live Artist - Live Song');
    voice = await FakeVoiceServer.start({ daveVersion: 0 });
    world = await World.start({
      NODE_EXTRA_CA_CERTS: voice.caBundle,
      API_TOKEN: TOKEN,
      IDLE_TIMEOUT_SECONDS: '300',
    });
    world.discord.voiceEndpoint = voice.endpoint;
    api = String((await world.bot.waitForLog((l) => l.msg === 'side-server listening')).url);
    await world.discord.slash(world.admin, 'settings', { dj_role: world.djRole });
    world.discord.setVoice(world.alice, world.voice);
    world.discord.setVoice(world.dj, world.voice);
  });
  afterAll(async () => {
    await browser?.close();
    await world?.stop();
    await voice?.stop();
    await icecast?.stop();
  });

  it('refuses a filter with nothing playing, and shows "off"', async () => {
    const refused = await world.discord.slash(world.dj, 'filter', { preset: 'nightcore' });
    expect(refused).toMatchObject({ ephemeral: true, content: 'Nothing is playing right now.' });
    expect((await world.discord.slash(world.alice, 'filter')).content).toBe('Filter: off.');
    const r = await call('PUT', `/api/v1/playback/${world.guild.id}/filter`, { preset: 'nightcore' });
    expect(r.status).toBe(409);
    expect(r.json.error.code).toBe('NOT_CONNECTED');
  });

  it('nightcore shifts 440 Hz up by 1.25 (to 550 Hz), vaporwave down by 0.8 (to 352 Hz), off restores', async () => {
    await world.discord.slash(world.alice, 'play', { query: world.song('Filter Tone', 440, 'mp3', 240) });
    await voice.connected(world.guild.id);
    const plain = await heard(0);
    expect(Math.abs(plain - 440) / 440).toBeLessThan(0.02);

    const nightcore = await reopening(world.dj, 'filter', { preset: 'nightcore' });
    expect(nightcore.content).toBe('Filter set: nightcore ×1.25.');
    expect(opened().at(-1)).toMatchObject({
      ffmpeg: true,
      filter: expect.stringContaining('asetrate=60000'),
    });
    const up = await heard();
    expect(Math.abs(up - 550) / 550).toBeLessThan(0.02);
    const np = await world.discord.slash(world.alice, 'nowplaying');
    expect(np.content).toContain('· filter: nightcore ×1.25 ·');
    // The overlay page (real Chromium) shows a badge; it goes when the filter does (below).
    const { key } = (await call('POST', `/api/v1/overlay/${world.guild.id}/key`)).json.data;
    browser = await launchChromium();
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.goto(`${api}/overlay/${world.guild.id}?key=${encodeURIComponent(key)}`);
    const badge = page.locator('.um-filter');
    await badge.filter({ hasText: /^nightcore ×1\.25$/ }).waitFor({ state: 'visible', timeout: 30_000 });
    const state = await call('GET', `/api/v1/playback/${world.guild.id}/state`);
    expect(state.json.data.filter).toEqual({
      preset: 'nightcore',
      eq: { bass: 0, mid: 0, treble: 0 },
      speed: 1.25,
      label: 'nightcore ×1.25',
    });

    // Through the REST API this time: the same action.
    const openedBefore = opened().length;
    const vapor = await call('PUT', `/api/v1/playback/${world.guild.id}/filter`, { preset: 'vaporwave' });
    expect(vapor.status).toBe(200);
    expect(vapor.json.data).toMatchObject({ community_id: world.guild.id, preset: 'vaporwave', speed: 0.8 });
    await world.bot.waitForLog(() => opened().length > openedBefore);
    const down = await heard();
    expect(Math.abs(down - 352) / 352).toBeLessThan(0.02);

    const off = await reopening(world.dj, 'filter', { preset: 'off' });
    expect(off.content).toBe('Filters off.');
    const back = await heard();
    expect(Math.abs(back - 440) / 440).toBeLessThan(0.02);
    expect((await world.discord.slash(world.alice, 'nowplaying')).content).not.toContain('filter:');
    await badge.waitFor({ state: 'hidden', timeout: 30_000 });
    expect(await page.textContent('.um-now-title')).toBe('Filter Tone');
    expect(world.bot.children('ffmpeg').length).toBe(1);
  });

  it('karaoke removes a tone mixed in the centre', async () => {
    const before = await level();
    await reopening(world.dj, 'filter', { preset: 'karaoke' });
    const after = await level();
    expect(before).toBeGreaterThan(500);
    expect(after / before).toBeLessThan(0.1);
    await reopening(world.dj, 'filter', { preset: 'off' });
  });

  it('8d moves a centred tone from one side to the other and back', async () => {
    await reopening(world.dj, 'filter', { preset: '8d' });
    // One period of the pulsator is 8 s: 10 s of audio, in 200 ms windows, has each side loudest in turn.
    const s = session();
    const from = s.packets.length + 10;
    await s.until(() => s.audio(from).length >= 500);
    const frames = s.audio(from).slice(0, 500);
    const balance: number[] = [];
    for (let i = 0; i < frames.length; i += 10) {
      const pcm = s.pcm(frames.slice(i, i + 10));
      const left = rms(pcm.filter((_, j) => j % 2 === 0));
      const right = rms(pcm.filter((_, j) => j % 2 === 1));
      balance.push(left / Math.max(1, right));
    }
    expect(Math.max(...balance)).toBeGreaterThan(1.5);
    expect(Math.min(...balance)).toBeLessThan(1 / 1.5);
    await reopening(world.dj, 'filter', { preset: 'off' });
  });

  it('bassboost and /eq bass raise a 100 Hz tone; off restores its level', async () => {
    await world.discord.slash(world.alice, 'play', { query: world.song('Low Tone', 100, 'mp3', 120) });
    const from = session().packets.length;
    await world.discord.slash(world.alice, 'skip');
    expect(Math.abs((await heard(from + 10)) - 100) / 100).toBeLessThan(0.03);
    const flat = await level();

    await reopening(world.dj, 'filter', { preset: 'bassboost' });
    const boosted = await level();
    expect(boosted / flat).toBeGreaterThan(1.8);

    await reopening(world.dj, 'filter', { preset: 'off' });
    const restored = await level();
    expect(restored / flat).toBeGreaterThan(0.85);
    expect(restored / flat).toBeLessThan(1.15);

    const eq = await reopening(world.dj, 'eq', { bass: 12 });
    expect(eq.content).toBe('Filter set: eq bass +12 dB.');
    const raised = await level();
    expect(raised / flat).toBeGreaterThan(2);
    expect((await world.discord.slash(world.alice, 'eq')).content).toBe(
      'Equaliser: bass +12 dB, mid 0 dB, treble 0 dB.',
    );

    // A bad gain over REST: 400, and the equaliser stays as it was.
    for (const body of [{ bass: 13 }, { bass: -20 }, { bass: 1.5 }, { loud: 3 }, {}]) {
      const r = await call('PUT', `/api/v1/playback/${world.guild.id}/eq`, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.error.code).toBe('INVALID_INPUT');
    }
    expect((await call('GET', `/api/v1/playback/${world.guild.id}/filter`)).json.data.eq.bass).toBe(12);
    expect((await world.discord.slash(world.alice, 'eq', { bass: 3 })).content).toMatch(/DJ/);

    // Over REST too, the level is read once the song has been opened again without the boost.
    const before = opened().length;
    const reset = await call('PUT', `/api/v1/playback/${world.guild.id}/eq`, { bass: 0 });
    expect(reset.json.data).toMatchObject({ preset: null, label: 'off' });
    await world.bot.waitForLog(() => opened().length > before);
    const flatAgain = await level();
    expect(flatAgain / flat).toBeGreaterThan(0.85);
    expect(flatAgain / flat).toBeLessThan(1.15);
  });

  it('refuses a filter on a live stream played as a song, plainly', async () => {
    await world.discord.slash(world.dj, 'clear');
    await world.discord.slash(world.alice, 'play', { query: icecast.mountUrl('live.mp3') });
    // The skip answers once the next song (the live stream) plays.
    await world.discord.slash(world.alice, 'skip');
    const state = (await call('GET', `/api/v1/playback/${world.guild.id}/state`)).json.data;
    expect(state).toMatchObject({ state: 'playing', current_queue_item: { track: { duration_ms: null } } });
    const refused = await world.discord.slash(world.dj, 'filter', { preset: 'nightcore' });
    expect(refused).toMatchObject({
      ephemeral: true,
      content: 'A live stream cannot be filtered: filters work on songs only.',
    });
    const r = await call('PUT', `/api/v1/playback/${world.guild.id}/eq`, { bass: 6 });
    expect([r.status, r.json.error.code]).toEqual([409, 'CONFLICT']);
    expect((await call('GET', `/api/v1/playback/${world.guild.id}/filter`)).json.data.label).toBe('off');
  });

  it('refuses a filter while the radio plays, plainly', async () => {
    await world.discord.slash(world.admin, 'radio add', {
      name: 'Filter FM',
      url: icecast.mountUrl('live.mp3'),
    });
    const tuned = await world.discord.slash(world.dj, 'radio play', { name: 'Filter FM' });
    expect(tuned.content).toBe('📻 Tuned in to **Filter FM**.');
    const refused = await world.discord.slash(world.dj, 'filter', { preset: 'bassboost' });
    expect(refused).toMatchObject({
      ephemeral: true,
      content: 'The radio is playing: filters work on songs only. Switch the mode to music first.',
    });
    const r = await call('PUT', `/api/v1/playback/${world.guild.id}/filter`, { preset: '8d' });
    expect(r.status).toBe(409);
    expect(r.json.error).toMatchObject({ code: 'CONFLICT' });
  });
});
