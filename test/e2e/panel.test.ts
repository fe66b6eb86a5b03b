import type { APIEmbed } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dominantFrequency } from '../fakes/audio.ts';
import type { FakeMessage } from '../fakes/discord/index.ts';
import { FakeVoiceServer } from '../fakes/discord/voice/server.ts';
import { rawRedis } from '../support/redis.ts';
import { World } from './support/world.ts';

/**
 * /panel through the real discord.js client against the strict fake Discord and the fake voice server:
 * one message per guild, its buttons run the same actions as the commands (with their permissions),
 * edits follow the songs within the channel's rate limit (the strict fake fails the test on any 429),
 * and a deleted panel is posted again.
 */

let world: World;
let voice: FakeVoiceServer;
let panel: FakeMessage;
const redis = rawRedis();

beforeAll(async () => {
  voice = await FakeVoiceServer.start({ daveVersion: 0 });
  world = await World.start({
    NODE_EXTRA_CA_CERTS: voice.caBundle,
    IDLE_TIMEOUT_SECONDS: '300',
    PANEL_REFRESH_SECONDS: '5',
  });
  world.discord.voiceEndpoint = voice.endpoint;
  await world.discord.slash(world.admin, 'settings', { dj_role: world.djRole });
  for (const m of [world.alice, world.bob, world.carol, world.dj]) world.discord.setVoice(m, world.voice);
}, 60_000);
afterAll(async () => {
  await world?.stop();
  await voice?.stop();
  redis.disconnect();
});

type Button = { custom_id: string; label: string; disabled?: boolean };
const buttonsOf = (m: FakeMessage): Button[] =>
  (m.components as { components: Button[] }[]).flatMap((row) => row.components);
