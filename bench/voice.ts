import { FakeDiscord } from '../test/fakes/discord/index.ts';
import { FakeVoiceServer } from '../test/fakes/discord/voice/server.ts';
import { BotProcess } from '../test/support/bot-process.ts';
import { MediaServer } from '../test/support/media-server.ts';
import { toneFile } from '../test/support/tones.ts';

const RUNS = Number(process.env.BENCH_VOICE_RUNS ?? 8);

/**
 * Time from a /play interaction to the first RTP audio packet at the voice server, for a fresh guild
 * each run (so the voice connection is part of it): Ogg/Opus (passthrough) against mp3 (ffmpeg).
 */
export async function benchVoice(): Promise<string> {
  const discord = await FakeDiscord.start();
  const voice = await FakeVoiceServer.start();
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
  const urls = {
    'Ogg/Opus (passthrough)': media.serve('/tone.ogg', toneFile(440, 10, 'ogg-opus')),
    'mp3 (ffmpeg)': media.serve('/tone.mp3', toneFile(440, 10, 'mp3')),
  };
  const rows: string[] = [];
  try {
    await discord.waitFor(() => discord.registeredCommands().length > 0);
    for (const [label, url] of Object.entries(urls)) {
      const times: number[] = [];
      for (let run = -1; run < RUNS; run++) {
        const guild = discord.createGuild(`bench ${run}`, false);
        discord.addTextChannel(guild, 'music');
        const lounge = discord.addVoiceChannel(guild, 'Lounge');
        const member = discord.addMember(guild, 'listener');
        guild.voiceStates.set(member.id, lounge.id);
        discord.announce(guild);
        await new Promise((r) => setTimeout(r, 50)); // let the client cache the new guild
        const start = performance.now();
        const reply = discord.slash(member, 'play', { query: url });
        await voice.until(() => (voice.session(guild.id)?.audio().length ?? 0) > 0);
        const first = voice.session(guild.id)!.audio()[0]!.at;
        await reply;
        if (run >= 0) times.push(first - start); // run -1 warms up
        await discord.slash(member, 'stop');
      }
      times.sort((a, b) => a - b);
      const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(0);
      rows.push(`| ${label} | ${RUNS} | ${p(0)} | ${p(0.5)} | ${p(0.9)} | ${times.at(-1)!.toFixed(0)} |`);
    }
  } finally {
    await bot.stop();
    await voice.stop();
    await discord.stop();
    await media.close();
  }
  return [
    '/play interaction -> first RTP audio packet at the fake voice server (fresh guild each run: includes joining voice):',
    '',
    '| source | runs | min ms | p50 ms | p90 ms | max ms |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}
