import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeDevice, type FakeSpotify, spotifyId } from '../fakes/spotify/index.ts';
import { NO_KEEP_ALIVE } from '../support/api.ts';
import { BotProcess } from '../support/bot-process.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';
import { dropNamespace, REDIS_URL, rawRedis, uniqueNamespace } from '../support/redis.ts';
import { snowflake } from '../support/tracks.ts';
import { API_TOKEN, spotifyForBot } from './support/spotify.ts';

const G = snowflake(5150);
const STREAMER = snowflake(7);
const SONGS = ['Opening Act', 'Second Set', 'Third Round', 'Final Bow'] as const;
const id = (name: string) => spotifyId(name.toLowerCase().replace(/\s+/g, ''));
const uri = (name: string) => `spotify:track:${id(name)}`;

/**
 * `npm start` without DISCORD_TOKEN (API-only), with a fake Spotify: an account linked over the REST
 * API, Spotify songs queued over REST play on the chosen device in queue order through
 * `POST /api/v1/playback/{id}/...`, and a process killed mid-song follows the device again when it
 * starts, with no new command.
 */
describe('Spotify device mode in API-only mode, across a crash', () => {
  let spotify: FakeSpotify;
  let desk: FakeDevice;
  let database: TestDatabase;
  let env: Record<string, string>;
  let api: string;
  let bot: BotProcess;
  const namespace = uniqueNamespace('spotify-api-only');

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${api}${path}`, {
      method,
      headers: { ...NO_KEEP_ALIVE, authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // biome-ignore lint/suspicious/noExplicitAny: JSON read by path in assertions
    return { status: res.status, json: (await res.json()) as any };
  };
  const playback = (action: string, body?: unknown) =>
    call('POST', `/api/v1/playback/${G}/${action}`, body ?? {});
  const nowPlaying = async () =>
    (await call('GET', `/api/v1/playback/${G}/state`)).json.data.current_queue_item?.track.name ?? null;
  const history = async () =>
    (await call('GET', `/api/v1/queue/${G}/history`)).json.data.items.map(
      (i: { track: { name: string }; status: string }) => `${i.track.name} ${i.status}`,
    );
  /** The next command the device receives. */
  const nextCommand = () => once(desk, 'command').then(([command]) => command as string);

  beforeAll(async () => {
    const s = await spotifyForBot();
    spotify = s.fake;
    desk = spotify.addDevice('Stream PC');
    spotify.addDevice('Phone', 'Smartphone');
    for (const name of SONGS) {
      spotify.catalog.addTrack({ id: id(name), name, artists: ['Stage Band'], durationMs: 150_000 });
    }
    database = await createTestDatabase();
    env = {
      ...s.env,
      REDIS_URL,
      REDIS_NAMESPACE: namespace,
      DATABASE_URL: database.url,
      SPOTIFY_POLL_SECONDS: '1',
    };
    bot = await BotProcess.start(env);
    api = env.PUBLIC_URL!;
  });
  afterAll(async () => {
    await bot?.stop();
    await spotify?.close();
    const redis = rawRedis();
    await dropNamespace(redis, namespace);
    redis.disconnect();
    await database?.drop();
  });

  it('runs API-only and links the account through the REST API, then chooses the device', async () => {
    expect(bot.logs[0]?.msg).toMatch(/^API-only mode: no DISCORD_TOKEN is set/);
    const link = await call('POST', `/api/v1/spotify/${G}/link`, { user_id: STREAMER });
    expect(link.status).toBe(200);
    const approved = await fetch(link.json.data.authorize_url, { redirect: 'manual' });
    expect(approved.status).toBe(302);
    expect((await fetch(approved.headers.get('location')!)).status).toBe(200);
    const chosen = await call('PUT', `/api/v1/spotify/${G}/device`, { device_id: desk.id });
    expect(chosen.json.data).toMatchObject({ linked: true, device_id: desk.id });
  });

  it('play, pause, resume and skip drive the device in queue order; a song that ends moves the queue on', async () => {
    for (const name of SONGS) {
      const added = await call('POST', `/api/v1/queue/${G}/add`, {
        track_url: `https://open.spotify.com/track/${id(name)}`,
        requested_by_user_id: STREAMER,
      });
      expect(added.status).toBe(201);
      expect(added.json.data.queue_item.track).toMatchObject({ name, provider: 'spotify' });
    }
    const played = await playback('play');
    expect(played.status).toBe(200);
    expect(played.json.data).toMatchObject({ state: 'playing', voice_channel_id: null });
    expect(desk.commands).toEqual([`play ${uri('Opening Act')}`]);
    const put = spotify.calls.find((c) => c.method === 'PUT' && c.path === '/v1/me/player/play');
    expect(put?.query.device_id).toBe(desk.id);
    expect(put?.body).toEqual({ uris: [uri('Opening Act')] });

    expect((await playback('pause')).json.data.state).toBe('paused');
    expect((await playback('resume')).json.data.state).toBe('playing');
    const skipped = await playback('skip');
    expect(skipped.status).toBe(200);
    expect(skipped.json.data.current_queue_item.track.name).toBe('Second Set');
    expect(desk.commands).toEqual([
      `play ${uri('Opening Act')}`,
      'pause',
      'resume',
      'next',
      `play ${uri('Second Set')}`,
    ]);
    const commands = spotify.calls.filter((c) => c.method !== 'GET' && c.path.startsWith('/v1/me/player/'));
    expect(commands.every((c) => c.query.device_id === desk.id)).toBe(true);

    // The song runs out on the device: the process's poll of GET /me/player sees it.
    const next = nextCommand();
    desk.endTrack();
    expect(await next).toBe(`play ${uri('Third Round')}`);
    expect(await nowPlaying()).toBe('Third Round');
    expect(await history()).toEqual(['Second Set played', 'Opening Act skipped']);
  });

  it('volume needs voice: 409 NOT_CONNECTED in plain words, while a song plays on the device', async () => {
    const volume = await playback('volume', { volume: 40 });
    expect(volume.status).toBe(409);
    expect(volume.json.error).toMatchObject({
      code: 'NOT_CONNECTED',
      message: expect.stringMatching(/runs without Discord \(API-only mode\).*in Spotify itself/),
    });
    expect(await nowPlaying()).toBe('Third Round');
  });

  it('a process killed mid-song follows the device again when it starts, with no new command', async () => {
    await bot.kill();
    bot = await BotProcess.start(env);
    await bot.waitForLog((l) => l.msg === 'following the song on the Spotify device again');
    const state = (await call('GET', `/api/v1/playback/${G}/state`)).json.data;
    expect(state).toMatchObject({
      state: 'playing',
      current_queue_item: { track: { name: 'Third Round' } },
    });

    const next = nextCommand();
    desk.endTrack();
    expect(await next).toBe(`play ${uri('Final Bow')}`);
    expect(await nowPlaying()).toBe('Final Bow');
    expect(await history()).toEqual(['Third Round played', 'Second Set played', 'Opening Act skipped']);
    expect(desk.commands.slice(-2)).toEqual([`play ${uri('Third Round')}`, `play ${uri('Final Bow')}`]);
  });

  it('stop pauses the device; without a device song, play and volume answer 409 NOT_CONNECTED', async () => {
    const stopped = await playback('stop');
    expect(stopped.json.data).toMatchObject({ state: 'idle', current_queue_item: null });
    expect(desk.commands.at(-1)).toBe('pause');
    expect(await history()).toContain('Final Bow skipped');

    // An add starts the queue where it can, as /play does: here on the device (device mode).
    const add = (name: string) =>
      call('POST', `/api/v1/queue/${G}/add`, {
        track_url: `https://open.spotify.com/track/${id(name)}`,
        requested_by_user_id: STREAMER,
      });
    const opening = await add('Opening Act');
    expect([opening.status, opening.json.data.playback]).toEqual([201, 'device']);
    expect((await add('Second Set')).status).toBe(201);
    expect((await playback('stop')).json.data).toMatchObject({ state: 'idle' });
    // A Spotify song in voice mode is not the device's: with no voice here, nothing can play it.
    const patched = await call('PATCH', `/api/v1/settings/${G}`, { spotify_mode: 'voice' });
    expect(patched.status).toBe(200);
    for (const [action, body] of [
      ['play', {}],
      ['volume', { volume: 40 }],
    ] as const) {
      const refused = await playback(action, body);
      expect(refused.status, action).toBe(409);
      expect(refused.json.error.code, action).toBe('NOT_CONNECTED');
      expect(refused.json.error.message, action).toMatch(/runs without Discord \(API-only mode\)/);
    }
    expect(desk.commands.at(-1)).toBe('pause');
  });
});
