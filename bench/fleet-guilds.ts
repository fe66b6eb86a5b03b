import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { FakeDiscord } from '../test/fakes/discord/index.ts';
import { BotProcess, type LogLine } from '../test/support/bot-process.ts';
import { createTestDatabase, type TestDatabase } from '../test/support/postgres.ts';
import { freePort } from '../test/support/redis-server.ts';

const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const GUILDS = Number(process.env.BENCH_FLEET_GUILDS ?? 10_000);
const SHARDS = 8;
const PRELOAD = fileURLToPath(new URL('./gc-signal.ts', import.meta.url));
/** Let the processes finish what follows READY (resume, command check) before memory is read. */
const SETTLE_MS = 3_000;

interface Layout {
  name: string;
  /** SHARD_IDS of each bot process. */
  ranges: string[];
  maxConcurrency: number;
  guilds: number;
  /** Channels and roles per guild besides @everyone (default: one text and one voice channel, no role). */
  shape?: { text: number; voice: number; roles: number };
}

export interface GuildFleetRow extends Layout {
  /** From spawning the processes to the last one's "connected to Discord" (every shard READY). */
  readyS: number;
  /** Until the last process had booted (read its settings, resolved its shards) and was about to log in. */
  bootS: number;
  /** Per process, after a forced full GC. */
  rssMb: number[];
  heapUsedMb: number[];
  guildsSeen: number;
  identifyTooSoon: number;
}

const mb = (bytes: number) => bytes / 1024 / 1024;

/**
 * Starts the bot processes of one layout (`npm start` each, with SHARD_COUNT=auto and its SHARD_IDS)
 * against a fake Discord holding `guilds` idle guilds, waits for every shard to be ready, forces a GC in
 * each process and reads its memory.
 */
async function run(layout: Layout, database: TestDatabase): Promise<GuildFleetRow> {
  const discord = await FakeDiscord.start();
  discord.recommendedShards = SHARDS;
  discord.gateway.maxConcurrency = layout.maxConcurrency;
  // An idle guild: @everyone, a text and a voice channel, one member besides the bot, nobody in voice.
  const shape = layout.shape ?? { text: 1, voice: 1, roles: 0 };
  for (let i = 0; i < layout.guilds; i++) {
    const guild = discord.createGuild(`Community ${i}`, false, { shard: [i % SHARDS, SHARDS] });
    for (let c = 0; c < shape.text; c++) discord.addTextChannel(guild, `text-${c}`);
    for (let c = 0; c < shape.voice; c++) discord.addVoiceChannel(guild, `voice-${c}`);
    for (let r = 0; r < shape.roles; r++) discord.addRole(guild, `role-${r}`);
    discord.addMember(guild, `member${i}`);
  }
  const namespace = `bench-guilds-${randomUUID().slice(0, 8)}`;
  const bots: BotProcess[] = [];
  try {
    const env = async (range: string) => ({
      DISCORD_TOKEN: discord.token,
      DISCORD_API_URL: discord.apiUrl,
      SHARD_COUNT: 'auto',
      SHARD_IDS: range,
      HTTP_PORT: String(await freePort()),
      REDIS_URL,
      REDIS_NAMESPACE: namespace,
      DATABASE_URL: database.url,
      LOG_LEVEL: 'info',
      NODE_OPTIONS: `--import=${PRELOAD}`,
      ...(process.env.BENCH_HEAP_SNAPSHOT ? { BENCH_HEAP_SNAPSHOT: process.env.BENCH_HEAP_SNAPSHOT } : {}),
    });
    for (const range of layout.ranges) bots.push(new BotProcess(await env(range)));
    const t0 = Date.now();
    await Promise.all(bots.map((b) => b.start('Unified Music is running')));
    const connected = await Promise.all(
      bots.map((b) => b.waitForLog((l) => l.msg === 'connected to Discord')),
    );
    const readyS = (Math.max(...connected.map((l) => Number(l.time))) - t0) / 1000;
    const booted = await Promise.all(
      bots.map((b) => b.waitForLog((l) => l.msg === 'discord shards of this process')),
    );
    const bootS = (Math.max(...booted.map((l) => Number(l.time))) - t0) / 1000;
    const guildsSeen = connected.reduce((sum, l) => sum + Number(l.guilds), 0);
    if (guildsSeen !== layout.guilds)
      throw new Error(`${layout.name}: the processes saw ${guildsSeen} guilds, not ${layout.guilds}`);
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const memory: LogLine[] = await Promise.all(
      bots.map((b) => {
        const line = b.waitForLog((l) => l.msg === 'bench: memory after gc' && l.pid === b.pid);
        process.kill(b.pid!, 'SIGUSR2');
        return line;
      }),
    );
    return {
      ...layout,
      readyS,
      bootS,
      rssMb: memory.map((m) => mb(Number(m.rss))),
      heapUsedMb: memory.map((m) => mb(Number(m.heapUsed))),
      guildsSeen,
      identifyTooSoon: discord.gateway.identifyTooSoon.length,
    };
  } finally {
    await Promise.all(bots.map((b) => b.stop()));
    await discord.stop();
  }
}

