import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { dominantFrequency } from '../fakes/audio.ts';
import { FakeVoiceServer } from '../fakes/discord/voice/server.ts';
import { NO_KEEP_ALIVE } from '../support/api.ts';
import { IcecastServer } from '../support/icecast.ts';
import { World } from './support/world.ts';

const TOKEN = 'radio-e2e-token-0123456789';

interface Frame {
  type: string;
  data: { station?: string | null; now_playing?: { title: string | null; artist: string | null } | null };
}

/**
 * A station on a real Icecast server (icecast2 fed by ffmpeg with a 440 Hz tone) played by the bot
 * into the fake voice server; its title changed through Icecast's admin route reaches the bot's
 * now-playing, the REST API and the overlay; Icecast killed mid-stream and brought back.
 */
describe('radio into voice from a real Icecast server', () => {
  let world: World;
  let voice: FakeVoiceServer;
  let icecast: IcecastServer;
  let api: string;
  const frames: Frame[] = [];
  const waiters: (() => void)[] = [];
  let socket: WebSocket;
  const until = async (test: () => boolean) => {
    while (!test()) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${api}${path}`, {
      method,
      headers: { ...NO_KEEP_ALIVE, authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // biome-ignore lint/suspicious/noExplicitAny: JSON read by path in assertions
    return { status: res.status, json: (await res.json()) as any };
  };

  beforeAll(async () => {
    icecast = await IcecastServer.start();
    await icecast.source('live.mp3', 440, 'Boards of Canada - Roygbiv');
    voice = await FakeVoiceServer.start({ daveVersion: 0 });
    world = await World.start({ NODE_EXTRA_CA_CERTS: voice.caBundle, API_TOKEN: TOKEN });
    world.discord.voiceEndpoint = voice.endpoint;
    api = String((await world.bot.waitForLog((l) => l.msg === 'side-server listening')).url);
    await world.discord.slash(world.admin, 'settings', { dj_role: world.djRole });
    world.discord.setVoice(world.alice, world.voice);
    world.discord.setVoice(world.dj, world.voice);
    const key = (await call('POST', `/api/v1/overlay/${world.guild.id}/key`)).json.data.key as string;
    socket = new WebSocket(
      `${api.replace('http', 'ws')}/ws/music/${world.guild.id}?key=${encodeURIComponent(key)}`,
    );
    socket.on('message', (raw) => {
      frames.push(JSON.parse(String(raw)));
      for (const w of waiters.splice(0)) w();
    });
    // Wake waiters on everything the bot does too (logs, Discord messages).
    world.bot.waitForLog(() => {
      for (const w of waiters.splice(0)) w();
      return false;
    });
  });
  afterAll(async () => {
    socket?.close();
    await world?.stop();
    await voice?.stop();
    await icecast?.stop();
  });

  it('admins add a station, and anyone lists it', async () => {
    const added = await world.discord.slash(world.admin, 'radio add', {
      name: 'Chill FM',
      url: icecast.mountUrl('live.mp3'),
    });
    expect(added).toMatchObject({ ephemeral: true, content: 'Saved the station **Chill FM**.' });
    const listed = await world.discord.slash(world.alice, 'radio list');
    expect(listed.content).toContain('**Chill FM** (icecast)');
  });

  it('/radio play tunes the voice channel in: the tone arrives and the title is known', async () => {
    const seen = await world.discord.slash(world.dj, 'radio play', { name: 'Chill FM' });
    expect(seen.content).toBe('📻 Tuned in to **Chill FM**.');
    const session = await voice.connected(world.guild.id);
    await session.until(() => session.audio().length >= 100);
    const hz = dominantFrequency(session.pcm(session.audio().slice(25, 100)));
    expect(Math.abs(hz - 440) / 440).toBeLessThan(0.02);
    const np = await world.discord.slash(world.alice, 'radio nowplaying');
    expect(np.content).toBe('📻 **Chill FM**: **Roygbiv** — Boards of Canada');
    expect((await call('GET', `/api/v1/mode/${world.guild.id}`)).json.data).toMatchObject({
      active_mode: 'radio',
      current_station_name: 'Chill FM',
    });
  });

  it('a title change at Icecast reaches now-playing, the API and the overlay', async () => {
    await icecast.setTitle('live.mp3', 'Aphex Twin - Xtal');
    await until(() => frames.some((f) => f.type === 'radio_update' && f.data.now_playing?.title === 'Xtal'));
    const r = await call('GET', `/api/v1/radio/${world.guild.id}/now-playing`);
    expect(r.json.data).toMatchObject({
      station: 'Chill FM',
      state: 'playing',
      in_voice: true,
      now_playing: { title: 'Xtal', artist: 'Aphex Twin', codec: 'mp3' },
    });
  });

  it('says so when Icecast dies, retries, and plays again once it is back', async () => {
    const messages = () => world.discord.messagesIn(world.text).map((m) => m.content);
    await icecast.kill();
    await world.discord.waitFor(() =>
      messages().some((m) => m.startsWith('📻 Lost the stream of **Chill FM**')),
    );
    await icecast.startServer();
    await icecast.source('live.mp3', 660, 'Tycho - Awake');
    await world.discord.waitFor(() => messages().includes('📻 Back on **Chill FM**.'));
    const session = voice.session(world.guild.id)!;
    const from = session.packets.length;
    await session.until(() => session.audio(from).length >= 100);
    const hz = dominantFrequency(session.pcm(session.audio(from).slice(25, 100)));
    expect(Math.abs(hz - 660) / 660).toBeLessThan(0.02);
  });

  it('plays the station again in its channel after the bot is killed and restarted', async () => {
    const before = voice.history.length;
    await world.bot.kill();
    await world.startBot();
    await voice.until(() => voice.history.length > before);
    const session = voice.session(world.guild.id)!;
    await session.until(() => session.audio().length >= 100);
    const hz = dominantFrequency(session.pcm(session.audio().slice(25, 100)));
    expect(Math.abs(hz - 660) / 660).toBeLessThan(0.02);
    expect(world.bot.logs.some((l) => l.msg === 'radio resumed after a restart')).toBe(true);
    expect(world.discord.botVoiceChannel(world.guild)).toBe(world.voice.id);
    api = String((await world.bot.waitForLog((l) => l.msg === 'side-server listening')).url);
    world.bot.waitForLog(() => {
      for (const w of waiters.splice(0)) w();
      return false;
    });
  });

  it('/radio stop leaves no ffmpeg process behind and clears now-playing', async () => {
    expect(world.bot.children('ffmpeg').length).toBe(1);
    const seen = await world.discord.slash(world.dj, 'radio stop');
    expect(seen.content).toBe('📻 Radio stopped.');
    await world.bot.waitForLog(() => world.bot.children('ffmpeg').length === 0);
    expect(world.bot.children('ffmpeg')).toEqual([]);
    expect((await call('GET', `/api/v1/radio/${world.guild.id}/now-playing`)).json.data).toMatchObject({
      station: null,
      now_playing: null,
    });
    expect((await world.discord.slash(world.alice, 'radio nowplaying')).content).toMatch(
      /No station is playing/,
    );
  });
});
