import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audioLost, dominantFrequency } from '../fakes/audio.ts';
import type { VirtualMember } from '../fakes/discord/voice/dave-member.ts';
import type { RtpPacket } from '../fakes/discord/voice/rtp.ts';
import { FakeVoiceServer, type VoiceSessionFake } from '../fakes/discord/voice/server.ts';
import { World } from './support/world.ts';

let world: World;
let voice: FakeVoiceServer;

beforeAll(async () => {
  voice = await FakeVoiceServer.start({ daveVersion: 1 });
  world = await World.start({ NODE_EXTRA_CA_CERTS: voice.caBundle, IDLE_TIMEOUT_SECONDS: '300' });
  world.discord.voiceEndpoint = voice.endpoint;
  await world.discord.slash(world.admin, 'settings', { dj_role: world.djRole });
  world.discord.setVoice(world.alice, world.voice);
  world.discord.setVoice(world.bob, world.voice);
  // Alice and Bob are in the call: davey sessions inside the fake, each decrypting what the bot sends.
  voice.daveCall(world.guild.id, { channelId: world.voice.id, members: [world.alice.id, world.bob.id] });
});
afterAll(async () => {
  await world?.stop();
  await voice?.stop();
});

const session = (): VoiceSessionFake => voice.session(world.guild.id)!;
const member = (id: string): VirtualMember => session().dave!.member(id);

/** Waits for `frames` audio frames after `from`, checks every one is DAVE-sealed, and returns the tone. */
async function heardSealed(from: number, frames = 75): Promise<{ hz: number; packets: RtpPacket[] }> {
  const s = session();
  await s.until(() => s.audio(from).length >= frames);
  const packets = s.audio(from).slice(0, frames);
  expect(packets.filter((p) => !p.sealed)).toEqual([]);
  return { hz: dominantFrequency(s.pcm(packets)), packets };
}

/** Frames a member decrypted, as arrival times, from packet time `since` on. */
const decryptedTimes = (m: VirtualMember, since: number) =>
  m.heard.filter((f) => f.ok && f.at >= since).map((f) => f.at);

