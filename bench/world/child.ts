import { FakeDiscord } from '../../test/fakes/discord/index.ts';
import { FakeVoiceServer } from '../../test/fakes/discord/voice/server.ts';
import { MediaServer } from '../../test/support/media-server.ts';
import { toneFile } from '../../test/support/tones.ts';
import type { BurstResult, WorldReply, WorldRequest } from './protocol.ts';

/**
 * The bench's world in its own process (so that it never competes with a bot's event loop): a fake
 * Discord, a fake voice server and a media server with a 30 s mp3 and a 30 s Ogg/Opus tone. Driven
 * over IPC by `bench/world/index.ts`; every time is taken here, on one clock.
 */
const discord = await FakeDiscord.start();
const voice = await FakeVoiceServer.start({});
const media = await MediaServer.start();
discord.voiceEndpoint = voice.endpoint;
const urls = {
  mp3: media.serve('/tone.mp3', toneFile(440, 30, 'mp3')),
  ogg: media.serve('/tone.ogg', toneFile(440, 30, 'ogg-opus')),
};
/** The three-byte Opus silence frame that pads the end of a stream. */
const isSilence = (opus: Buffer) =>
  opus.length === 3 && opus[0] === 0xf8 && opus[1] === 0xff && opus[2] === 0xfe;
const members: ReturnType<FakeDiscord['addMember']>[] = [];

async function handle(req: WorldRequest): Promise<unknown> {
  switch (req.cmd) {
    case 'commands':
      await discord.waitFor(() => discord.registeredCommands().length > 0);
      return null;
    case 'guilds': {
      for (let i = 0; i < req.count; i++) {
        const guild = discord.createGuild(`bench ${members.length}`, false);
        discord.addTextChannel(guild, 'music');
        const lounge = discord.addVoiceChannel(guild, 'Lounge');
        const member = discord.addMember(guild, 'listener');
        guild.voiceStates.set(member.id, lounge.id);
        discord.announce(guild);
        members.push(member);
      }
      await new Promise((r) => setTimeout(r, 500 + req.count * 10)); // let the client cache them
      return null;
    }
    case 'burst':
      return burst(req.source, req.windowMs, req.timeoutMs);
  }
}

/** /play in every guild at once; then each stream's first packet, gaps and packet count over its window. */
async function burst(source: 'mp3' | 'ogg', windowMs: number, timeoutMs: number): Promise<BurstResult> {
  const sent: number[] = [];
  const failures: string[] = [];
  const t0 = performance.now();
  for (const member of members) {
    sent.push(performance.now());
    discord.slash(member, 'play', { query: urls[source] }).catch((err) => failures.push(String(err)));
  }
  const guildIds = members.map((m) => m.guild.id);
  const firstAt = (g: string) => voice.session(g)?.packets.find((p) => !isSilence(p.opus))?.at;
  const deadline = t0 + timeoutMs;
  // Wait for every stream's first packet, then for its window to pass.
  for (;;) {
    const firsts = guildIds.map(firstAt);
    const now = performance.now();
    const done = firsts.every((f) => f !== undefined && now >= f + windowMs);
    if (done || now > deadline) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const end = performance.now();
  const streams = guildIds.map((g, i) => {
    const first = firstAt(g);
    if (first === undefined) return null;
    const at = voice
      .session(g)!
      .packets.filter((p) => p.at >= first && p.at < first + windowMs && !isSilence(p.opus))
      .map((p) => p.at);
    const gaps = at.slice(1).map((t, k) => t - at[k]!);
    return { firstMs: first - sent[i]!, packets: at.length, gaps };
  });
  const started = streams.filter((s) => s !== null);
  return {
    guilds: guildIds.length,
    started: started.length,
    firstMs: started.map((s) => s.firstMs),
    packets: started.reduce((n, s) => n + s.packets, 0),
    expectedPackets: guildIds.length * Math.floor(windowMs / 20),
    gapsOver40: started.reduce((n, s) => n + s.gaps.filter((g) => g > 40).length, 0),
    maxGapMs: Math.max(0, ...started.flatMap((s) => s.gaps)),
    elapsedMs: end - t0,
    perStream: started.map((s) => s.packets),
    failures: failures.slice(0, 3),
  };
}

process.on('message', (raw) => {
  const req = raw as WorldRequest & { id: number };
  handle(req).then(
    (value) => process.send?.({ id: req.id, ok: true, value } satisfies WorldReply),
    (err) => process.send?.({ id: req.id, ok: false, error: String(err?.stack ?? err) } satisfies WorldReply),
  );
});
process.on('disconnect', () => process.exit(0));
process.send?.({
  id: 0,
  ok: true,
  value: { apiUrl: discord.apiUrl, token: discord.token, caBundle: voice.caBundle, urls },
} satisfies WorldReply);
