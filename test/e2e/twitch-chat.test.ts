import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { dominantFrequency } from '../fakes/audio.ts';
import { FakeVoiceServer } from '../fakes/discord/voice/server.ts';
import { FakeTwitchChat, type FakeViewer } from '../fakes/twitch/index.ts';
import { NO_KEEP_ALIVE } from '../support/api.ts';
import { waitFor } from '../support/wait.ts';
import { World } from './support/world.ts';

const TOKEN = 'twitch-e2e-api-token-0123456789';
const BOT = { username: 'um_bot', token: 'zyxwvutsrqponmlkjihgfedcba987' };
const CHANNEL = 'streamer_one';

const viewer: FakeViewer = { login: 'viewer_one', displayName: 'ViewerOne', userId: '5001' };
const voter: FakeViewer = { login: 'voter_two', displayName: 'VoterTwo', userId: '5002', subscriber: true };
const voter3: FakeViewer = { login: 'voter_three', displayName: 'VoterThree', userId: '5003' };
const greedy: FakeViewer = { login: 'greedy', displayName: 'Greedy', userId: '5004' };
const mod: FakeViewer = { login: 'a_mod', displayName: 'AMod', userId: '5005', mod: true };

interface WireItem {
  source: string;
  requested_by_name: string | null;
  requested_by_user_id: string;
  track: { name: string };
  votes: number;
}
interface Frame {
  type: string;
  data: { items?: WireItem[]; now_playing?: WireItem | null };
}

/**
 * A Twitch channel's chat (the fake Twitch chat) linked to a guild of the fake Discord, with the real
 * bot process: viewers' requests are queued through the same actions as /play, played in voice (the
 * fake voice server hears them), shown on the overlay socket with the viewer's name and in Discord.
 */