/** The layouts: an empty baseline, then GUILDS idle guilds on 8 shards in 1 and in 4 processes. */
export function layouts(): Layout[] {
  const one = ['0-7'];
  const four = ['0-1', '2-3', '4-5', '6-7'];
  const only = process.env.BENCH_FLEET_LAYOUTS?.split(',');
  return [
    { name: '1 process, no guilds (baseline)', ranges: one, maxConcurrency: SHARDS, guilds: 0 },
    { name: '1 process x 8 shards', ranges: one, maxConcurrency: SHARDS, guilds: GUILDS },
    { name: '4 processes x 2 shards', ranges: four, maxConcurrency: SHARDS, guilds: GUILDS },
    { name: '1 process x 8 shards', ranges: one, maxConcurrency: 1, guilds: GUILDS },
    { name: '4 processes x 2 shards', ranges: four, maxConcurrency: 1, guilds: GUILDS },
    // Only when asked (BENCH_FLEET_LAYOUTS=0,5): guilds shaped like a small real community.
    {
      name: '1 process x 8 shards, 10 text + 5 voice channels + 10 roles a guild',
      ranges: one,
      maxConcurrency: SHARDS,
      guilds: GUILDS,
      shape: { text: 10, voice: 5, roles: 10 },
    },
  ].filter((_, i) => (only ? only.includes(String(i)) : i < 5));
}

/** `npm run bench -- fleet`, first part: start-up and idle memory of 10,000 guilds on 8 shards. */
export async function benchGuildFleet(): Promise<string> {
  const database = await createTestDatabase();
  const rows: GuildFleetRow[] = [];
  try {
    for (const layout of layouts()) rows.push(await run(layout, database));
  } finally {
    await database.drop();
  }
  const baseline = rows.find((r) => r.guilds === 0);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const lines = rows.map((r) => {
    const total = sum(r.rssMb);
    const perK = r.guilds > 0 ? (total / r.guilds) * 1000 : Number.NaN;
    const aboveBase =
      baseline && r.guilds > 0
        ? ((total - baseline.rssMb[0]! * r.ranges.length) / r.guilds) * 1000
        : Number.NaN;
    const heapPerK =
      baseline && r.guilds > 0
        ? ((sum(r.heapUsedMb) - baseline.heapUsedMb[0]! * r.ranges.length) / r.guilds) * 1000
        : Number.NaN;
    const f = (n: number, d = 1) => (Number.isNaN(n) ? '-' : n.toFixed(d));
    return `| ${r.name} | ${r.guilds.toLocaleString('en-US')} | ${r.maxConcurrency} | ${f(r.readyS)} | ${f(r.bootS)} | ${r.rssMb.map((x) => x.toFixed(0)).join(' / ')} | ${total.toFixed(0)} | ${f(perK)} | ${f(aboveBase)} | ${f(heapPerK)} | ${r.identifyTooSoon} |`;
  });
  return [
    `Idle guilds on ${SHARDS} shards (SHARD_COUNT=auto from the fake's GET /gateway/bot; each guild: @everyone, a text and a voice channel, one member and the bot, nobody in voice). Start-up: from spawning the processes to the last "connected to Discord" (every shard READY, all GUILD_CREATEs in); "booting" is until the last process had read its settings and asked GET /gateway/bot, about to log in. Memory after a forced full GC in each process, ${SETTLE_MS / 1000} s after start-up.`,
    '',
    '| layout | guilds | max_concurrency | start-up s | of which booting s | RSS per process MB | RSS total MB | RSS per 1,000 guilds MB | above the empty baseline per 1,000 guilds MB | heap above baseline per 1,000 guilds MB | IDENTIFYs too soon |',
    '|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|',
    ...lines,
  ].join('\n');
}
