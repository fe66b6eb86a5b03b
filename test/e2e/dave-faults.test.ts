import { VoiceOpcodes } from 'discord-api-types/voice/v8';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dominantFrequency } from '../fakes/audio.ts';
import type { FakeChannel, FakeGuild, FakeMember } from '../fakes/discord/index.ts';
import type { VirtualMember } from '../fakes/discord/voice/dave-member.ts';
import { FakeVoiceServer, type VoiceSessionFake } from '../fakes/discord/voice/server.ts';
import { World } from './support/world.ts';

let world: World;
let voice: FakeVoiceServer;
/** A second server playing at the same time, to prove one guild's DAVE trouble stays its own. */
let other: { guild: FakeGuild; voice: FakeChannel; erin: FakeMember };

beforeAll(async () => {
  voice = await FakeVoiceServer.start({ daveVersion: 1 });
  world = await World.start({ NODE_EXTRA_CA_CERTS: voice.caBundle, IDLE_TIMEOUT_SECONDS: '300' });
  world.discord.voiceEndpoint = voice.endpoint;
  const d = world.discord;
  const guild = d.createGuild('Other Community', false);
  d.addTextChannel(guild, 'music');
  other = { guild, voice: d.addVoiceChannel(guild, 'Hall'), erin: d.addMember(guild, 'erin') };
  d.setVoice(other.erin, other.voice);
  d.announce(guild);
  d.setVoice(world.alice, world.voice);
  voice.daveCall(world.guild.id, { channelId: world.voice.id, members: [world.alice.id] });
  voice.daveCall(guild.id, { channelId: other.voice.id, members: [other.erin.id] });
  await d.slash(world.alice, 'play', { query: world.song('Long A', 440, 'mp3', 120) });
  await d.slash(other.erin, 'play', { query: world.song('Long B', 660, 'mp3', 120) });
});
afterAll(async () => {
  await world?.stop();
  await voice?.stop();
});

const sessionOf = (guildId: string): VoiceSessionFake => voice.session(guildId)!;

/**
 * The guild's listener hears the next `frames` frames sealed and decrypted, at `hz`: its music is fine.
 * Returns the listener.
 */
async function playsSealed(
  guildId: string,
  listenerId: string,
  hz: number,
  frames = 60,
): Promise<VirtualMember> {
  const s = await voice.connected(guildId);
  await s.until(() => s.dave!.member(listenerId).heard.length > 0);
  const listener = s.dave!.member(listenerId);
  const from = s.packets.length;
  const heardFrom = listener.heard.length;
  await s.until(() => s.audio(from).length >= frames);
  const packets = s.audio(from).slice(0, frames);
  expect(packets.filter((p) => !p.sealed)).toEqual([]);
  expect(listener.heard.slice(heardFrom).filter((f) => !f.ok)).toEqual([]);
  expect(Math.abs(dominantFrequency(s.pcm(packets)) - hz) / hz).toBeLessThan(0.02);
  return listener;
}

/** After a fault: the process is alive and the other guild still plays, sealed. */
async function othersUnharmed(): Promise<void> {
  expect(world.bot.alive).toBe(true);
  await playsSealed(other.guild.id, other.erin.id, 660);
}

const dropped = () => world.bot.logs.filter((l) => l.msg === 'dropped a DAVE message that failed');

describe('DAVE faults never take the bot down', () => {
  it('both guilds play DAVE-sealed audio to start with', async () => {
    await playsSealed(world.guild.id, world.alice.id, 440);
    await playsSealed(other.guild.id, other.erin.id, 660);
  });

  it('a proposal naming a user nobody announced is refused and logged; the group goes on', async () => {
    const before = dropped().length;
    sessionOf(world.guild.id).dave!.proposeUnannounced('999999999999999999');
    await world.bot.waitForLog(() => dropped().length > before);
    expect(dropped().at(-1)).toMatchObject({ what: 'processProposals', channelId: world.voice.id });
    expect(
      dropped()
        .slice(before)
        .every((l) => l.guildId === world.guild.id),
    ).toBe(true);
    expect(String(dropped().at(-1)!.err)).toContain('999999999999999999');
    await othersUnharmed();
    await playsSealed(world.guild.id, world.alice.id, 440);
  });

  it('garbage frames (bad external sender, proposals, transition ids, headers, JSON) are dropped', async () => {
    const s = sessionOf(world.guild.id);
    const before = dropped().length;
    s.sendBinary(VoiceOpcodes.DaveMlsExternalSender, Buffer.from('not an external sender'));
    s.sendBinary(VoiceOpcodes.DaveMlsProposals, Buffer.from([0, 0xff, 0xff, 0x01]));
    s.sendBinary(VoiceOpcodes.DaveMlsProposals, Buffer.alloc(0));
    s.sendBinary(VoiceOpcodes.DaveMlsAnnounceCommitTransition, Buffer.from([7]));
    s.sendBinary(VoiceOpcodes.DaveMlsWelcome, Buffer.alloc(0));
    s.sendRaw(Buffer.from([0x01]));
    s.socket.send('{"op": 21, "d": null');
    s.socket.send(JSON.stringify({ op: VoiceOpcodes.DavePrepareTransition, d: null, seq: 999 }));
    await world.bot.waitForLog(() => dropped().length >= before + 8);
    expect(
      dropped()
        .slice(before)
        .map((l) => l.what),
    ).toEqual([
      'setExternalSender',
      'processProposals',
      'processProposals',
      'op 29',
      'op 30',
      'frame',
      'frame',
      'frame',
    ]);
    expect(
      dropped()
        .slice(before)
        .every((l) => l.channelId === world.voice.id),
    ).toBe(true);
    await othersUnharmed();
    await playsSealed(world.guild.id, world.alice.id, 440);
    expect(s.closed).toBe(false);
  });

  it('an invalid welcome: the bot says so (op 31), starts over, is re-added and plays sealed again', async () => {
    const dave = sessionOf(world.guild.id).dave!;
    const handshakes = dave.handshakes.length;
    const id = dave.sendInvalidWelcome();
    await sessionOf(world.guild.id).until(
      () => dave.invalid.includes(id) && dave.handshakes.length > handshakes,
    );
    await othersUnharmed();
    await playsSealed(world.guild.id, world.alice.id, 440);
  });

  it('a commit for the wrong epoch: op 31, re-added by the others, plays sealed again', async () => {
    const dave = sessionOf(world.guild.id).dave!;
    const handshakes = dave.handshakes.length;
    const id = dave.replayLastCommit();
    await sessionOf(world.guild.id).until(
      () => dave.invalid.includes(id) && dave.handshakes.length > handshakes,
    );
    await othersUnharmed();
    await playsSealed(world.guild.id, world.alice.id, 440);
    expect(sessionOf(world.guild.id).daveErrors).toEqual([]);
    expect(world.bot.alive).toBe(true);
  });
});
