import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/core/clock.ts';
import { UserError } from '../../../src/core/errors.ts';
import { InMemoryEventBus } from '../../../src/core/events.ts';
import { silentLogger } from '../../../src/core/logger.ts';
import type { TrackInput } from '../../../src/core/track.ts';
import type { QueueEvent } from '../../../src/queue/events.ts';
import { QueueService } from '../../../src/queue/service.ts';
import { wireItem } from '../../../src/queue/wire.ts';
import { MemoryBlocklistRepository } from '../../../src/storage/db/blocklist-memory.ts';
import { MemoryGuildSettingsRepository } from '../../../src/storage/db/guild-settings-memory.ts';
import { MemoryTwitchLinkRepository } from '../../../src/storage/db/twitch-links-memory.ts';
import { MemoryQueueStore } from '../../../src/storage/queue/memory-store.ts';
import { ChatCommands } from '../../../src/twitch/chat-commands.ts';
import { TwitchChat } from '../../../src/twitch/service.ts';
import { FakeTwitchChat, type FakeViewer } from '../../fakes/twitch/index.ts';
import { testActions } from '../../support/actions.ts';
import { snowflake, track } from '../../support/tracks.ts';
import { waitFor } from '../../support/wait.ts';

const GUILD = snowflake(1);
const CHANNEL = 'streamer_one';
const BOT = { username: 'unified_bot', token: 'abcdefghijklmnopqrstuvwxyz0123' };

const alice: FakeViewer = { login: 'alice', displayName: 'Alice', userId: '1001' };
const bob: FakeViewer = { login: 'bob', displayName: 'Bob_B', userId: '1002', subscriber: true };
const carol: FakeViewer = { login: 'carol', displayName: 'Carol', userId: '1003', mod: true };

