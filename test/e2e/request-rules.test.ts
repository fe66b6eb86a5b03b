import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { World } from './support/world.ts';

/**
 * Request rules, block lists and fair order through the real discord.js client against the fake
 * Discord: the refusals are ephemeral and name the rule; DJs manage the block list.
 */
let world: World;
beforeAll(async () => {
  world = await World.start();
  const seen = await world.discord.slash(world.admin, 'settings', { dj_role: world.djRole });
  expect(seen.content).toContain('Settings saved.');
});
afterAll(() => world?.stop());

const play = (member = world.alice, title = 'Song', hz = 440) =>
  world.discord.slash(member, 'play', { query: world.song(title, hz) });
const settings = (options: Record<string, string | number | boolean>) =>
  world.discord.slash(world.admin, 'settings', options);
const queueTitles = async () => {
  const seen = await world.discord.slash(world.alice, 'queue');
  return [...(seen.embeds[0]?.description ?? '').matchAll(/\*\*(.+?)\*\*/g)].map((m) => m[1]);
};

beforeEach(async () => {
  // Each test starts from open rules and an empty queue (the block list carries over, in order).
  await settings({
    requests_from: 'everyone',
    max_track_seconds: 0,
    allow_live: true,
    request_cooldown: 0,
    sources: 'all',
    queue_order: 'votes',
  });
  await world.discord.slash(world.dj, 'clear');
});

describe('request rules', () => {
  it('/settings shows the request rules it saved', async () => {
    const seen = await settings({ max_track_seconds: 600, allow_live: false, sources: 'youtube, http' });
    expect(seen.ephemeral).toBe(true);
    expect(seen.content).toContain('Longest song: 10:00; live streams not allowed');
    expect(seen.content).toContain('Sources: youtube, http');
  });

  it('DJ-only mode refuses a member, privately and saying so, and lets a DJ request', async () => {
    await settings({ requests_from: 'dj' });
    const refused = await play(world.alice, 'Members Song');
    expect(refused).toMatchObject({
      ephemeral: true,
      content: 'Song requests are limited to DJs on this server right now.',
    });
    const allowed = await play(world.dj, 'DJ Song');
    expect(allowed.content).toMatch(/^Queued \*\*DJ Song\*\*/);
    expect(await queueTitles()).toEqual(['DJ Song']);
  });

  it('a role-only server refuses members without the role, naming it, and lets its members in', async () => {
    const role = world.discord.addRole(world.guild, 'Subscribers');
    const sub = world.discord.addMember(world.guild, 'subscriber', { roles: [role] });
    await settings({ requests_from: 'role', request_role: role });
    const refused = await play(world.bob, 'Not A Sub');
    expect(refused).toMatchObject({
      ephemeral: true,
      content: `Song requests are limited to the <@&${role}> role (and DJs) on this server.`,
    });
    expect((await play(sub, 'Sub Song')).content).toMatch(/^Queued \*\*Sub Song\*\*/);
  });

  it('with a length cap, refuses a direct link (its length is unknown); refuses a source that is not allowed', async () => {
    await settings({ max_track_seconds: 600 });
    const unknown = await play(world.alice, 'Three Seconds');
    expect(unknown).toMatchObject({
      ephemeral: true,
      content: '"Three Seconds" has no known length; songs may be at most 10:00 long here.',
    });
    await settings({ max_track_seconds: 0, sources: 'youtube,spotify' });
    const link = await play(world.alice, 'Direct');
    expect(link).toMatchObject({
      ephemeral: true,
      content: 'Songs from direct links are not allowed on this server (allowed: YouTube, Spotify).',
    });
    expect(await queueTitles()).toEqual([]);
  });

  it('refuses a second request inside the cooldown, saying when to try again', async () => {
    await settings({ request_cooldown: 600 });
    expect((await play(world.carol, 'First Request')).content).toMatch(/^Queued/);
    const again = await play(world.carol, 'Second Request');
    expect(again.ephemeral).toBe(true);
    expect(again.content).toMatch(
      /^You can request again in (10:00|9:\d\d) \(this server has a 10:00 cooldown between requests\)\.$/,
    );
    expect((await play(world.bob, 'Someone Else')).content).toMatch(/^Queued/);
  });
});

