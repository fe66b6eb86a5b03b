import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dominantFrequency, rms } from '../fakes/audio.ts';
import { isSilence } from '../fakes/discord/voice/rtp.ts';
import { FakeVoiceServer } from '../fakes/discord/voice/server.ts';
import { World } from './support/world.ts';

let world: World;
let voice: FakeVoiceServer;

beforeAll(async () => {
  voice = await FakeVoiceServer.start({ daveVersion: 0 });
  world = await World.start({ NODE_EXTRA_CA_CERTS: voice.caBundle, IDLE_TIMEOUT_SECONDS: '300' });
  world.discord.voiceEndpoint = voice.endpoint;
  await world.discord.slash(world.admin, 'settings', { dj_role: world.djRole });
  world.discord.setVoice(world.alice, world.voice);
  world.discord.setVoice(world.bob, world.voice);
});
afterAll(async () => {
  await world?.stop();
  await voice?.stop();
});

/** The tone heard in the next `frames` audio frames (20 ms each) after `from`. */
async function heard(from: number, frames = 75): Promise<number> {
  const session = voice.session(world.guild.id)!;
  await session.until(() => session.audio(from).length >= frames);
  return dominantFrequency(session.pcm(session.audio(from).slice(0, frames)));
}

describe('voice playback into the fake voice server', () => {
  it('/play in a voice channel: the bot joins, advertises DAVE, and the 440 Hz tone arrives', async () => {
    const seen = await world.discord.slash(world.alice, 'play', {
      query: world.song('Tone A', 440, 'mp3', 60),
    });
    expect(seen.content).toContain('Now playing **Tone A**');
    const session = await voice.connected(world.guild.id);
    expect(session.identify).toMatchObject({ server_id: world.guild.id, max_dave_protocol_version: 1 });
    expect(world.discord.botVoiceChannel(world.guild)).toBe(world.voice.id);
    const hz = await heard(0);
    expect(Math.abs(hz - 440) / 440).toBeLessThan(0.02);
    // mp3 is turned into Opus by ffmpeg, which the voice layer's pace keeps running for a 60 s song.
    expect(world.bot.children('ffmpeg').length).toBe(1);
    expect(world.bot.logs.filter((l) => l.msg === 'track audio opened').at(-1)).toMatchObject({
      ffmpeg: true,
    });
  });

  it('/skip by the requester moves on to the next song (660 Hz)', async () => {
    await world.discord.slash(world.bob, 'play', { query: world.song('Tone B', 660, 'mp3', 120) });
    const session = voice.session(world.guild.id)!;
    const from = session.packets.length;
    const skipped = await world.discord.slash(world.alice, 'skip');
    expect(skipped.content).toBe('Skipped **Tone A**.');
    // Frames already in flight from Tone A may arrive first: listen a little later.
    const hz = await heard(from + 10);
    expect(Math.abs(hz - 660) / 660).toBeLessThan(0.02);
  });

  it('/pause stops the packets and /resume brings them back', async () => {
    const session = voice.session(world.guild.id)!;
    expect((await world.discord.slash(world.dj, 'pause')).content).toMatch(/^Paused \*\*Tone B\*\*/);
    const pausedAt = session.packets.length;
    // A paused player sends its five silence frames and then nothing: wait for a /nowplaying round trip.
    await world.discord.slash(world.alice, 'nowplaying');
    await world.discord.slash(world.alice, 'nowplaying');
    const afterPause = session.audio(pausedAt + 5).length;
    expect(afterPause).toBe(0);
    expect((await world.discord.slash(world.alice, 'nowplaying')).content).toContain('(paused)');
    expect((await world.discord.slash(world.dj, 'resume')).content).toMatch(/^Resumed \*\*Tone B\*\*/);
    const hz = await heard(session.packets.length);
    expect(Math.abs(hz - 660) / 660).toBeLessThan(0.02);
  });

  it('/volume 50 halves the level where the song was, and /seek jumps in it; one ffmpeg at a time', async () => {
    const session = voice.session(world.guild.id)!;
    const level = async (from: number) => {
      await session.until(() => session.audio(from).length >= 60);
      return rms(session.pcm(session.audio(from).slice(10, 60)));
    };
    const loud = await level(session.packets.length);
    expect((await world.discord.slash(world.dj, 'volume', { percent: 50 })).content).toBe(
      'Volume set to 50%.',
    );
    const quiet = await level(session.packets.length + 10);
    expect(quiet / loud).toBeGreaterThan(0.4);
    expect(quiet / loud).toBeLessThan(0.6);
    expect((await world.discord.slash(world.alice, 'volume')).content).toBe('Volume: 50%.');
    const opened = world.bot.logs.filter((l) => l.msg === 'track audio opened').length;
    const seek = await world.discord.slash(world.dj, 'seek', { time: '0:20' });
    expect(seek.content).toBe('Jumped to 0:20 in **Tone B**.');
    await world.bot.waitForLog(
      () => world.bot.logs.filter((l) => l.msg === 'track audio opened').length > opened,
    );
    expect(Math.abs((await heard(session.packets.length + 10)) - 660) / 660).toBeLessThan(0.02);
    expect(world.bot.children('ffmpeg').length).toBe(1);
    const refused = await world.discord.slash(world.dj, 'seek', { time: 'soon' });
    expect(refused).toMatchObject({
      ephemeral: true,
      content: '"soon" is not a time: write it like 1:23 or 83.',
    });
    expect((await world.discord.slash(world.alice, 'volume', { percent: 80 })).content).toMatch(/DJ/);
    await world.discord.slash(world.dj, 'volume', { percent: 100 });
  });

  it('/stop leaves the channel and leaves no ffmpeg process behind', async () => {
    const [pid] = world.bot.children('ffmpeg');
    expect(pid).toBeGreaterThan(0);
    const seen = await world.discord.slash(world.dj, 'stop');
    expect(seen.content).toMatch(/^Stopped and left/);
    await world.discord.waitFor(() => world.discord.botVoiceChannel(world.guild) === null);
    const session = voice.session(world.guild.id)!;
    await session.until(() => session.closed);
    await world.bot.waitForLog((l) => l.msg === 'ffmpeg exited' && l.pid === pid);
    expect(world.bot.children('ffmpeg')).toEqual([]);
  });

  it('plays Ogg/Opus without starting ffmpeg (passthrough)', async () => {
    await world.discord.slash(world.dj, 'clear');
    await world.discord.slash(world.alice, 'play', { query: world.song('Opus Tone', 440, 'ogg-opus', 4) });
    const session = await voice
      .until(() => voice.session(world.guild.id)?.closed === false)
      .then(() => voice.session(world.guild.id)!);
    const hz = await heard(0);
    expect(Math.abs(hz - 440) / 440).toBeLessThan(0.02);
    expect(world.bot.children('ffmpeg')).toEqual([]);
    expect(world.bot.logs.filter((l) => l.msg === 'track audio opened').at(-1)).toMatchObject({
      type: 'ogg/opus',
      ffmpeg: false,
    });
    // The whole song, without a break, paced: what arrives between its first frame and the silence
    // frames that end it spans its 4 s, with no silence inside (a stalled source is cut off by the
    // voice layer after a few missed frames), and arrives no faster than it plays. (How smoothly it
    // arrives is up to the machine's load, not the passthrough.)
    const start = session.packets.findIndex((p) => !isSilence(p.opus));
    const ended = () => session.packets.findIndex((p, i) => i > start && isSilence(p.opus));
    await session.until(() => ended() > 0);
    const end = ended();
    const song = session.packets.slice(start, end);
    const spanMs = ((song.at(-1)!.timestamp - song[0]!.timestamp) >>> 0) / 48; // 48 kHz RTP clock
    expect(spanMs).toBeGreaterThanOrEqual(3_900);
    expect(session.audio(end)).toEqual([]);
    expect(song.at(-1)!.at - song[0]!.at).toBeGreaterThanOrEqual(spanMs * 0.75);
    await world.discord.slash(world.dj, 'stop');
  });

  it('resumes the same track after the bot is killed and restarted mid-track', async () => {
    await world.discord.slash(world.alice, 'play', { query: world.song('Long Tone', 440, 'mp3', 30) });
    await voice.until(
      () =>
        (voice.session(world.guild.id)?.audio().length ?? 0) > 150 && !voice.session(world.guild.id)!.closed,
    );
    const before = voice.history.length;
    await world.bot.kill();
    await world.startBot();
    await voice.until(() => voice.history.length > before);
    const hz = await heard(0);
    expect(Math.abs(hz - 440) / 440).toBeLessThan(0.02);
    expect(world.bot.logs.some((l) => l.msg === 'resumed playback after a restart')).toBe(true);
    expect((await world.discord.slash(world.alice, 'nowplaying')).content).toContain('**Long Tone**');
    await world.discord.slash(world.dj, 'stop');
  });
});
