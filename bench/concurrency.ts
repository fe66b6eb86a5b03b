import { gaps } from '../test/fakes/audio.ts';
import { toneFile } from '../test/support/tones.ts';
import { cpuSeconds, processTree, rssMb } from './proc.ts';
import { startVoiceWorld } from './voice-world.ts';

const COUNTS = (process.env.BENCH_GUILDS ?? '1,10,50').split(',').map(Number);
/** 10 s of audio (20 ms frames) on every stream. */
const WINDOW_FRAMES = 500;

interface Row {
  guilds: number;
  playing: number;
  over40: number;
  maxGapMs: number;
  cpuPct: number;
  botRssMb: number;
  ffmpegRssMb: number;
}

async function run(count: number): Promise<Row> {
  const world = await startVoiceWorld();
  const { voice, media, discord, bot } = world;
  const url = media.serve('/tone.mp3', toneFile(440, 60, 'mp3'));
  try {
    const guilds: string[] = [];
    for (let i = 0; i < count; i++) {
      const { guildId, member } = await world.guild(`load ${i}`);
      await discord.slash(member, 'play', { query: url });
      guilds.push(guildId);
    }
    const sessions = await Promise.all(guilds.map((g) => voice.connected(g)));
    await Promise.all(sessions.map((s) => s.until(() => s.audio().length >= 50)));
    const from = sessions.map((s) => s.packets.length);
    const pids = processTree(bot.pid!);
    const cpu0 = pids.reduce((sum, p) => sum + cpuSeconds(p), 0);
    const t0 = performance.now();
    await Promise.all(sessions.map((s, i) => s.until(() => s.audio(from[i]).length >= WINDOW_FRAMES)));
    const wall = (performance.now() - t0) / 1000;
    const cpu = pids.reduce((sum, p) => sum + cpuSeconds(p), 0) - cpu0;
    const windows = sessions.map((s, i) =>
      s
        .audio(from[i])
        .slice(0, WINDOW_FRAMES)
        .map((p) => p.at),
    );
    const measured = windows.map((w) => gaps(w, 40));
    return {
      guilds: count,
      playing: windows.filter((w) => w.length >= WINDOW_FRAMES).length,
      over40: measured.reduce((n, g) => n + g.over, 0),
      maxGapMs: Math.max(...measured.map((g) => g.max)),
      cpuPct: (cpu / wall) * 100,
      botRssMb: rssMb(bot.pid!),
      ffmpegRssMb: pids.slice(1).reduce((sum, p) => sum + rssMb(p), 0),
    };
  } finally {
    await world.stop();
  }
}

/**
 * 1, 10 and 50 guilds playing an mp3 (each through its own ffmpeg) at once: inter-packet gaps at the
 * fake voice server over 10 s of audio per stream, and CPU and memory of the bot's process tree.
 */
export async function benchConcurrency(): Promise<string> {
  const rows: Row[] = [];
  for (const count of COUNTS) rows.push(await run(count));
  return [
    'Guilds playing mp3 at once (one ffmpeg each); 10 s of audio per stream measured at the fake voice server:',
    '',
    '| guilds | playing | gaps > 40 ms | max gap ms | CPU, process tree (% of one core) | bot RSS MB | ffmpeg RSS MB (all) |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.guilds} | ${r.playing} | ${r.over40} | ${r.maxGapMs.toFixed(1)} | ${r.cpuPct.toFixed(0)} | ${r.botRssMb.toFixed(0)} | ${r.ffmpegRssMb.toFixed(0)} |`,
    ),
  ].join('\n');
}