describe('/blocklist', () => {
  it('a DJ blocks a keyword; a matching request is refused privately, naming the entry', async () => {
    const added = await world.discord.slash(world.dj, 'blocklist add', {
      type: 'keyword',
      value: 'Forbidden',
    });
    expect(added).toMatchObject({ ephemeral: true });
    expect(added.content).toMatch(/^🚫 Blocked the keyword \*\*Forbidden\*\*/);
    const refused = await play(world.alice, 'The FORBÍDDEN Song');
    expect(refused).toMatchObject({
      ephemeral: true,
      content: '"The FORBÍDDEN Song" is blocked on this server (the block list has the word "Forbidden").',
    });
    expect(await queueTitles()).toEqual([]);
  });

  it('imports a CSV attachment and lists what is blocked', async () => {
    const seen = await world.discord.slash(world.dj, 'blocklist import', {
      file: {
        filename: 'songify-blocklist.csv',
        content: 'type,value\nartist,Beyoncé\nkeyword,nightcore\nkeyword,FORBIDDEN\n',
      },
    });
    expect(seen).toMatchObject({ ephemeral: true });
    expect(seen.content).toMatch(
      /Imported \*\*songify-blocklist\.csv\*\*: 2 new entries, 1 already there\. The list has 3 entries/,
    );
    const list = await world.discord.slash(world.dj, 'blocklist list');
    expect(list.content).toBe(
      '**Block list** (3 entries)\nArtist: Beyoncé\nKeyword: Forbidden\nKeyword: nightcore',
    );
    const refused = await play(world.alice, 'Nightcore Mix');
    expect(refused.content).toMatch(/the block list has the word "nightcore"/);
  });

  it('refuses a malformed CSV whole, naming the line, and imports nothing', async () => {
    const seen = await world.discord.slash(world.dj, 'blocklist import', {
      file: { filename: 'bad.csv', content: 'artist,Queen\nartist,"Earth, Wind\nartist,Blur\n' },
    });
    expect(seen).toMatchObject({ ephemeral: true });
    expect(seen.content).toMatch(/^Line 2: a quote is not closed.*Nothing was imported\.$/);
    const list = await world.discord.slash(world.dj, 'blocklist list');
    expect(list.content).not.toContain('Queen');
  });

  it('refuses a file Discord says is over 256 KB without downloading it', async () => {
    const seen = await world.discord.slash(world.dj, 'blocklist import', {
      file: { filename: 'huge.csv', content: 'artist,ABBA\n', size: 300 * 1024 },
    });
    expect(seen).toMatchObject({ ephemeral: true });
    expect(seen.content).toMatch(
      /^The file is 300 KB; the most an import takes is 256 KB\. Nothing was imported\.$/,
    );
    const downloads = [...world.discord.rest.downloads.keys()].filter((p) => p.endsWith('/huge.csv'));
    expect(downloads).toEqual([]);
  });

  it('refuses an entry that would match everything, and a member who is not a DJ', async () => {
    const trivial = await world.discord.slash(world.dj, 'blocklist add', { type: 'keyword', value: ' e ' });
    expect(trivial).toMatchObject({ ephemeral: true });
    expect(trivial.content).toMatch(/would match nearly every song/);
    const member = await world.discord.slash(world.alice, 'blocklist list');
    expect(member).toMatchObject({ ephemeral: true });
    expect(member.content).toMatch(/^Only DJs/);
  });

  it('a DJ removes an entry and the song can be requested again', async () => {
    const removed = await world.discord.slash(world.dj, 'blocklist remove', {
      type: 'keyword',
      value: 'forbidden',
    });
    expect(removed.content).toMatch(/^Unblocked the keyword \*\*forbidden\*\*/);
    expect((await play(world.alice, 'Forbidden Fruit')).content).toMatch(/^Queued/);
  });
});

describe('fair queue order', () => {
  it("/queue shows everyone's first song before anyone's second once the order is fair", async () => {
    await settings({ queue_order: 'fair' });
    await play(world.alice, 'Alice One');
    await play(world.alice, 'Alice Two');
    await play(world.alice, 'Alice Three');
    await play(world.bob, 'Bob One');
    await play(world.carol, 'Carol One');
    expect(await queueTitles()).toEqual(['Alice One', 'Bob One', 'Carol One', 'Alice Two', 'Alice Three']);
    await settings({ queue_order: 'votes' });
    await world.discord.slash(world.dj, 'clear');
    await play(world.alice, 'Votes One');
    await play(world.alice, 'Votes Two');
    await play(world.bob, 'Votes Bob');
    expect(await queueTitles()).toEqual(['Votes One', 'Votes Two', 'Votes Bob']);
  });
});
