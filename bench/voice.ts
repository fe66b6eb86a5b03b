import { toneFile } from '../test/support/tones.ts';
import { startVoiceWorld } from './voice-world.ts';

const RUNS = Number(process.env.BENCH_VOICE_RUNS ?? 8);

/**
 * Time from a /play interaction to the first RTP audio packet at the voice server, for a fresh guild
 * each run (so the voice connection is part of it): Ogg/Opus (passthrough) against mp3 (ffmpeg).
 */
export async function benchVoice(): Promise<string> {
  const world = await startVoiceWorld();
  const { voice, media, discord } = world;
  const urls = {
    'Ogg/Opus (passthrough)': media.serve('/tone.ogg', toneFile(440, 10, 'ogg-opus')),
    'mp3 (ffmpeg)': media.serve('/tone.mp3', toneFile(440, 10, 'mp3')),
  };
  const rows: string[] = [];
  try {
    for (const [label, url] of Object.entries(urls)) {
      const times: number[] = [];
      for (let run = -1; run < RUNS; run++) {
        const { guildId, member } = await world.guild(`bench ${label} ${run}`);
        const start = performance.now();
        const reply = discord.slash(member, 'play', { query: url });
        await voice.until(() => (voice.session(guildId)?.audio().length ?? 0) > 0);
        const first = voice.session(guildId)!.audio()[0]!.at;
        await reply;
        if (run >= 0) times.push(first - start); // run -1 warms up
        await discord.slash(member, 'stop');
      }
      times.sort((a, b) => a - b);
      const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(0);
      rows.push(`| ${label} | ${RUNS} | ${p(0)} | ${p(0.5)} | ${p(0.9)} | ${times.at(-1)!.toFixed(0)} |`);
    }
  } finally {
    await world.stop();
  }
  return [
    '/play interaction -> first RTP audio packet at the fake voice server (fresh guild each run: includes joining voice):',
    '',
    '| source | runs | min ms | p50 ms | p90 ms | max ms |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}
