import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeVoiceServer } from '../fakes/discord/voice/server.ts';
import { World } from './support/world.ts';

/**
 * Long, markdown-heavy titles against the strict fake Discord (every body checked against Discord's
 * OpenAPI document and limits; test/e2e/support/strict-discord.ts fails a test on any refusal): the
 * member gets a useful answer, never "Something went wrong".
 */

let world: World;
let voice: FakeVoiceServer;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const FAILED = /Something went wrong/;

/**
 * A 200-character title full of markdown (escaping doubles it), made of characters a URL keeps as they
 * are, so the song's file name (its title) fits the 300-character link limit.
 */
function markdownTitle(n: number): string {
  return `${n}-${'*bold*_it_~~s~~(x)'.repeat(20)}`.slice(0, 200);
}

/** 96 letters, then emoji: "#1 " + title puts an emoji across the 100th character. */
const EMOJI_TITLE = `${'a'.repeat(96)}${'🎵'.repeat(5)}b`;

beforeAll(async () => {
  voice = await FakeVoiceServer.start({ daveVersion: 0 });
  world = await World.start({
    NODE_EXTRA_CA_CERTS: voice.caBundle,
    IDLE_TIMEOUT_SECONDS: '300',
    QUEUE_MAX_PER_USER: '100',
  });
  world.discord.voiceEndpoint = voice.endpoint;
  await world.discord.slash(world.admin, 'settings', { dj_role: world.djRole });
  world.discord.setVoice(world.alice, world.voice);
});
afterAll(async () => {
  await world?.stop();
  await voice?.stop();
});

const opened = () => world.bot.logs.filter((l) => l.msg === 'track audio opened').length;

async function play(title: string): Promise<void> {
  const seen = await world.discord.slash(world.alice, 'play', {
    query: world.song(title, 440, 'ogg-opus', 30),
  });
  expect(seen.content).not.toMatch(FAILED);
  expect(seen.content).toMatch(/^(Queued|Now playing)/);
}

describe('long and markdown-heavy titles', () => {
  it('/queue with ten 200-character markdown titles, and an emoji across the 100-character cut', async () => {
    await play(EMOJI_TITLE);
    for (let n = 1; n <= 10; n++) await play(markdownTitle(n));

    const seen = await world.discord.slash(world.bob, 'queue');
    expect(seen.content).not.toMatch(FAILED);
    const embed = seen.embeds[0]!;
    expect(embed.title).toBe('Queue');
    expect(embed.description!.length).toBeLessThanOrEqual(4096);
    // Every song has its line, title cut but position and votes kept.
    for (let p = 1; p <= 10; p++) expect(embed.description).toContain(`\`#${p}\` **${p}-\\*bold\\*`);
    expect(embed.fields?.[0]?.name).toBe('Now playing');

    // The select menu: 10 options, labels within 100 characters, no emoji split in half.
    const menu = (seen.components[0] as { components: { options: { label: string }[] }[] }).components[0]!;
    expect(menu.options).toHaveLength(10);
    for (const o of menu.options) {
      expect(o.label.length).toBeLessThanOrEqual(100);
      expect(o.label).not.toMatch(LONE_SURROGATE);
    }

    // Autocomplete: the emoji title is cut whole, position and votes kept.
    const typed = await world.discord.autocomplete(world.bob, 'vote', 'item', 'aaaa');
    expect(typed.choices).toHaveLength(0); // the emoji song is playing, not queued
    const all = await world.discord.autocomplete(world.bob, 'vote', 'item', '');
    expect(all.choices).toHaveLength(10);
    for (const c of all.choices) {
      expect(c.name.length).toBeLessThanOrEqual(100);
      expect(c.name).not.toMatch(LONE_SURROGATE);
      expect(c.name).toMatch(/^#\d+ .+… \(\+0\)$/);
    }
  });

  it('an emoji across the 100-character cut of a choice and a menu label stays whole', async () => {
    await play(`${EMOJI_TITLE}2`); // queued this time, at #11
    const choices = (await world.discord.autocomplete(world.bob, 'vote', 'item', 'aaaa')).choices;
    expect(choices).toHaveLength(1);
    expect(choices[0]!.name).not.toMatch(LONE_SURROGATE);
    expect(choices[0]!.name).toMatch(/^#11 a+(🎵)*… \(\+0\)$/);
    const page2 = await world.discord.slash(world.bob, 'queue', { page: 2 });
    const menu = (page2.components[0] as { components: { options: { label: string }[] }[] }).components[0]!;
    expect(menu.options[0]!.label).not.toMatch(LONE_SURROGATE);
    expect(menu.options[0]!.label).toMatch(/^#11 a+(🎵)*…$/);
  });

  it('/history count:20 after twenty 200-character titles', async () => {
    for (let n = 11; n <= 20; n++) await play(markdownTitle(n));
    // The DJ skips the playing song twenty times, each once the next one has started.
    for (let i = 1; i <= 20; i++) {
      await world.bot.waitForLog(() => opened() >= i);
      const skipped = await world.discord.slash(world.dj, 'skip');
      expect(skipped.content).toMatch(/^Skipped /);
    }
    const seen = await world.discord.slash(world.alice, 'history', { count: 20 });
    expect(seen.content).not.toMatch(FAILED);
    expect(seen.content.length).toBeLessThanOrEqual(2000);
    expect(seen.content).toMatch(/^\*\*Recently played\*\*\n⏭ /);
    const lines = seen.content.split('\n').slice(1);
    // Whole lines, newest first; what did not fit is counted, not cut off mid-line.
    expect(lines.length).toBeGreaterThanOrEqual(10);
    if (lines.length < 20) expect(lines.at(-1)).toMatch(/^…and \d+ more$/);
  });

  it('/stats after five songs with 200-character markdown titles have played', async () => {
    // Clear the way: skip the two songs left (one playing, one queued).
    for (let i = 21; i <= 22; i++) {
      await world.bot.waitForLog(() => opened() >= i);
      expect((await world.discord.slash(world.dj, 'skip')).content).toMatch(/^Skipped /);
    }
    const before = opened();
    for (let n = 31; n <= 35; n++) {
      const seen = await world.discord.slash(world.alice, 'play', {
        query: world.song(markdownTitle(n), 440, 'ogg-opus', 1),
      });
      expect(seen.content).not.toMatch(FAILED);
    }
    await play('Last one');
    // The sixth song starting means the five before it have played to the end.
    await world.bot.waitForLog(() => opened() >= before + 6);
    const seen = await world.discord.slash(world.alice, 'stats');
    expect(seen.content).not.toMatch(FAILED);
    const top = seen.embeds[0]!.fields!.find((f) => f.name === 'Top songs')!;
    expect(top.value.length).toBeLessThanOrEqual(1024);
    expect(top.value).toMatch(/^1\. \*\*3\d-\\\*bold/);
  });
});
