import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisQueueStore } from '../../src/storage/queue/redis-store.ts';
import { dominantFrequency } from '../fakes/audio.ts';
import { type FakeChannel, FakeDiscord, type FakeGuild, type FakeMember } from '../fakes/discord/index.ts';
import { FakeVoiceServer } from '../fakes/discord/voice/server.ts';
import { TestSocket } from '../integration/overlay/harness.ts';
import { NO_KEEP_ALIVE } from '../support/api.ts';
import { BotProcess } from '../support/bot-process.ts';
import { MediaServer } from '../support/media-server.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';
import { uniqueNamespace } from '../support/redis.ts';
import { TestRedisCluster } from '../support/redis-cluster.ts';
import { freePort } from '../support/redis-server.ts';
import { toneFile, toneSteps } from '../support/tones.ts';
import { waitFor } from '../support/wait.ts';

const SHARDS = 4;
const API_TOKEN = 'fleet-ranges-token-0123456789abcdef';
const TONES = [440, 550, 660, 770];
/** The song skipped to in shard 3's guild: 880 Hz for its first 5 s, then 1320 Hz. */
const STEP = { first: 880, seconds: 5, second: 1320 };

interface Community {
  guild: FakeGuild;
  text: FakeChannel;
  voice: FakeChannel;
  alice: FakeMember;
}

/**
 * Several machines, as README's "Running several processes" describes them, on one: two bot processes
 * started as `npm start` runs them, each with a shard range (`SHARD_COUNT=4`, `SHARD_IDS=0-1` and `2-3`,
 * two shards per process through discord.js's internal sharding), and one API-only process (no
 * `DISCORD_TOKEN`), on a 3-master Redis Cluster and one PostgreSQL, against a fake Discord that shards
 * as Discord does. The API process starts first, as behind a load balancer that comes up before the bots.
 */
