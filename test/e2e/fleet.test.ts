import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dominantFrequency } from '../fakes/audio.ts';
import { type FakeChannel, FakeDiscord, type FakeGuild, type FakeMember } from '../fakes/discord/index.ts';
import { FakeVoiceServer } from '../fakes/discord/voice/server.ts';
import { TestSocket } from '../integration/overlay/harness.ts';
import { NO_KEEP_ALIVE } from '../support/api.ts';
import { BotProcess, type LogLine } from '../support/bot-process.ts';
import { MediaServer } from '../support/media-server.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';
import { uniqueNamespace } from '../support/redis.ts';
import { TestRedisCluster } from '../support/redis-cluster.ts';
import { freePort } from '../support/redis-server.ts';
import { toneFile } from '../support/tones.ts';

const SHARDS = 4;
const API_TOKEN = 'fleet-e2e-token-0123456789abcdef';
const TONES = [440, 550, 660, 770];

interface Community {
  guild: FakeGuild;
  text: FakeChannel;
  voice: FakeChannel;
  alice: FakeMember;
}

/**
 * `npm run start:cluster` on a 3-master Redis Cluster against a fake Discord that shards as Discord
 * does (4 shards recommended):
 * discord.js's ShardingManager runs one bot process per shard, the manager's own process serves the
 * REST API and the overlays for every guild, and voice actions cross over Redis to the shard's process.
 */
