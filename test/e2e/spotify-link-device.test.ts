import { once } from 'node:events';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeDevice, type FakeSpotify, spotifyId } from '../fakes/spotify/index.ts';
import { NO_KEEP_ALIVE } from '../support/api.ts';
import { launchChromium } from '../support/chromium.ts';
import { API_TOKEN, authorizeLink, spotifyForBot } from './support/spotify.ts';
import { World } from './support/world.ts';

const FIRST = spotifyId('firstlight');
const SECOND = spotifyId('secondwind');

/**
 * The running bot with a fake Spotify: an admin links the account in real Chromium (the bot's link ->
 * Spotify's authorize -> the side-server callback), DJs see and choose devices, and in device mode
 * Spotify songs play on the streamer's device in queue order, the queue moving on when a song ends.
 */
describe('Spotify: linking in Chromium, /spotify, and device mode in the running bot', () => {
  let world: World;
  let spotify: FakeSpotify;
  let desk: FakeDevice;
  let context: BrowserContext;
  let browser: Awaited<ReturnType<typeof launchChromium>>;

  beforeAll(async () => {
    const s = await spotifyForBot();
    spotify = s.fake;
    spotify.user.displayName = 'Streamer Account';
    desk = spotify.addDevice('Desk PC');
    spotify.addDevice('Phone', 'Smartphone');
    spotify.catalog.addTrack({
      id: FIRST,
      name: 'First Light',
      artists: ['Early Birds'],
      durationMs: 120_000,
    });
    spotify.catalog.addTrack({
      id: SECOND,
      name: 'Second Wind',
      artists: ['Early Birds'],
      durationMs: 140_000,
    });
    world = await World.start(s.env);
    await world.discord.slash(world.admin, 'settings', { dj_role: world.djRole });
    browser = await launchChromium();
    context = browser.context;
  });
  afterAll(async () => {
    await browser?.close();
    await world?.stop();
    await spotify?.close();
  });

  it('links the account in Chromium through the side-server callback, once', async () => {
    const link = await authorizeLink(world);
    const page = context.pages()[0] ?? (await context.newPage());
    const answer = await page.goto(link);
    expect(new URL(page.url()).pathname).toBe('/auth/spotify/callback');
    expect(answer?.status()).toBe(200);
    expect(await page.textContent('h1')).toBe('Spotify is linked');
    expect(await page.textContent('main p')).toContain('Streamer Account');
    const exchange = spotify.calls.find((c) => c.path === '/api/token');
    expect(exchange?.body).toMatchObject({ grant_type: 'authorization_code', client_id: spotify.clientId });

    const again = await page.goto(page.url()); // the same state a second time
    expect(again?.status()).toBe(400);
    expect(await page.textContent('h1')).toBe('Spotify was not linked');
    expect(spotify.calls.filter((c) => c.path === '/api/token')).toHaveLength(1);
  });

  it('/spotify status and devices for DJs; /spotify device chooses one; members may not', async () => {
    const status = await world.discord.slash(world.dj, 'spotify status');
    expect(status.ephemeral).toBe(true);
    expect(status.content).toContain('Spotify is linked to **Streamer Account**.');
    expect(status.content).toContain('Mode: **device**.');
    const devices = await world.discord.slash(world.dj, 'spotify devices');
    expect(devices.content).toContain('• **Desk PC** (Computer)');
    expect(devices.content).toContain('• **Phone** (Smartphone)');
    expect((await world.discord.slash(world.alice, 'spotify devices')).content).toMatch(/DJ/);
    expect((await world.discord.slash(world.dj, 'spotify link')).content).toMatch(/Manage Server/);
    const chosen = await world.discord.slash(world.dj, 'spotify device', { name: 'desk pc' });
    expect(chosen.content).toBe('Spotify songs play on **Desk PC** now.');
  });

  it('device mode: /play from outside voice plays on the device; pause, resume, skip go to Spotify in queue order', async () => {
    const first = await world.discord.slash(world.admin, 'play', { query: `spotify:track:${FIRST}` });
    expect(first.content).toContain('Now playing **First Light** — Early Birds (2:00)');
    await world.discord.slash(world.admin, 'play', { query: `https://open.spotify.com/track/${SECOND}` });
    expect((await world.discord.slash(world.dj, 'pause')).content).toContain('Paused **First Light**');
    expect((await world.discord.slash(world.dj, 'resume')).content).toContain('First Light');
    expect(desk.commands).toEqual([`play spotify:track:${FIRST}`, 'pause', 'resume']);
    // The REST API reaches the device too.
    const api = String((await world.bot.waitForLog((l) => l.msg === 'side-server listening')).url);
    const rest = (action: string) =>
      fetch(`${api}/api/v1/playback/${world.guild.id}/${action}`, {
        method: 'POST',
        headers: { ...NO_KEEP_ALIVE, authorization: `Bearer ${API_TOKEN}` },
      });
    const paused = await rest('pause');
    expect(paused.status).toBe(200);
    expect(((await paused.json()) as { data: { state: string } }).data.state).toBe('paused');
    expect((await rest('resume')).status).toBe(200);
    expect(desk.commands.slice(3)).toEqual(['pause', 'resume']);

    // The song runs out on the device; the bot's poll of GET /me/player sees it and plays the next.
    const next = once(desk, 'command');
    desk.endTrack();
    expect(await next).toEqual([`play spotify:track:${SECOND}`]);
    const skipped = await world.discord.slash(world.dj, 'skip');
    expect(skipped.content).toContain('Skipped **Second Wind**');
    expect(desk.commands).toEqual([
      `play spotify:track:${FIRST}`,
      'pause',
      'resume',
      'pause',
      'resume',
      `play spotify:track:${SECOND}`,
      'next',
    ]);
    const commands = spotify.calls.filter((c) => c.method !== 'GET' && c.path.startsWith('/v1/me/player/'));
    expect(commands.every((c) => c.query.device_id === desk.id)).toBe(true);
  });

  it('a bot killed while a song plays on the device follows it again after the restart, with no new command', async () => {
    await world.discord.slash(world.admin, 'play', { query: `spotify:track:${FIRST}` });
    await world.discord.slash(world.admin, 'play', { query: `spotify:track:${SECOND}` });
    expect(desk.commands.at(-1)).toBe(`play spotify:track:${FIRST}`);
    await world.bot.kill();
    await world.startBot();
    await world.bot.waitForLog((l) => l.msg === 'following the song on the Spotify device again');
    const next = once(desk, 'command');
    desk.endTrack();
    expect(await next).toEqual([`play spotify:track:${SECOND}`]);
    expect((await world.discord.slash(world.dj, 'stop')).content).toMatch(/^Stopped/);
    expect(desk.commands.at(-1)).toBe('pause');
  });

  it('a login Spotify revoked unlinks the account, and the admins are told in plain words', async () => {
    spotify.revokeRefreshTokens();
    spotify.expireAccessTokens();
    const seen = await world.discord.slash(world.dj, 'spotify devices');
    expect(seen.content).toMatch(/no longer accepts the linked account/);
    await world.discord.waitFor(() =>
      world.discord
        .messagesIn(world.text)
        .some((m) => m.content.startsWith('⚠️ Spotify no longer accepts the linked account')),
    );
    expect((await world.discord.slash(world.dj, 'spotify status')).content).toContain(
      'No Spotify account is linked.',
    );
    // Link again for the next case.
    const page = context.pages()[0] ?? (await context.newPage());
    expect((await page.goto(await authorizeLink(world)))?.status()).toBe(200);
  });

  it('/spotify unlink removes the account, and status says so', async () => {
    expect((await world.discord.slash(world.admin, 'spotify unlink')).content).toBe(
      'The Spotify account is unlinked.',
    );
    const status = await world.discord.slash(world.dj, 'spotify status');
    expect(status.content).toContain('No Spotify account is linked.');
    expect(status.content).toContain('Mode: **voice**.');
  });
});
