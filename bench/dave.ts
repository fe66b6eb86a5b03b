import { readFileSync } from 'node:fs';
import { FakeDiscord } from '../test/fakes/discord/index.ts';
import { FakeVoiceServer } from '../test/fakes/discord/voice/server.ts';
import { BotProcess } from '../test/support/bot-process.ts';
import { MediaServer } from '../test/support/media-server.ts';
import { toneFile } from '../test/support/tones.ts';

const STREAMS = Number(process.env.BENCH_DAVE_STREAMS ?? 4);
/** Audio frames (20 ms each) every stream must deliver inside the measured window: 10 s. */
const WINDOW_FRAMES = 500;
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU seconds (user + system) a process has used so far, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

interface Run {
  cpuPerStream: number;
  handshakesMs: number[];
  sealed: number;
  frames: number;
}

/**
 * `STREAMS` guilds play Ogg/Opus (passthrough: no ffmpeg, so the bot's own CPU is what is measured) to
 * the fake voice server at protocol version `daveVersion`; under DAVE each call has one virtual listener,
 * so every frame is really encrypted. Measures the bot process's CPU over 10 s of audio on every stream.
 */
async function run(daveVersion: number): Promise<Run> {
  const discord = await FakeDiscord.start();
  const voice = await FakeVoiceServer.start({ daveVersion });
  const media = await MediaServer.start();
  discord.voiceEndpoint = voice.endpoint;
  const bot = await BotProcess.start({
    DISCORD_TOKEN: discord.token,
    DISCORD_API_URL: discord.apiUrl,
    HTTP_PORT: '0',
    PGLITE_DATA_DIR: 'memory://',
    MEDIA_ALLOWLIST: '127.0.0.1',
    NODE_EXTRA_CA_CERTS: voice.caBundle,
    LOG_LEVEL: 'info',
  });
  const url = media.serve('/tone.ogg', toneFile(440, 30, 'ogg-opus'));
  try {
    await discord.waitFor(() => discord.registeredCommands().length > 0);
    const guilds: string[] = [];
    for (let i = 0; i < STREAMS; i++) {
      const guild = discord.createGuild(`dave bench ${i}`, false);
      discord.addTextChannel(guild, 'music');
      const lounge = discord.addVoiceChannel(guild, 'Lounge');
      const member = discord.addMember(guild, 'listener');
      guild.voiceStates.set(member.id, lounge.id);
      voice.daveCall(guild.id, { channelId: lounge.id, members: [member.id] });
      discord.announce(guild);
      await new Promise((r) => setTimeout(r, 50)); // let the client cache the new guild
      await discord.slash(member, 'play', { query: url });
      guilds.push(guild.id);
    }
    const sessions = await Promise.all(guilds.map((g) => voice.connected(g)));
    await Promise.all(sessions.map((s) => s.until(() => s.audio().length >= 50)));
    const from = sessions.map((s) => s.packets.length);
    const cpu0 = cpuSeconds(bot.pid!);
    const t0 = performance.now();
    await Promise.all(sessions.map((s, i) => s.until(() => s.audio(from[i]).length >= WINDOW_FRAMES)));
    const wall = (performance.now() - t0) / 1000;
    const cpu = cpuSeconds(bot.pid!) - cpu0;
    const window = sessions.flatMap((s, i) => s.audio(from[i]).slice(0, WINDOW_FRAMES));
    return {
      cpuPerStream: cpu / wall / STREAMS,
      handshakesMs: sessions.flatMap((s) => s.dave?.handshakes ?? []),
      sealed: window.filter((p) => p.sealed).length,
      frames: window.length,
    };
  } finally {
    await bot.stop();
    await voice.stop();
    await discord.stop();
    await media.close();
  }
}

/** `npm run bench dave`: CPU per stream with and without DAVE, and the DAVE handshake time. */
export async function benchDave(): Promise<string> {
  const plain = await run(0);
  const dave = await run(1);
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  const hs = [...dave.handshakesMs].sort((a, b) => a - b);
  const median = hs[Math.floor(hs.length / 2)] ?? Number.NaN;
  return [
    `${STREAMS} guilds streaming Ogg/Opus at once; bot process CPU (user + system) over 10 s of audio per stream:`,
    '',
    '| voice protocol | CPU per stream (share of one core) | frames end-to-end encrypted |',
    '|---|---:|---:|',
    `| transport only (DAVE version 0) | ${pct(plain.cpuPerStream)} | ${plain.sealed} / ${plain.frames} |`,
    `| DAVE version 1, one listener | ${pct(dave.cpuPerStream)} | ${dave.sealed} / ${dave.frames} |`,
    '',
    `DAVE handshake (key package in -> transition executed, loopback, ${hs.length} joins): ` +
      `median ${median.toFixed(1)} ms, max ${(hs.at(-1) ?? Number.NaN).toFixed(1)} ms.`,
  ].join('\n');
}

if (process.argv[1]?.endsWith('bench/dave.ts')) console.log(await benchDave());