describe('a fleet: one bot process per shard and an API process', () => {
  const namespace = uniqueNamespace('fleet');
  let discord: FakeDiscord;
  let voice: FakeVoiceServer;
  let media: MediaServer;
  let database: TestDatabase;
  let redis: TestRedisCluster;
  let fleet: BotProcess;
  let api: string;
  const communities: Community[] = [];

  beforeAll(async () => {
    voice = await FakeVoiceServer.start({ daveVersion: 0 });
    discord = await FakeDiscord.start();
    discord.recommendedShards = SHARDS;
    discord.gateway.maxConcurrency = SHARDS;
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
    redis = await TestRedisCluster.start(3, 1);
    const port = await freePort();
    fleet = new BotProcess(
      {
        DISCORD_TOKEN: discord.token,
        DISCORD_API_URL: discord.apiUrl,
        HTTP_PORT: String(port),
        API_TOKEN,
        REDIS_CLUSTER_NODES: redis.nodesSetting,
        REDIS_NAMESPACE: namespace,
        DATABASE_URL: database.url,
        MEDIA_ALLOWLIST: '127.0.0.1',
        NODE_EXTRA_CA_CERTS: voice.caBundle,
        LOG_LEVEL: 'info',
      },
      'src/app/cluster.ts',
    );
    await fleet.start('Unified Music fleet is running');
    api = `http://127.0.0.1:${port}`;
    // Every shard process has its guilds, and shard 0's process registered the commands.
    await discord.waitFor(() => discord.gateway.connectedShards.length === SHARDS);
    await fleet.waitForLog((l) => /slash commands (registered|are up to date)/.test(l.msg));
  }, 180_000);

  afterAll(async () => {
    await fleet?.stop();
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
      body: (await res.json()) as { data?: { key?: string }; error?: { code?: string } },
    };
  };

  /** The tone a guild's voice session carries in the 75 frames after `from`. */
  const heard = async (guildId: string, from: number) => {
    const session = voice.session(guildId)!;
    await session.until(() => session.audio(from).length >= 75);
    return dominantFrequency(session.pcm(session.audio(from).slice(0, 75)));
  };
  const near = (hz: number, want: number) => Math.abs(hz - want) / want < 0.02;
  const song = (name: string, hz: number) =>
    media.serve(`/${encodeURIComponent(name)}.mp3`, toneFile(hz, 30, 'mp3'));
  /** The pid of the bot process that runs `shard` (the newest one). */
  const ownerPid = (shard: number) =>
    fleet.logs
      .filter(
        (l: LogLine) => l.msg === 'discord shards of this process' && (l.shards as number[])?.[0] === shard,
      )
      .at(-1)?.pid as number | undefined;

  it('runs one bot process per shard, each identified for its own shard', () => {
    expect(discord.gateway.connectedShards).toEqual(['0/4', '1/4', '2/4', '3/4']);
    expect(communities.map((c) => Number((BigInt(c.guild.id) >> 22n) % BigInt(SHARDS)))).toEqual([
      0, 1, 2, 3,
    ]);
    const pids = new Set([0, 1, 2, 3].map(ownerPid));
    expect(pids.size).toBe(SHARDS);
    expect(pids.has(fleet.pid)).toBe(false);
  });

  it('/play in a guild of every shard is answered by that shard and heard in its voice channel', async () => {
    for (const [shard, c] of communities.entries()) {
      discord.setVoice(c.alice, c.voice);
      const seen = await discord.slash(c.alice, 'play', { query: song(`Shard ${shard} A`, TONES[shard]!) });
      expect(seen.content).toContain(`Now playing **Shard ${shard} A**`);
    }
    for (const [shard, c] of communities.entries()) {
      await voice.connected(c.guild.id);
      expect(near(await heard(c.guild.id, 0), TONES[shard]!)).toBe(true);
    }
  });

  it('a skip through the API process reaches the process of the guild (shard 3)', async () => {
    const c = communities[3]!;
    await discord.slash(c.alice, 'play', { query: song('Shard 3 B', 880) });
    const session = voice.session(c.guild.id)!;
    const from = session.packets.length;
    const skipped = await call('POST', `/api/v1/playback/${c.guild.id}/skip`, {});
    expect(skipped.status).toBe(200);
    expect(near(await heard(c.guild.id, from + 10), 880)).toBe(true);
  });

  it('a reaction vote in a guild of shard 3 shows on an overlay socket of the API process', async () => {
    const c = communities[3]!;
    await discord.slash(c.alice, 'play', { query: song('Shard 3 C', 990) });
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

  it('with the owner killed the API answers 503 BOT_UNAVAILABLE, and the restarted process plays on', async () => {
    const c = communities[3]!;
    const pid = ownerPid(3)!;
    const readyBefore = fleet.logs.filter((l) => l.msg === 'shard ready' && l.shard === 3).length;
    process.kill(pid, 'SIGKILL');
    // The manager notices the death; until a new process runs shard 3 nobody answers for the guild.
    await fleet.waitForLog(
      (l) => l.msg === 'shard process died; the manager starts it again' && l.shard === 3,
    );
    const refused = await call('POST', `/api/v1/playback/${c.guild.id}/pause`, {});
    expect(refused.status).toBe(503);
    expect(refused.body.error?.code).toBe('BOT_UNAVAILABLE');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const oldSession = voice.session(c.guild.id);
    await fleet.waitForLog(
      (l) =>
        l.msg === 'shard ready' &&
        l.shard === 3 &&
        fleet.logs.filter((x) => x.msg === 'shard ready' && x.shard === 3).length > readyBefore,
    );
    expect(ownerPid(3)).not.toBe(pid);
    await fleet.waitForLog((l) => l.msg === 'resumed playback after a restart' && l.guildId === c.guild.id);
    // The new process joins the voice channel again (a new voice session) and the same song plays on.
    await voice.until(() => voice.session(c.guild.id) !== oldSession);
    // Shard 3 B (880 Hz) was playing when the process died; Shard 3 C waits in the queue.
    expect(near(await heard(c.guild.id, 0), 880)).toBe(true);
  }, 120_000);

  it('answered every interaction once', () => {
    const callbacks = new Map<string, number>();
    for (const r of discord.rest.log) {
      const m = /^\/api\/v10\/interactions\/(\d+)\//.exec(r.path);
      if (r.method === 'POST' && m) callbacks.set(m[1]!, (callbacks.get(m[1]!) ?? 0) + 1);
    }
    expect(callbacks.size).toBeGreaterThan(0);
    expect([...callbacks.values()].every((n) => n === 1)).toBe(true);
  });
});