describe('Twitch chat requests end to end', () => {
  let twitch: FakeTwitchChat;
  let voice: FakeVoiceServer;
  let world: World;
  let api: string;
  let socket: WebSocket;
  const frames: Frame[] = [];

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${api}${path}`, {
      method,
      headers: { ...NO_KEEP_ALIVE, authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // biome-ignore lint/suspicious/noExplicitAny: JSON read by path in assertions
    return { status: res.status, json: (await res.json()) as any };
  };

  /** A viewer types a line in the channel; the bot's answer to them. */
  async function say(who: FakeViewer, text: string, options?: { unchecked?: boolean }): Promise<string> {
    const reply = twitch.nextLine(CHANNEL, (line) => line.startsWith(`@${who.displayName} `));
    twitch.viewerSays(CHANNEL, who, text, options);
    return reply;
  }

  async function heard(from: number, frames = 75): Promise<number> {
    const session = voice.session(world.guild.id)!;
    await session.until(() => session.audio(from).length >= frames);
    return dominantFrequency(session.pcm(session.audio(from).slice(0, frames)));
  }

  beforeAll(async () => {
    twitch = await FakeTwitchChat.start();
    twitch.addAccount(BOT.username, BOT.token);
    voice = await FakeVoiceServer.start({ daveVersion: 0 });
    world = await World.start({
      NODE_EXTRA_CA_CERTS: voice.caBundle,
      API_TOKEN: TOKEN,
      TWITCH_USERNAME: BOT.username,
      TWITCH_OAUTH_TOKEN: `oauth:${BOT.token}`,
      TWITCH_CHAT_URL: twitch.url,
      QUEUE_MAX_PER_USER: '2',
    });
    world.discord.voiceEndpoint = voice.endpoint;
    api = String((await world.bot.waitForLog((l) => l.msg === 'side-server listening')).url);
    await world.discord.slash(world.admin, 'settings', { dj_role: world.djRole });
    world.discord.setVoice(world.alice, world.voice);
    world.discord.setVoice(world.dj, world.voice);
    const key = (await call('POST', `/api/v1/overlay/${world.guild.id}/key`)).json.data.key as string;
    socket = new WebSocket(
      `${api.replace('http', 'ws')}/ws/music/${world.guild.id}?key=${encodeURIComponent(key)}`,
    );
    socket.on('message', (raw) => frames.push(JSON.parse(String(raw))));
    await new Promise((resolve) => socket.once('open', resolve));
  });

  afterAll(async () => {
    socket?.close();
    await world?.stop();
    await voice?.stop();
    await twitch?.close();
  });

  it('an admin links the channel with /twitch link; members cannot, and REST shows the link', async () => {
    const refused = await world.discord.slash(world.alice, 'twitch link', { channel: CHANNEL });
    expect(refused).toMatchObject({ ephemeral: true, content: expect.stringMatching(/admins/) });
    const linked = await world.discord.slash(world.admin, 'twitch link', { channel: 'Streamer_One' });
    expect(linked.content).toMatch(/^Linked\. Twitch channel \*\*streamer\\?_one\*\*/);
    expect(linked.content).toContain('!sr <link or search>');
    await twitch.until(() => twitch.hasJoined(CHANNEL), 'the bot to join the channel');
    const status = await waitFor(async () => {
      const r = await call('GET', `/api/v1/twitch/${world.guild.id}`);
      return r.json.data?.state === 'connected' ? r : null;
    });
    expect(status.json.data).toMatchObject({ linked: true, channel: CHANNEL, bot_account: BOT.username });
    expect(status.json.data.commands.request).toBe('sr');
    const bad = await call('PUT', `/api/v1/twitch/${world.guild.id}`, { channel: 'not a channel!' });
    expect(bad.status).toBe(400);
  });

  it("a viewer's !sr is queued, played in voice, and shown on the overlay and in Discord with their name", async () => {
    await world.discord.slash(world.alice, 'play', { query: world.song('Tone A', 440, 'mp3', 60) });
    await voice.connected(world.guild.id);
    const reply = await say(viewer, `!sr ${world.song('Viewer Tone', 660, 'mp3', 60)}`);
    expect(reply).toMatch(/^@ViewerOne ".+" queued at #1\.$/);

    await waitFor(() =>
      frames.some((f) => f.type === 'queue_update' && f.data.items?.[0]?.requested_by_name === 'ViewerOne'),
    );
    const queued = frames.findLast((f) => f.type === 'queue_update')!.data.items![0]!;
    expect(queued).toMatchObject({ source: 'twitch', requested_by_user_id: 'twitch:5001' });
    expect((await world.discord.slash(world.alice, 'queue')).embeds?.[0]?.description).toContain(
      'ViewerOne (Twitch)',
    );

    const session = voice.session(world.guild.id)!;
    const from = session.packets.length;
    expect((await world.discord.slash(world.dj, 'skip')).content).toMatch(/^Skipped/);
    expect(Math.abs((await heard(from + 10)) - 660) / 660).toBeLessThan(0.02);
    await waitFor(() =>
      frames.some((f) => f.type === 'queue_update' && f.data.now_playing?.requested_by_name === 'ViewerOne'),
    );
    expect((await world.discord.slash(world.alice, 'nowplaying')).content).toContain(
      'asked for by ViewerOne (Twitch)',
    );
    expect(await say(voter, '!song')).toMatch(/^@VoterTwo Now playing ".+", requested by ViewerOne\.$/);
  });

  it('!voteup counts once per viewer', async () => {
    await world.discord.slash(world.alice, 'play', { query: world.song('Tone C', 550, 'mp3', 60) });
    expect(await say(voter, '!voteup 1')).toMatch(/^@VoterTwo voted up ".+" \(\+1, now #1\)\.$/);
    expect(await say(voter, '!voteup 1')).toBe('@VoterTwo You already voted up on that song.');
    expect(await say(voter3, '!voteup 1')).toMatch(/\(\+2, now #1\)/);
    const queue = await call('GET', `/api/v1/queue/${world.guild.id}`);
    expect(queue.json.data.items[0].votes).toBe(2);
  });

  it('a refused request gets a chat reply: an unsupported link, then the per-viewer limit', async () => {
    expect(await say(greedy, '!sr ftp://127.0.0.1/song.mp3')).toBe(
      '@Greedy Only http:// and https:// links can be played.',
    );
    expect(await say(greedy, `!sr ${world.song('G1', 330, 'mp3', 30)}`)).toMatch(/queued at #2/);
    expect(await say(greedy, `!sr ${world.song('G2', 330, 'mp3', 30)}`)).toMatch(/queued at #3/);
    const limit = await say(greedy, `!sr ${world.song('G3', 330, 'mp3', 30)}`);
    expect(limit).toBe('@Greedy You already have 2 songs in the queue. Wait for one to play first.');
    const queue = await call('GET', `/api/v1/queue/${world.guild.id}`);
    expect(queue.json.data.items).toHaveLength(3);
  });

  it('a message over 500 characters is answered and does nothing; control characters are stripped', async () => {
    const before = (await call('GET', `/api/v1/queue/${world.guild.id}`)).json.data.items.length;
    const long = await say(mod, `!sr ${world.song('Long', 330, 'mp3', 30)} ${'x'.repeat(520)}`, {
      unchecked: true,
    });
    expect(long).toBe('@AMod That message is too long (Twitch allows 500 characters); nothing was done.');
    const clean = await say(mod, `!sr \u0007${world.song('Clean', 330, 'mp3', 30)}\u202e\u0000`);
    expect(clean).toMatch(/queued at #\d+\.$/);
    const after = (await call('GET', `/api/v1/queue/${world.guild.id}`)).json.data.items.length;
    expect(after).toBe(before + 1);
    expect(twitch.refusals).toEqual([]);
  });

  it('a revoked token pauses the link, tells the admins in Discord, and keeps the queue', async () => {
    const queueBefore = (await call('GET', `/api/v1/queue/${world.guild.id}`)).json.data.items.length;
    twitch.revoke(BOT.token);
    twitch.dropConnections();
    await world.discord.waitFor(() =>
      world.discord
        .messagesIn(world.text)
        .some((m) => m.content.includes('Twitch chat requests from streamer')),
    );
    const notice = world.discord.messagesIn(world.text).findLast((m) => m.content.includes('Twitch chat'))!;
    expect(notice.content).toMatch(/paused.*refused.*queue is kept/s);
    const status = await world.discord.slash(world.admin, 'twitch status');
    expect(status.content).toMatch(/paused: Twitch refused the bot account/);
    expect(status.content).toMatch(/Login authentication failed/);
    expect((await call('GET', `/api/v1/twitch/${world.guild.id}`)).json.data).toMatchObject({
      state: 'paused',
      paused_reason: expect.stringMatching(/Login authentication failed/),
    });
    expect((await call('GET', `/api/v1/queue/${world.guild.id}`)).json.data.items).toHaveLength(queueBefore);
    expect(twitch.failedLogins).toBe(1);
    expect(twitch.openConnections).toBe(0);
  });

  it('/twitch unlink removes the link (REST DELETE of a missing link is a 404)', async () => {
    expect((await world.discord.slash(world.admin, 'twitch unlink')).content).toMatch(/unlinked/);
    expect((await world.discord.slash(world.admin, 'twitch status')).content).toMatch(
      /No Twitch channel is linked/,
    );
    expect((await call('DELETE', `/api/v1/twitch/${world.guild.id}`)).status).toBe(404);
  });
});