describe('DAVE: the bot joins the MLS group and its audio is end-to-end encrypted', () => {
  it('/play: every audio frame carries the DAVE trailer, both listeners decrypt all, 440 Hz', async () => {
    const seen = await world.discord.slash(world.alice, 'play', {
      query: world.song('Tone A', 440, 'mp3', 60),
    });
    expect(seen.content).toContain('Now playing **Tone A**');
    const s = await voice.connected(world.guild.id);
    expect(s.identify).toMatchObject({ max_dave_protocol_version: 1 });
    const { hz } = await heardSealed(0, 100);
    expect(Math.abs(hz - 440) / 440).toBeLessThan(0.02);
    for (const id of [world.alice.id, world.bob.id]) {
      expect(member(id).heard.length).toBeGreaterThanOrEqual(100);
      expect(member(id).failures).toBe(0);
    }
    // The bot committed the others' Add; one transition, for protocol version 1.
    expect(s.dave!.executed).toMatchObject([{ version: 1 }]);
    expect(s.dave!.handshakes).toHaveLength(1);
    expect(s.daveErrors).toEqual([]);
  });

  it('/skip to the next song (660 Hz): still sealed, still decrypted', async () => {
    await world.discord.slash(world.bob, 'play', { query: world.song('Tone B', 660, 'mp3', 120) });
    const from = session().packets.length;
    expect((await world.discord.slash(world.alice, 'skip')).content).toBe('Skipped **Tone A**.');
    const { hz } = await heardSealed(from + 10);
    expect(Math.abs(hz - 660) / 660).toBeLessThan(0.02);
    expect(member(world.alice.id).failures).toBe(0);
  });

  it('a member joining mid-track (op 11 + Add, new epoch) hears the song; no gap over 1 s for the others', async () => {
    const dave = session().dave!;
    const epoch = dave.epoch;
    const since = performance.now();
    world.discord.setVoice(world.carol, world.voice);
    const carol = dave.join(world.carol.id);
    await session().until(() => carol.heard.filter((f) => f.ok).length >= 60);
    expect(dave.epoch).toBe(epoch + 1n);
    expect(dave.executed.at(-1)).toMatchObject({ version: 1 });
    const from = session().packets.length;
    const { hz } = await heardSealed(from, 60);
    expect(Math.abs(hz - 660) / 660).toBeLessThan(0.02);
    // Frames sent before her welcome were not for her; everything since decrypts.
    expect(carol.heard.slice(carol.heard.findIndex((f) => f.ok)).every((f) => f.ok)).toBe(true);
    const alice = member(world.alice.id);
    expect(alice.failures).toBe(0);
    // No audio lost over 1 s (a late burst that catches up, as on a busy machine, loses none).
    expect(audioLost(decryptedTimes(alice, since))).toBeLessThan(1000);
  });

  it('a member leaving (op 13 + Remove) is out of the group; the rest keep decrypting with no gap', async () => {
    const dave = session().dave!;
    const epoch = dave.epoch;
    const carol = member(world.carol.id);
    const since = performance.now();
    dave.leave(world.carol.id);
    world.discord.setVoice(world.carol, null);
    await session().until(() => dave.epoch === epoch + 1n && dave.executed.length >= 3);
    const { hz } = await heardSealed(session().packets.length, 60);
    expect(Math.abs(hz - 660) / 660).toBeLessThan(0.02);
    // Carol keeps her old keys, but the frames of the new epoch are not for her any more.
    const latest = session().audio().at(-1)!;
    expect(latest.sealed).toBe(true);
    expect(carol.hear(session().userId, latest.wire!, latest.at)).toBeNull();
    const alice = member(world.alice.id);
    expect(alice.failures).toBe(0);
    // No audio lost over 1 s (a late burst that catches up, as on a busy machine, loses none).
    expect(audioLost(decryptedTimes(alice, since))).toBeLessThan(1000);
  });

  it('a downgrade to protocol version 0 (op 21) sends plain frames; the upgrade (op 24) seals them again', async () => {
    const dave = session().dave!;
    const down = dave.downgrade();
    await session().until(() => dave.executed.some((t) => t.id === down));
    const plainFrom = session().packets.length + 5;
    await session().until(() => session().audio(plainFrom).length >= 60);
    const plain = session().audio(plainFrom).slice(0, 60);
    expect(plain.filter((p) => p.sealed)).toEqual([]);
    expect(Math.abs(dominantFrequency(session().pcm(plain)) - 660) / 660).toBeLessThan(0.02);

    const handshakes = dave.handshakes.length;
    dave.upgrade();
    await session().until(() => dave.handshakes.length > handshakes);
    expect(dave.version).toBe(1);
    const alice = member(world.alice.id);
    const failuresBefore = alice.failures;
    const { hz } = await heardSealed(session().packets.length + 5, 60);
    expect(Math.abs(hz - 660) / 660).toBeLessThan(0.02);
    expect(alice.failures).toBe(failuresBefore);
    await world.discord.slash(world.dj, 'stop');
    await session().until(() => session().closed);
  });

  it('joining a call already running: another member commits the bot in, and the bot is welcomed (op 30)', async () => {
    voice.daveCall(world.guild.id, {
      channelId: world.voice.id,
      members: [world.alice.id, world.bob.id],
      join: 'welcomed',
    });
    const before = voice.history.length;
    await world.discord.slash(world.alice, 'play', { query: world.song('Tone C', 440, 'ogg-opus', 4) });
    await voice.until(() => voice.history.length > before && !voice.session(world.guild.id)!.closed);
    const { hz } = await heardSealed(0, 100);
    expect(Math.abs(hz - 440) / 440).toBeLessThan(0.02);
    expect(member(world.alice.id).failures).toBe(0);
    expect(member(world.bob.id).failures).toBe(0);
    expect(session().dave!.ignoredCommits).toBe(0);
    expect(session().daveErrors).toEqual([]);
    await world.discord.slash(world.dj, 'stop');
  });
});