describe('Twitch chat requests against the fake Twitch chat', () => {
  let fake: FakeTwitchChat;
  let queue: QueueService;
  let links: MemoryTwitchLinkRepository;
  let chat: TwitchChat;
  let resolved: string[];
  let notices: { guildId: string; text: string }[];
  let settings: MemoryGuildSettingsRepository;
  let blocklist: MemoryBlocklistRepository;

  beforeEach(async () => {
    fake = await FakeTwitchChat.start();
    fake.addAccount(BOT.username, BOT.token);
    queue = new QueueService({
      store: new MemoryQueueStore({ ttlSeconds: 3600, historyLimit: 50, clock: systemClock }),
      bus: new InMemoryEventBus<QueueEvent>(),
      clock: systemClock,
      limits: () => ({ maxLength: 100, maxPerUser: 2 }),
    });
    resolved = [];
    const resolve = async (query: string): Promise<TrackInput[]> => {
      resolved.push(query);
      if (query.startsWith('ftp://'))
        throw new UserError('INVALID_URL', 'That kind of link is not supported.');
      if (query === 'crash') throw new TypeError('a provider bug');
      return [track({ title: query.slice(0, 200) })];
    };
    settings = new MemoryGuildSettingsRepository();
    blocklist = new MemoryBlocklistRepository();
    const actions = testActions({ queue, tracks: { resolve }, settings, blocklist });
    links = new MemoryTwitchLinkRepository();
    notices = [];
    chat = new TwitchChat({
      settings: { ...BOT, chatUrl: fake.url },
      links,
      commands: new ChatCommands({ queue: actions.queue, logger: silentLogger() }),
      noticeAdmins: (guildId, text) => notices.push({ guildId, text }),
      logger: silentLogger(),
      clock: systemClock,
      runsChat: true,
      reconnectIntervalMs: 50,
    });
    await chat.start();
    await chat.link(GUILD, `#${CHANNEL.toUpperCase()}`);
    await chat.connectionOf(GUILD)!.waitFor('connected');
  });

  afterEach(async () => {
    await chat.close();
    await fake.close();
  });

  /** A viewer types a line; the bot's answer to them. */
  async function say(viewer: FakeViewer, text: string, options?: { unchecked?: boolean }): Promise<string> {
    const reply = fake.nextLine(CHANNEL, (line) => line.startsWith(`@${viewer.displayName}`));
    fake.viewerSays(CHANNEL, viewer, text, options);
    return reply;
  }

  it('joins the linked channel (lowercased) with the tags and commands capabilities', async () => {
    expect(fake.hasJoined(CHANNEL)).toBe(true);
    expect((await chat.status(GUILD)).state).toBe('connected');
    expect(fake.logins).toBe(1);
  });

  it('queues a !sr under the viewer, with their name and the twitch source, and answers in chat', async () => {
    const reply = await say(alice, '!sr Never Gonna Give You Up');
    // Nothing plays yet (no voice channel in this test), and the reply says so.
    expect(reply).toBe(
      '@Alice "Never Gonna Give You Up by Test Artist" queued at #1. It plays once the bot is in a voice channel.',
    );
    const { items } = await queue.all(GUILD);
    expect(items).toHaveLength(1);
    expect(items[0]!.requestedBy).toBe('twitch:1001');
    expect(items[0]!.requester).toEqual({ source: 'twitch', name: 'Alice' });
    expect(wireItem(items[0]!)).toMatchObject({ source: 'twitch', requested_by_name: 'Alice' });
    expect(fake.refusals).toEqual([]);
  });

  it('ignores ordinary chat and commands it does not know', async () => {
    fake.viewerSays(CHANNEL, alice, 'hello chat');
    fake.viewerSays(CHANNEL, alice, '!dice');
    // The line after them is answered, and it is the only answer.
    const reply = await say(alice, '!queue');
    expect(reply).toBe('@Alice The queue is empty. Request a song with !sr.');
    expect(fake.said).toHaveLength(1);
  });

  it('counts !voteup once per viewer and says so on the second try', async () => {
    await say(alice, '!sr first song');
    await say(alice, '!sr second song');
    expect(await say(bob, '!voteup 2')).toBe('@Bob_B voted up "second song by Test Artist" (+1, now #1).');
    // The same song, now first: a second up vote from Bob does not count.
    expect(await say(bob, '!voteup 1')).toBe('@Bob_B You already voted up on that song.');
    expect(await say(carol, '!votedown 1')).toBe(
      '@Carol voted down "second song by Test Artist" (0, now #2).',
    );
    const { items } = await queue.all(GUILD);
    expect(items.map((i) => [i.track.title, i.votes])).toEqual([
      ['first song', 0],
      ['second song', 0],
    ]);
    expect(await say(bob, '!voteup')).toBe(
      "@Bob_B Type !voteup followed by the song's number in !queue, e.g. !voteup 2.",
    );
    expect(await say(bob, '!voteup 9')).toMatch(/^@Bob_B That song is not in the queue/);
  });

  it('answers !song and !queue', async () => {
    expect(await say(bob, '!song')).toBe('@Bob_B Nothing is playing. Request a song with !sr.');
    await say(alice, '!sr one');
    await say(bob, '!sr two');
    expect(await say(carol, '!queue')).toBe(
      '@Carol Next: #1 "one by Test Artist" (0) · #2 "two by Test Artist" (0)',
    );
  });

  it('says why a request was refused: an unsupported link, the per-viewer limit', async () => {
    expect(await say(alice, '!sr ftp://example.com/song.mp3')).toBe(
      '@Alice That kind of link is not supported.',
    );
    await say(alice, '!sr a');
    await say(alice, '!sr b');
    expect(await say(alice, '!sr c')).toMatch(/^@Alice .*(limit|2 songs)/i);
    expect(await say(alice, '!sr')).toBe("@Alice Type !sr followed by a link or the song's name.");
    expect((await queue.all(GUILD)).items).toHaveLength(2);
    // Another viewer is not held by Alice's limit.
    expect(await say(bob, '!sr d')).toMatch(/queued at #3/);
  });

  it('takes a 500-character message, answers one over 500 without queuing, and strips control characters', async () => {
    const longQuery = 'x'.repeat(496);
    const ok = await say(alice, `!sr ${longQuery}`);
    expect(ok).toMatch(/^@Alice "x{200} by Test Artist" queued at #1\./);
    expect([...ok].length).toBeLessThanOrEqual(500);
    expect(resolved.at(-1)).toBe(longQuery);

    const tooLong = await say(bob, `!sr ${'y'.repeat(600)}`, { unchecked: true });
    expect(tooLong).toBe('@Bob_B That message is too long (Twitch allows 500 characters); nothing was done.');

    await say(carol, '!sr \u0001Daft\u0007 \u202ePunk\u0000\u2066 \u{e0000}');
    expect(resolved.at(-1)).toBe('Daft Punk');
    expect((await queue.all(GUILD)).items.map((i) => i.track.title)).toEqual([
      longQuery.slice(0, 200),
      'Daft Punk',
    ]);
    expect(fake.refusals).toEqual([]);
  });

  it("follows the guild's request rules: in DJ-only mode moderators and the broadcaster request, viewers are told why not", async () => {
    await settings.update(GUILD, { requestAccess: 'dj' });
    expect(await say(alice, '!sr nope')).toBe(
      '@Alice Song requests are limited to DJs on this server right now.',
    );
    expect(await say(carol, '!sr from a mod')).toMatch(/^@Carol "from a mod by Test Artist" queued at #1\./);
    const broadcaster: FakeViewer = {
      login: CHANNEL,
      displayName: 'StreamerOne',
      userId: '1000',
      broadcaster: true,
    };
    expect(await say(broadcaster, '!sr from the streamer')).toMatch(/queued at #2\./);
    expect((await queue.all(GUILD)).items.map((i) => i.requestedBy)).toEqual(['twitch:1003', 'twitch:1000']);
  });

  it("answers in chat when the guild's block list or cooldown refuses a request, and queues nothing for it", async () => {
    await blocklist.add(GUILD, [{ kind: 'keyword', value: 'Crazy Frog' }]);
    const blocked = await say(alice, '!sr crazy frög axel f');
    expect(blocked).toMatch(/^@Alice .*block/i);
    expect(blocked.toLowerCase()).toContain('crazy frog');
    expect((await queue.all(GUILD)).items).toHaveLength(0);

    await settings.update(GUILD, { requestCooldownSeconds: 600 });
    expect(await say(alice, '!sr first')).toMatch(/queued at #1\./);
    const cooled = await say(alice, '!sr second');
    expect(cooled).toMatch(/^@Alice .*(wait|cooldown|again)/i);
    // The cooldown is per requester: another viewer is not held by Alice's.
    expect(await say(bob, '!sr third')).toMatch(/queued at #2\./);
    expect((await queue.all(GUILD)).items.map((i) => i.track.title)).toEqual(['first', 'third']);
    expect(fake.refusals).toEqual([]);
  });

  it('answers a failure that is no refusal generically, and keeps the connection and the queue', async () => {
    await say(alice, '!sr kept');
    expect(await say(bob, '!sr crash')).toBe('@Bob_B Something went wrong with that; try again in a moment.');
    expect(await say(bob, '!queue')).toBe('@Bob_B Next: #1 "kept by Test Artist" (0)');
    expect(fake.logins).toBe(1);
  });

  it('reconnects and rejoins after the fake drops the connection, and answers again', async () => {
    await say(alice, '!sr before');
    fake.dropConnections();
    await fake.until(() => fake.logins === 2 && fake.hasJoined(CHANNEL), 'a second login that rejoins');
    await chat.connectionOf(GUILD)!.waitFor('connected');
    expect(await say(bob, '!queue')).toBe('@Bob_B Next: #1 "before by Test Artist" (0)');
  });

  it("follows Twitch's RECONNECT and answers PING", async () => {
    fake.ping();
    await fake.until(() => fake.pongs === 1, 'a PONG');
    fake.sendReconnect();
    await fake.until(() => fake.logins === 2 && fake.hasJoined(CHANNEL), 'a login after RECONNECT');
    await chat.connectionOf(GUILD)!.waitFor('connected');
    expect(await say(alice, '!song')).toMatch(/^@Alice Nothing is playing/);
  });

  it('pauses the link on a revoked token, tells the admins and keeps the queue', async () => {
    await say(alice, '!sr keep me');
    fake.revoke(BOT.token);
    fake.dropConnections();
    await fake.until(() => fake.failedLogins >= 1, 'the refused login');
    const status = await waitFor(
      async () => {
        const s = await chat.status(GUILD);
        return s.state === 'paused' ? s : null;
      },
      { what: 'the link to pause' },
    );
    expect(status.pausedReason).toMatch(/Login authentication failed/);
    expect(notices).toEqual([
      { guildId: GUILD, text: expect.stringMatching(/paused.*refused.*queue is kept/s) },
    ]);
    expect((await queue.all(GUILD)).items.map((i) => i.track.title)).toEqual(['keep me']);
    // It does not hammer Twitch with a token it knows is refused.
    expect(fake.failedLogins).toBe(1);
    expect(fake.openConnections).toBe(0);
  });

  it('unlinks: the bot leaves the chat and status says not linked', async () => {
    await chat.unlink(GUILD);
    await fake.until(() => fake.openConnections === 0, 'the bot to leave');
    expect(await chat.status(GUILD)).toMatchObject({ linked: false, state: 'not-linked' });
    await expect(chat.unlink(GUILD)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses a bad channel name or command word, and a channel another server has', async () => {
    await expect(chat.link(GUILD, 'no spaces allowed')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(chat.link(GUILD, CHANNEL, { request: '!SR' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(chat.link(GUILD, CHANNEL, { request: 'song' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(chat.link(snowflake(2), CHANNEL)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await chat.status(GUILD)).channel).toBe(CHANNEL);
  });

  it("uses the guild's own command words", async () => {
    await chat.link(GUILD, CHANNEL, { request: 'request' });
    await chat.connectionOf(GUILD)!.waitFor('connected');
    expect(await say(alice, '!request my song')).toMatch(/queued at #1/);
    fake.viewerSays(CHANNEL, alice, '!sr not this');
    expect(await say(alice, '!queue')).toBe('@Alice Next: #1 "my song by Test Artist" (0)');
  });
});
