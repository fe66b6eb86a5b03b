import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dominantFrequency } from '../fakes/audio.ts';
import { FakeVoiceServer } from '../fakes/discord/voice/server.ts';
import { toneFile } from '../support/tones.ts';
import { World } from './support/world.ts';

/**
 * A song whose server sends the first seconds and then hangs, connection open: the bot must not stay
 * silent for good. The voice pacer (src/discord/voice-pacer.ts) ends a started song whose source sent nothing
 * for 5 s, so the song ends where its audio ran out, its ffmpeg is killed, and the next one plays.
 */
describe('a song whose server hangs mid-file', () => {
  let world: World;
  let voice: FakeVoiceServer;

  beforeAll(async () => {
    voice = await FakeVoiceServer.start({ daveVersion: 0 });
    world = await World.start({ NODE_EXTRA_CA_CERTS: voice.caBundle });
    world.discord.voiceEndpoint = voice.endpoint;
    world.discord.setVoice(world.alice, world.voice);
  });
  afterAll(async () => {
    await world?.stop();
    await voice?.stop();
  });

  it('ends the hung song where its audio ran out and plays the next one', async () => {
    const file = toneFile(440, 20, 'mp3');
    // About 3 s of the 20 s mp3, then nothing.
    const stalled = world.media.stalling('/hangs.mp3', file, Math.floor(statSync(file).size * 0.15));
    await world.discord.slash(world.alice, 'play', { query: stalled });
    await world.discord.slash(world.alice, 'play', { query: world.song('After', 660, 'mp3', 20) });
    const session = await voice.connected(world.guild.id);
    const opened = () => world.bot.logs.filter((l) => l.msg === 'track audio opened').length;
    await world.bot.waitForLog(() => opened() >= 2);
    const from = session.packets.length;
    await session.until(() => session.audio(from).length >= 90);
    const hz = dominantFrequency(session.pcm(session.audio(from).slice(15, 90)));
    expect(Math.abs(hz - 660) / 660).toBeLessThan(0.02);
    const history = await world.discord.slash(world.alice, 'history');
    expect(JSON.stringify(history)).toContain('hangs');
    expect(world.bot.children('ffmpeg')).toHaveLength(1); // the hung song's ffmpeg was killed
  });
});