describe('a fleet of shard ranges: two `npm start` bots of two shards each and an API process', () => {
  const namespace = uniqueNamespace('ranges');
  let discord: FakeDiscord;
  let voice: FakeVoiceServer;
  let media: MediaServer;
  let database: TestDatabase;
  let redis: TestRedisCluster;
  let inspect: Cluster;
  let low: BotProcess;
  let high: BotProcess;
  let apiProcess: BotProcess;
  let api: string;
  const communities: Community[] = [];
  /** What the API process said about a guild's player before any bot ran. */
  let beforeBots: { status: number; body: { data?: Record<string, unknown> } };

  beforeAll(async () => {
    voice = await FakeVoiceServer.start({ daveVersion: 0 });
    discord = await FakeDiscord.start();
    discord.recommendedShards = SHARDS;
    // Discord's usual max_concurrency: one shard start per 5 s for the whole bot, which the two bots,
    // started together, share through Redis.
    discord.gateway.maxConcurrency = 1;
    discord.voiceEndpoint = voice.endpoint;
    for (let shard = 0; shard < SHARDS; shard++) {
      const guild = discord.createGuild(`Shard ${shard}`, true, { shard: [shard, SHARDS] });
      communities.push({
        guild,
        text: discord.addTextChannel(guild, 'music'),
        voice: discord.addVoiceChannel(guild, 'Lounge'),
        alice: discord.addMember(guild, 'alice', { admin: true }),
      });
    }
    media = await MediaServer.start();
    database = await createTestDatabase();
    redis = await TestRedisCluster.start(3, 0);
    inspect = redis.client();
    const shared = {
      DISCORD_API_URL: discord.apiUrl,
      API_TOKEN,
      REDIS_CLUSTER_NODES: redis.nodesSetting,
      REDIS_NAMESPACE: namespace,
      DATABASE_URL: database.url,
      MEDIA_ALLOWLIST: '127.0.0.1',
      NODE_EXTRA_CA_CERTS: voice.caBundle,
      LOG_LEVEL: 'info',
    };
    const apiPort = await freePort();
    api = `http://127.0.0.1:${apiPort}`;
    // The API process first: it migrates the database, and it must route once the bots register.
    apiProcess = await BotProcess.start({ ...shared, HTTP_PORT: String(apiPort) });
    // Asked before any bot registered: the API process answers itself (nothing plays). It must not keep
    // that "no bots" answer: the bots below register moments later and from then on it routes.
    beforeBots = await call('GET', `/api/v1/playback/${communities[0]!.guild.id}/state`);
    const bot = async (ids: string) =>
      new BotProcess({
        ...shared,
        DISCORD_TOKEN: discord.token,
        HTTP_PORT: String(await freePort()),
        SHARD_COUNT: String(SHARDS),
        SHARD_IDS: ids,
      });
    low = await bot('0-1');
    high = await bot('2-3');
    const starting = performance.now();
    await Promise.all([low.start(), high.start()]);
    await discord.waitFor(() => discord.gateway.connectedShards.length === SHARDS);
    console.info(
      `two bots of two shards each: all 4 shards connected after ${(performance.now() - starting).toFixed(0)} ms; IDENTIFYs too soon: ${discord.gateway.identifyTooSoon.length}`,
    );
    // The process running shard 0 registers the commands, the other one leaves them.
    await low.waitForLog((l) => /slash commands (registered|are up to date)/.test(l.msg));
  }, 180_000);

  afterAll(async () => {
    await Promise.all([low?.stop(), high?.stop(), apiProcess?.stop()]);
    inspect?.disconnect();
    await discord?.stop();
    await voice?.stop();
    await media?.close();
    await redis?.stop();
    await database?.drop();
  });

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${api}${path}`, {
      method,
      headers: { ...NO_KEEP_ALIVE, authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return {
      status: res.status,
      headers: res.headers,
      body: (await res.json()) as {
        data?: Record<string, unknown> & {
          key?: string;
          items?: { track: { name: string }; votes: number }[];
        };
        error?: { code?: string; details?: { reason?: string } };
      },
    };
  };

  /** The tone a guild's voice session carries in the 75 frames (1.5 s) after packet `from`. */
  const heard = async (guildId: string, from: number) => {
    const session = voice.session(guildId)!;
    await session.until(() => session.audio(from).length >= 75);
    return dominantFrequency(session.pcm(session.audio(from).slice(0, 75)));
  };
  const near = (hz: number, want: number) => Math.abs(hz - want) / want < 0.02;
  const song = (name: string, file: string) => media.serve(`/${encodeURIComponent(name)}.mp3`, file);

  it('each bot identifies its own range of shards, and the API process connects to none', () => {
    expect(discord.gateway.connectedShards).toEqual(['0/4', '1/4', '2/4', '3/4']);
    const shardsOf = (p: BotProcess) => p.runLogs.find((l) => l.msg === 'discord shards of this process');
    expect(shardsOf(low)).toMatchObject({ shard_count: 4, shards: [0, 1], pid: low.pid });
    expect(shardsOf(high)).toMatchObject({ shard_count: 4, shards: [2, 3], pid: high.pid });
    expect(shardsOf(apiProcess)).toBeUndefined();
    expect(beforeBots.status).toBe(200);
    expect(beforeBots.body.data).toMatchObject({ state: 'idle', voice_channel_id: null });
    expect(communities.map((c) => Number((BigInt(c.guild.id) >> 22n) % BigInt(SHARDS)))).toEqual([
      0, 1, 2, 3,
    ]);
  });

  it('/play in a guild of every shard is answered by its process and heard in its voice channel', async () => {
    for (const [shard, c] of communities.entries()) {
      discord.setVoice(c.alice, c.voice);
      const file = toneFile(TONES[shard]!, 30, 'mp3');
      const seen = await discord.slash(c.alice, 'play', { query: song(`Shard ${shard} A`, file) });
      expect(seen.content).toContain(`Now playing **Shard ${shard} A**`);
    }
    for (const [shard, c] of communities.entries()) {
      await voice.connected(c.guild.id);
      expect(near(await heard(c.guild.id, 0), TONES[shard]!)).toBe(true);
      // The API process reads the player's state from the process that runs the guild.
      const state = await call('GET', `/api/v1/playback/${c.guild.id}/state`);
      expect(state.body.data).toMatchObject({ state: 'playing', voice_channel_id: c.voice.id });
    }
  });

  it('a skip through the API process reaches the process running shard 3 (the next tone is heard)', async () => {
    const c = communities[3]!;
    const next = toneSteps(
      [
        [STEP.first, STEP.seconds],
        [STEP.second, 40],
      ],
      'mp3',
    );
    const queued = await discord.slash(c.alice, 'play', { query: song('Shard 3 B', next) });
    expect(queued.content).toContain('**Shard 3 B**');
    const skipped = await call('POST', `/api/v1/playback/${c.guild.id}/skip`, {});
    expect(skipped.status).toBe(200);
    expect(skipped.body.data).toMatchObject({ current_queue_item: { track: { name: 'Shard 3 B' } } });
    // Answered once the owner has switched songs: what its voice sends from here on is the new song
    // (a few packets may still be on their way).
    const session = voice.session(c.guild.id)!;
    expect(near(await heard(c.guild.id, session.packets.length + 10), STEP.first)).toBe(true);
  });

  it('a reaction vote in a guild of shard 3 shows once on an overlay socket of the API process', async () => {
    const c = communities[3]!;
    await discord.slash(c.alice, 'play', { query: song('Shard 3 C', toneFile(990, 30, 'mp3')) });
    const { body } = await call('POST', `/api/v1/overlay/${c.guild.id}/key`);
    const page = await TestSocket.open(
      `${api.replace('http', 'ws')}/ws/music/${c.guild.id}?key=${body.data?.key}`,
    );
    await page.next('snapshot', () => true, 10_000);
    const message = discord
      .messagesIn(c.text)
      .find((m) => m.content.includes('**Shard 3 C**') && m.content.startsWith('Queued'))!;
    discord.react(message, c.alice, '👍');
    const update = await page.next(
      'queue_update',
      (f) => f.data.items.some((i) => i.track.name === 'Shard 3 C' && i.votes === 1),
      10_000,
    );
    expect(update.data.items.find((i) => i.track.name === 'Shard 3 C')?.votes).toBe(1);
    page.close();
  });

  it('with the process of shards 2-3 killed the API answers 503 BOT_UNAVAILABLE, and restarted it resumes at the position', async () => {
    const c = communities[3]!;
    // Wait until the saved position (every 3 s) is past the song's first tone.
    const store = new RedisQueueStore(inspect, { namespace, ttlSeconds: 3600, historyLimit: 50 });
    const saved = await waitFor(
      async () =>
        (await store.playbackSnapshots()).find(
          (s) => s.guildId === c.guild.id && s.positionMs >= (STEP.seconds + 1) * 1000,
        ),
      { timeout: 60_000, what: "shard 3's guild saved past the first tone" },
    );
    const oldSession = voice.session(c.guild.id);
    await high.kill();
    const asked = performance.now();
    const refused = await call('POST', `/api/v1/playback/${c.guild.id}/pause`, {});
    const answeredMs = performance.now() - asked;
    expect(refused.status).toBe(503);
    expect(refused.body.error?.code).toBe('BOT_UNAVAILABLE');
    // Nobody subscribes to the shard (answered at once) or nobody took it within the 2 s timeout.
    expect(['no-owner', 'no-ack']).toContain(refused.body.error?.details?.reason);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    console.info(
      `BOT_UNAVAILABLE after ${answeredMs.toFixed(0)} ms (${refused.body.error?.details?.reason})`,
    );
    // The guilds of the other process play on meanwhile.
    const state = await call('GET', `/api/v1/playback/${communities[0]!.guild.id}/state`);
    expect(state.status).toBe(200);

    await high.start();
    const resumed = await high.waitForLog(
      (l) => l.msg === 'resumed playback after a restart' && l.guildId === c.guild.id,
      high.runStart,
    );
    expect(resumed.itemId).toBe(saved.itemId);
    expect(resumed.positionMs as number).toBeGreaterThanOrEqual(saved.positionMs);
    await discord.waitFor(() => discord.gateway.connectedShards.length === SHARDS);
    // A new voice session, and the song's second tone: it went on from the position, not the start.
    await voice.until(() => voice.session(c.guild.id) !== oldSession);
    expect(near(await heard(c.guild.id, 0), STEP.second)).toBe(true);
    // And the API reaches the new process.
    const paused = await call('POST', `/api/v1/playback/${c.guild.id}/pause`, {});
    expect(paused.status).toBe(200);
  }, 180_000);

  it('answered every interaction once and counted the reaction once', async () => {
    const callbacks = new Map<string, number>();
    for (const r of discord.rest.log) {
      const m = /^\/api\/v10\/interactions\/(\d+)\//.exec(r.path);
      if (r.method === 'POST' && m) callbacks.set(m[1]!, (callbacks.get(m[1]!) ?? 0) + 1);
    }
    expect(callbacks.size).toBe(6);
    expect([...callbacks.values()].every((n) => n === 1)).toBe(true);
    const queue = await call('GET', `/api/v1/queue/${communities[3]!.guild.id}`);
    expect(queue.body.data?.items?.find((i) => i.track.name === 'Shard 3 C')?.votes).toBe(1);
  });
});
