import { toneFile } from '../test/support/tones.ts';
import { cpuSeconds } from './proc.ts';
import { startVoiceWorld } from './voice-world.ts';

const STREAMS = Number(process.env.BENCH_DAVE_STREAMS ?? 4);
/** Audio frames (20 ms each) every stream must deliver inside the measured window: 10 s. */
const WINDOW_FRAMES = 500;

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
  const world = await startVoiceWorld({ daveVersion });
  const { discord, voice, media, bot } = world;
  const url = media.serve('/tone.ogg', toneFile(440, 30, 'ogg-opus'));
  try {
    const guilds: string[] = [];
    for (let i = 0; i < STREAMS; i++) {
      const { guildId, channelId, member } = await world.guild(`dave bench ${i}`);
      voice.daveCall(guildId, { channelId, members: [member.id] });
      await discord.slash(member, 'play', { query: url });
      guilds.push(guildId);
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
    await world.stop();
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
