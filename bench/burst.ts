import { randomUUID } from 'node:crypto';
import { BotProcess } from '../test/support/bot-process.ts';
import { createTestDatabase } from '../test/support/postgres.ts';
import { installPeers } from './peers/install.ts';
import { PeerProcess } from './peers/process.ts';
import { treeCpuSeconds, treePssMb } from './proc.ts';
import { World } from './world/index.ts';
import type { BurstResult } from './world/protocol.ts';

const COUNTS = (process.env.BENCH_GUILDS ?? '1,10,50').split(',').map(Number);
const PASSTHROUGH = Number(process.env.BENCH_PASSTHROUGH ?? 200);
const BOTS = (process.env.BENCH_BOTS ?? 'plain,discord-player,ours').split(',');
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Each stream is measured over 15 s of audio from its first packet. */
const WINDOW_MS = 15_000;
const TIMEOUT_MS = 90_000;

interface Row {
  bot: string;
  source: 'mp3' | 'ogg';
  result: BurstResult;
  cpuS: number;
  pssPerStreamMb: number;
  idlePssMb: number;
}

interface Running {
  pid: number;
  stop(): Promise<unknown>;
}

type Starter = (world: World) => Promise<Running>;

/** Ours as `npm start` runs it with Redis and PostgreSQL. */
function ours(databaseUrl: string): Starter {
  return async (world) => {
    const namespace = `bench-burst-${randomUUID().slice(0, 8)}`;
    const bot = await BotProcess.start({
      DISCORD_TOKEN: world.info.token,
      DISCORD_API_URL: world.info.apiUrl,
      HTTP_PORT: '0',
      REDIS_URL,
      REDIS_NAMESPACE: namespace,
      DATABASE_URL: databaseUrl,
      MEDIA_ALLOWLIST: '127.0.0.1',
      NODE_EXTRA_CA_CERTS: world.info.caBundle,
      LOG_LEVEL: 'info',
    });
    return { pid: bot.pid!, stop: () => bot.stop() };
  };
}

function peer(dir: string, script: string): Starter {
  return async (world) =>
    PeerProcess.start(dir, script, {
      DISCORD_TOKEN: world.info.token,
      DISCORD_API_URL: world.info.apiUrl,
      NODE_EXTRA_CA_CERTS: world.info.caBundle,
    });
}

/** One bot, freshly started against a fresh world: `count` guilds, /play in all of them at once. */
async function run(bot: string, start: Starter, count: number, source: 'mp3' | 'ogg'): Promise<Row> {
  const world = await World.start();
  const running = await start(world);
  try {
    await world.commandsRegistered();
    await world.addGuilds(count);
    await new Promise((r) => setTimeout(r, 1_000));
    const idlePssMb = treePssMb(running.pid);
    const cpu0 = treeCpuSeconds(running.pid);
    let peakPss = idlePssMb;
    const sampler = setInterval(() => {
      peakPss = Math.max(peakPss, treePssMb(running.pid));
    }, 2_000);
    const result = await world.burst(source, WINDOW_MS, TIMEOUT_MS).finally(() => clearInterval(sampler));
    const cpuS = treeCpuSeconds(running.pid) - cpu0;
    return {
      bot,
      source,
      result,
      cpuS,
      pssPerStreamMb: (peakPss - idlePssMb) / Math.max(1, result.started),
      idlePssMb,
    };
  } finally {
    await running.stop();
    await world.stop();
  }
}

const pct = (xs: number[], q: number) => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

function line(r: Row): string {
  const { result: x } = r;
  const ratio = (x.packets / x.expectedPackets) * 100;
  return `| ${x.guilds} | ${r.source} | ${r.bot} | ${x.started}/${x.guilds} | ${pct(x.firstMs, 0.5).toFixed(0)} | ${pct(x.firstMs, 0.95).toFixed(0)} | ${x.gapsOver40} | ${x.maxGapMs.toFixed(0)} | ${x.packets} / ${x.expectedPackets} (${ratio.toFixed(1)}%) | ${r.cpuS.toFixed(1)} | ${(r.cpuS / Math.max(1, x.started)).toFixed(2)} | ${r.pssPerStreamMb.toFixed(1)} | ${r.idlePssMb.toFixed(0)} |${x.failures.length ? ` ${x.failures[0]!.slice(0, 80)}` : ''}`;
}

/**
 * The start burst, side by side: a plain @discordjs/voice bot and discord-player 7.2 (installed from the
 * npm registry into a temporary folder at run time) and ours, each freshly started against a fresh
 * world (fake Discord, fake voice server and media server in another process). N guilds send /play
 * for a 30 s mp3 at once; then 200 guilds play Ogg/Opus (passthrough) at once.
 */
export async function benchBurst(): Promise<string> {
  const dir = installPeers();
  const database = await createTestDatabase();
  const starters: Record<string, Starter> = {
    plain: peer(dir, 'plain-bot.mjs'),
    'discord-player': peer(dir, 'dp-bot.mjs'),
    ours: ours(database.url),
  };
  const rows: string[] = [];
  try {
    for (const count of COUNTS) {
      for (const bot of BOTS) {
        const row = await run(bot, starters[bot]!, count, 'mp3');
        rows.push(line(row));
        console.error(rows.at(-1));
      }
    }
    if (PASSTHROUGH > 0) {
      for (const bot of BOTS.filter((b) => b !== 'discord-player')) {
        rows.push(line(await run(bot, starters[bot]!, PASSTHROUGH, 'ogg')));
        console.error(rows.at(-1));
      }
    }
  } finally {
    await database.drop();
  }
  return [
    `/play in N guilds at once -> audio at the fake voice server; each stream measured over ${WINDOW_MS / 1000} s from its first packet. CPU: the bot's process tree (ffmpeg included) from the burst to the end of the last window. PSS per stream: peak tree PSS during the burst minus idle, per stream.`,
    '',
    '| guilds | source | bot | started | first RTP p50 ms | p95 ms | gaps > 40 ms | max gap ms | packets / real-time expected | CPU s | CPU s per stream | PSS MB per stream | idle PSS MB |',
    '|---:|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}