const embedOf = (m: FakeMessage): APIEmbed => m.embeds[0] ?? {};
const isPanel = (m: FakeMessage) => buttonsOf(m).some((b) => b.custom_id.startsWith('panel:'));
const panelsIn = () => world.discord.messagesIn(world.text).filter(isPanel);
const progress = (m: FakeMessage) => /`(\d+:\d\d)[^`]*`/.exec(embedOf(m).description ?? '')?.[1];
const rateId = (m: FakeMessage, dir: 'up' | 'down') =>
  buttonsOf(m).find((b) => b.custom_id.startsWith(`panel:rate:${dir}:`))!.custom_id;
const storedPanel = async () =>
  JSON.parse((await redis.get(`${world.namespace}:{${world.guild.id}}:panel`)) ?? 'null') as {
    messageId: string;
  } | null;

/** The tone heard in the next 75 frames (20 ms each) from packet `from`. */
async function heard(from: number): Promise<number> {
  const session = voice.session(world.guild.id)!;
  await session.until(() => session.audio(from).length >= 75);
  return dominantFrequency(session.pcm(session.audio(from).slice(0, 75)));
}

describe('/panel: a live control panel', () => {
  it('only DJs post a panel; a member is told so, only them', async () => {
    const seen = await world.discord.slash(world.alice, 'panel');
    expect(seen.ephemeral).toBe(true);
    expect(seen.content).toMatch(/Only DJs/);
    expect(panelsIn()).toEqual([]);
  });

  it('/panel posts one message: now playing with requester and progress, up next, buttons; its place is stored', async () => {
    await world.discord.slash(world.alice, 'play', { query: world.song('Panel A', 440, 'mp3', 120) });
    await world.discord.slash(world.bob, 'play', { query: world.song('Panel B', 660, 'mp3', 120) });
    const seen = await world.discord.slash(world.dj, 'panel');
    expect(seen.ephemeral).toBe(false);
    panel = seen.message!;
    const embed = embedOf(panel);
    expect(embed.title).toBe('Now playing');
    expect(embed.description).toContain('**Panel A**');
    expect(embed.description).toContain(`Requested by <@${world.alice.id}>`);
    // A direct link's length is not known: the time played alone.
    expect(embed.description).toMatch(/\n`\d+:\d\d`(\n|$)/);
    expect(embed.fields?.[0]).toMatchObject({ name: 'Up next' });
    expect(embed.fields?.[0]?.value).toContain('**Panel B**');
    expect(buttonsOf(panel).map((b) => b.custom_id.replace(/:[0-9a-f-]{36}$/, ':<item>'))).toEqual([
      'panel:pause',
      'panel:skip',
      'panel:stop',
      'panel:loop:track',
      'panel:rate:up:<item>',
      'panel:rate:down:<item>',
    ]);
    expect(panelsIn()).toHaveLength(1);
    await expect.poll(storedPanel).toEqual({ channelId: world.text.id, messageId: panel.id });
  });

  it('the progress line moves on the slow tick, in the same message', async () => {
    const first = progress(panel);
    await world.discord.waitFor(() => progress(panel) !== first);
    expect(panelsIn()).toHaveLength(1);
  });

  it('⏸ pauses (no more audio, the panel says Paused) and ▶ resumes', async () => {
    const session = await voice.connected(world.guild.id);
    const paused = await world.discord.clickButton(panel, world.dj, 'panel:pause');
    expect(paused).toMatchObject({
      ephemeral: true,
      content: expect.stringMatching(/^Paused \*\*Panel A\*\*/),
    });
    const pausedAt = session.packets.length;
    await world.discord.waitFor(() => embedOf(panel).title === 'Paused');
    expect(buttonsOf(panel).map((b) => b.custom_id)).toContain('panel:resume');
    // A paused player sends its five silence frames and then nothing: wait for two round trips.
    await world.discord.slash(world.alice, 'nowplaying');
    await world.discord.slash(world.alice, 'nowplaying');
    expect(session.audio(pausedAt + 5)).toHaveLength(0);
    const resumed = await world.discord.clickButton(panel, world.dj, 'panel:resume');
    expect(resumed.content).toMatch(/^Resumed \*\*Panel A\*\*/);
    expect(Math.abs((await heard(session.packets.length)) - 440) / 440).toBeLessThan(0.02);
    await world.discord.waitFor(() => embedOf(panel).title === 'Now playing');
  });

  it('👍/👎 rate the playing song once per member, shown on the panel', async () => {
    const up = rateId(panel, 'up');
    const first = await world.discord.clickButton(panel, world.alice, up);
    expect(first).toMatchObject({ ephemeral: true, content: 'You rated **Panel A** 👍. 👍 1 · 👎 0' });
    const again = await world.discord.clickButton(panel, world.alice, up);
    expect(again.content).toBe('You already rated **Panel A** 👍; it counts once. 👍 1 · 👎 0');
    const down = await world.discord.clickButton(panel, world.bob, rateId(panel, 'down'));
    expect(down.content).toBe('You rated **Panel A** 👎. 👍 1 · 👎 1');
    const carol = await world.discord.clickButton(panel, world.carol, up);
    expect(carol.content).toBe('You rated **Panel A** 👍. 👍 2 · 👎 1');
    await world.discord.waitFor(() => (embedOf(panel).description ?? '').includes('👍 2 · 👎 1'));
    expect(buttonsOf(panel).find((b) => b.custom_id === up)?.label).toBe('👍 2');
  });

  it('🔁 cycles the loop mode (DJs), shown on the panel; a member is refused', async () => {
    const refused = await world.discord.clickButton(panel, world.bob, 'panel:loop:track');
    expect(refused).toMatchObject({ ephemeral: true, content: expect.stringMatching(/Only DJs/) });
    const looped = await world.discord.clickButton(panel, world.dj, 'panel:loop:track');
    expect(looped.content).toBe('Looping the playing song.');
    await world.discord.waitFor(() => embedOf(panel).footer?.text.startsWith('Loop: song') ?? false);
    await world.discord.clickButton(panel, world.dj, 'panel:loop:queue');
    await world.discord.waitFor(() => buttonsOf(panel).some((b) => b.custom_id === 'panel:loop:off'));
    const off = await world.discord.clickButton(panel, world.dj, 'panel:loop:off');
    expect(off.content).toBe('Loop is off: each song plays once.');
    await world.discord.waitFor(() => embedOf(panel).footer?.text.startsWith('Loop: off') ?? false);
  });

  it('⏭ is a vote for a member, a skip for a DJ: the next tone plays and the panel shows its song', async () => {
    const session = voice.session(world.guild.id)!;
    const vote = await world.discord.clickButton(panel, world.carol, 'panel:skip');
    expect(vote).toMatchObject({ ephemeral: true });
    expect(vote.content).toMatch(/^Vote to skip \*\*Panel A\*\*: \*\*1\/\d+\*\*\.$/);
    const from = session.packets.length;
    const skipped = await world.discord.clickButton(panel, world.dj, 'panel:skip');
    expect(skipped.content).toBe('Skipped **Panel A**.');
    expect(Math.abs((await heard(from + 10)) - 660) / 660).toBeLessThan(0.02);
    await world.discord.waitFor(() => (embedOf(panel).description ?? '').includes('**Panel B**'));
    expect(embedOf(panel).description).toContain(`Requested by <@${world.bob.id}>`);
    expect(embedOf(panel).description).toContain('👍 0 · 👎 0'); // a new song, new ratings
    expect(panelsIn()).toHaveLength(1);
  });

  it("a member's ⏹ is refused, to them alone; the music goes on", async () => {
    const refused = await world.discord.clickButton(panel, world.bob, 'panel:stop');
    expect(refused).toMatchObject({ ephemeral: true, content: expect.stringMatching(/Only DJs/) });
    expect(world.discord.botVoiceChannel(world.guild)).toBe(world.voice.id);
  });

  it('a deleted panel is posted again at the next change, and its new place stored', async () => {
    const old = panel;
    world.discord.deleteMessage(old);
    await world.discord.slash(world.alice, 'play', { query: world.song('Panel C', 550, 'mp3', 120) });
    await world.discord.waitFor(() => panelsIn().length === 1);
    panel = panelsIn()[0]!;
    expect(panel.id).not.toBe(old.id);
    await world.discord.waitFor(() => (embedOf(panel).fields?.[0]?.value ?? '').includes('**Panel C**'));
    expect(embedOf(panel).description).toContain('**Panel B**');
    await expect.poll(storedPanel).toEqual({ channelId: world.text.id, messageId: panel.id });
  });

  it('/panel again moves the panel: still one message', async () => {
    const old = panel;
    const seen = await world.discord.slash(world.dj, 'panel');
    panel = seen.message!;
    await world.discord.waitFor(() => !world.discord.messages.has(old.id));
    expect(panelsIn().map((m) => m.id)).toEqual([panel.id]);
    await expect.poll(storedPanel).toEqual({ channelId: world.text.id, messageId: panel.id });
  });

  it('⏹ by a DJ stops and leaves; the panel says nothing is playing', async () => {
    const stopped = await world.discord.clickButton(panel, world.dj, 'panel:stop');
    expect(stopped.content).toMatch(/^Stopped and left/);
    await world.discord.waitFor(() => world.discord.botVoiceChannel(world.guild) === null);
    await world.discord.waitFor(() => embedOf(panel).title === 'Nothing playing');
    expect(buttonsOf(panel).find((b) => b.custom_id === 'panel:pause')?.disabled).toBe(true);
  });

  it('after a restart the bot edits the same panel: its place was stored', async () => {
    const id = panel.id;
    await world.bot.stop();
    await world.startBot();
    await world.discord.slash(world.alice, 'play', { query: world.song('Panel D', 440, 'mp3', 120) });
    const shows = (title: string) =>
      JSON.stringify([embedOf(panel).description, embedOf(panel).fields]).includes(`**${title}**`);
    await world.discord.waitFor(() => shows('Panel D'));
    expect(panelsIn().map((m) => m.id)).toEqual([id]);
  });
});
