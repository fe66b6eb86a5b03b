import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { World } from './support/world.ts';

let world: World;
beforeAll(async () => {
  world = await World.start();
  // The admin names the DJ role once; the tests below rely on it.
  const seen = await world.discord.slash(world.admin, 'settings', { dj_role: world.djRole });
  expect(seen.content).toContain('Settings saved.');
});
afterAll(() => world?.stop());

const play = (member = world.alice, title = 'Song', hz = 440) =>
  world.discord.slash(member, 'play', { query: world.song(title, hz) });
const queueTitles = async () => {
  const seen = await world.discord.slash(world.alice, 'queue');
  return [...(seen.embeds[0]?.description ?? '').matchAll(/\*\*(.+?)\*\*/g)].map((m) => m[1]);
};

describe('registration', () => {
  it('registers the full command list with descriptions and option types, as pinned in the fixture', () => {
    const registered = world.discord
      .registeredCommands()
      .map(({ name, description, options, contexts, default_member_permissions }) => ({
        name,
        description,
        options,
        contexts,
        default_member_permissions,
      }));
    const pinned = JSON.parse(
      readFileSync(new URL('../fixtures/commands.json', import.meta.url), 'utf8'),
    ) as {
      name: string;
      description: string;
      options?: unknown[];
      contexts?: number[];
      default_member_permissions?: string;
    }[];
    expect(registered).toEqual(
      pinned.map((c) => ({
        name: c.name,
        description: c.description,
        options: c.options,
        contexts: c.contexts,
        default_member_permissions: c.default_member_permissions ?? null,
      })),
    );
  });

  it('does not register again on a restart when nothing changed', async () => {
    const puts = () =>
      world.discord.rest.log.filter((r) => r.method === 'PUT' && r.path.endsWith('/commands')).length;
    const before = puts();
    await world.bot.stop();
    await world.startBot();
    expect(world.bot.logs.some((l) => l.msg === 'slash commands are up to date')).toBe(true);
    expect(puts()).toBe(before);
  });
});

describe('queueing and voting', () => {
  beforeEach(async () => {
    await world.discord.slash(world.dj, 'clear');
  });

  it('/play queues a link, reports the position, and the bot adds 👍 and 👎 to its message', async () => {
    await play(world.bob, 'First');
    const seen = await play(world.alice, 'Sunrise');
    expect(seen.ephemeral).toBe(false);
    expect(seen.content).toMatch(/^Queued \*\*Sunrise\*\* — #2 · 0 votes/);
    expect(seen.content).toContain('Join a voice channel');
    await world.discord.waitFor(() => (seen.message?.reactions.get('👎')?.size ?? 0) === 1);
    expect([...seen.message!.reactions.keys()]).toEqual(['👍', '👎']);
  });

  it('/queue lists songs in play order with a menu and vote buttons', async () => {
    await play(world.alice, 'One');
    await play(world.bob, 'Two');
    const seen = await world.discord.slash(world.carol, 'queue');
    expect(seen.embeds[0]?.description).toMatch(/#1.*One[\s\S]*#2.*Two/);
    expect(JSON.stringify(seen.components)).toContain('queue:pick');
  });

  it('/vote moves a song up, a second identical vote is refused, the other direction switches it', async () => {
    await play(world.alice, 'A');
    await play(world.bob, 'B');
    const up = await world.discord.slash(world.carol, 'vote', { item: '2', direction: 'up' });
    expect(up).toMatchObject({ ephemeral: true });
    expect(up.content).toBe('Voted up: **B** moves from #2 to #1 (+1).');
    const again = await world.discord.slash(world.carol, 'vote', { item: 'B', direction: 'up' });
    expect(again).toMatchObject({ ephemeral: true, content: 'You already voted up on that song.' });
    const switched = await world.discord.slash(world.carol, 'vote', { item: 'B', direction: 'down' });
    expect(switched.content).toBe('Voted down: **B** moves from #1 to #2 (-1).');
    expect(await queueTitles()).toEqual(['A', 'B']);
    const unvoted = await world.discord.slash(world.carol, 'unvote', { item: 'B' });
    expect(unvoted.content).toBe('Vote withdrawn: **B** is #2 (0).');
    const never = await world.discord.slash(world.carol, 'unvote', { item: 'B' });
    expect(never.content).toBe('You have not voted on that song.');
  });

  it('says when an item is not in the queue', async () => {
    const seen = await world.discord.slash(world.alice, 'vote', { item: 'No such song', direction: 'up' });
    expect(seen).toMatchObject({ ephemeral: true });
    expect(seen.content).toMatch(/not in the queue/);
  });

  it("a 👍 reaction is a vote, removing it withdraws it, and the bot's own reactions never count", async () => {
    await play(world.alice, 'Early');
    const late = await play(world.bob, 'Late');
    const message = late.message!;
    await world.discord.waitFor(() => (message.reactions.get('👎')?.size ?? 0) === 1);
    expect(await queueTitles()).toEqual(['Early', 'Late']);
    world.discord.react(message, world.carol, '👍');
    await world.discord.waitFor(() => message.content.includes('#1'));
    expect(await queueTitles()).toEqual(['Late', 'Early']);
    world.discord.unreact(message, world.carol, '👍');
    await world.discord.waitFor(() => message.content.includes('#2'));
    expect(await queueTitles()).toEqual(['Early', 'Late']);
  });

  it('👍 then 👎 switches the vote, and taking the 👍 back afterwards keeps the 👎', async () => {
    await play(world.alice, 'X');
    const y = (await play(world.bob, 'Y')).message!;
    await play(world.carol, 'Z');
    world.discord.react(y, world.dj, '👍');
    await world.discord.waitFor(() => y.content.includes('+1 votes'));
    world.discord.react(y, world.dj, '👎');
    await world.discord.waitFor(() => y.content.includes('-1 votes'));
    world.discord.unreact(y, world.dj, '👍');
    world.discord.react(y, world.admin, '👍');
    await world.discord.waitFor(() => y.content.includes(' 0 votes'));
    expect(await queueTitles()).toEqual(['X', 'Y', 'Z']);
  });

  it('the /queue menu picks a song and ▲ votes on it; the message follows the new order', async () => {
    await play(world.alice, 'Alpha');
    await play(world.bob, 'Beta');
    const listing = await world.discord.slash(world.carol, 'queue');
    const betaId = (
      listing.components[0] as { components: { options: { label: string; value: string }[] }[] }
    ).components[0]!.options.find((o) => o.label.includes('Beta'))!.value;
    const picked = await world.discord.selectMenu(listing.message!, world.carol, 'queue:pick', [betaId]);
    expect(picked).toMatchObject({ ephemeral: true });
    expect(picked.content).toContain('**Beta** is #2');
    const voted = await world.discord.clickButton(listing.message!, world.carol, 'queue:up');
    expect(voted.content).toBe('Voted up: **Beta** is now #1 with 1 votes.');
    await world.discord.waitFor(() => /#1.*Beta/.test(listing.message!.embeds[0]?.description ?? ''));
    const down = await world.discord.clickButton(picked.message!, world.dj, `vote:down:${betaId}`);
    // 0 votes each: first come, first served puts Alpha back in front.
    expect(down.content).toBe('Voted down: **Beta** is now #2 with 0 votes.');
  });

  it('▲ without a pick says to pick a song first', async () => {
    await play(world.alice, 'Lonely');
    const listing = await world.discord.slash(world.carol, 'queue');
    const seen = await world.discord.clickButton(listing.message!, world.bob, 'queue:up');
    expect(seen).toMatchObject({
      ephemeral: true,
      content: 'Pick a song in the menu first, then press ▲ or ▼.',
    });
  });

  it('autocompletes queue items by title and position', async () => {
    await play(world.alice, 'Moonlight');
    await play(world.bob, 'Daylight');
    const seen = await world.discord.autocomplete(world.carol, 'vote', 'item', 'moon');
    expect(seen.choices.map((c) => c.name)).toEqual(['#1 Moonlight (+0)']);
  });
});

describe('permissions', () => {
  beforeEach(async () => {
    await world.discord.slash(world.dj, 'clear');
  });

  it('members remove their own songs; others need to be DJ', async () => {
    await play(world.alice, 'Mine');
    const refused = await world.discord.slash(world.bob, 'remove', { item: 'Mine' });
    expect(refused).toMatchObject({
      ephemeral: true,
      content: 'You can only remove songs you asked for (DJs can remove any).',
    });
    const own = await world.discord.slash(world.alice, 'remove', { item: 'Mine' });
    expect(own.content).toMatch(/^Removed \*\*Mine\*\*/);
    await play(world.alice, 'Theirs');
    expect((await world.discord.slash(world.dj, 'remove', { item: '1' })).content).toMatch(
      /^Removed \*\*Theirs\*\*/,
    );
  });

  it('clear, move, shuffle, pause, resume and stop are for DJs and admins', async () => {
    for (const [command, options] of [
      ['clear', {}],
      ['move', { item: '1', position: 2 }],
      ['shuffle', {}],
      ['pause', {}],
      ['resume', {}],
      ['stop', {}],
    ] as const) {
      const seen = await world.discord.slash(world.bob, command, options);
      expect(seen, command).toMatchObject({ ephemeral: true });
      expect(seen.content, command).toBe(`Only DJs (the <@&${world.djRole}> role) or admins can do that.`);
    }
  });

  it('DJs move and shuffle', async () => {
    await play(world.alice, 'M1');
    await play(world.bob, 'M2');
    await play(world.carol, 'M3');
    expect((await world.discord.slash(world.dj, 'move', { item: 'M3', position: 1 })).content).toMatch(
      /from #3 to #1/,
    );
    expect(await queueTitles()).toEqual(['M3', 'M1', 'M2']);
    expect((await world.discord.slash(world.admin, 'shuffle')).content).toBe('Shuffled 3 songs.');
    expect((await queueTitles()).sort()).toEqual(['M1', 'M2', 'M3']);
  });

  it('/settings is for admins', async () => {
    const seen = await world.discord.slash(world.dj, 'settings', { vote_skip_ratio: 0.9 });
    expect(seen).toMatchObject({
      ephemeral: true,
      content: 'Only server admins (Manage Server permission) can do that.',
    });
    const shown = await world.discord.slash(world.admin, 'settings');
    expect(shown.content).toContain(`DJ role: <@&${world.djRole}>`);
    expect(shown.content).toContain('Vote-skip: 50% of listeners');
    const changed = await world.discord.slash(world.admin, 'settings', {
      default_volume: 70,
      stay_24_7: true,
      spotify_mode: 'voice',
    });
    expect(changed.content).toContain('Settings saved.');
    expect(changed.content).toContain('Default volume: 70%');
    expect(changed.content).toContain('24/7: on (stays in voice)');
    expect(changed.content).toContain('Spotify: voice');
    const reset = await world.discord.slash(world.admin, 'settings', {
      default_volume: 100,
      stay_24_7: false,
      spotify_mode: 'auto',
    });
    expect(reset.content).toContain('Spotify: automatic');
  });

  it('the per-member limit from /settings holds', async () => {
    await world.discord.slash(world.admin, 'settings', { per_user_limit: 1 });
    await play(world.carol, 'Only one');
    const second = await play(world.carol, 'One too many');
    expect(second).toMatchObject({ ephemeral: true });
    expect(second.content).toMatch(/already have 1 songs in the queue/);
    await world.discord.slash(world.admin, 'settings', { per_user_limit: 10 });
  });
});

describe('nothing playing', () => {
  it('skip, pause, resume, nowplaying and stop say so plainly', async () => {
    expect((await world.discord.slash(world.alice, 'skip')).content).toBe('Nothing is playing right now.');
    expect((await world.discord.slash(world.dj, 'pause')).content).toBe('Nothing is playing right now.');
    expect((await world.discord.slash(world.dj, 'resume')).content).toBe('Nothing is playing right now.');
    expect((await world.discord.slash(world.alice, 'nowplaying')).content).toBe(
      'Nothing is playing right now. Add a song with /play.',
    );
    expect((await world.discord.slash(world.dj, 'stop')).content).toBe('I am not in a voice channel.');
  });

  it('/history and /stats answer on an empty server', async () => {
    expect((await world.discord.slash(world.alice, 'history')).content).toBe('Nothing has played yet.');
    const stats = await world.discord.slash(world.alice, 'stats');
    expect(stats.embeds[0]?.title).toBe('Music stats');
  });

  it('an empty queue says how to add a song', async () => {
    await world.discord.slash(world.dj, 'clear');
    const seen = await world.discord.slash(world.alice, 'queue');
    expect(seen.embeds[0]?.description).toBe('The queue is empty. Add a song with /play.');
  });
});

describe('bad input', () => {
  it('/play with a private address or a non-link explains, only to the member, and queues nothing', async () => {
    await world.discord.slash(world.dj, 'clear');
    const privateLink = await world.discord.slash(world.alice, 'play', { query: 'http://10.1.2.3/song.mp3' });
    expect(privateLink).toMatchObject({
      ephemeral: true,
      content: 'That link points to a private or local address, which is not allowed.',
    });
    const html = await world.discord.slash(world.alice, 'play', { query: `${world.media.origin}/page.html` });
    expect(html.content).toBe('That link is not audio (it is text/html).');
    expect(await queueTitles()).toEqual([]);
  });

  it('answers malformed interactions and stays connected', async () => {
    const g = world.guild;
    const base = {
      type: 2,
      guild_id: g.id,
      channel_id: world.text.id,
      member: { ...world.alice.toAPI(), permissions: world.alice.permissions() },
      app_permissions: '0',
    };
    const unknown = world.discord.rawInteraction({ ...base, data: { id: '1', name: 'dance', type: 1 } });
    expect((await unknown.done).content).toBe('I do not know that command.');
    const missing = world.discord.rawInteraction({
      ...base,
      data: { id: '1', name: 'vote', type: 1, options: [] },
    });
    expect((await missing.done).content).toMatch(/missing an option or has one of the wrong type/);
    const wrongType = world.discord.rawInteraction({
      ...base,
      data: { id: '1', name: 'queue', type: 1, options: [{ name: 'page', type: 3, value: 'lots' }] },
    });
    expect((await wrongType.done).content).toMatch(/missing an option or has one of the wrong type/);
    const elsewhere = world.discord.rawInteraction({
      ...base,
      guild_id: '999999999999999999',
      data: { id: '1', name: 'queue', type: 1 },
    });
    expect((await elsewhere.done).content).toBe(
      'I only work in servers I have joined. Invite me to this server first.',
    );
    expect(world.bot.alive).toBe(true);
    expect((await world.discord.slash(world.alice, 'queue')).embeds[0]?.title).toBe('Queue');
  });
});

describe('restarts and reconnects', () => {
  it('votes by reaction on a message sent before a bot restart still count', async () => {
    await world.discord.slash(world.dj, 'clear');
    await play(world.alice, 'Old');
    const message = (await play(world.bob, 'Older message')).message!;
    await world.discord.waitFor(() => (message.reactions.get('👎')?.size ?? 0) === 1);
    await world.bot.stop();
    await world.startBot();
    world.discord.react(message, world.carol, '👍');
    await world.discord.waitFor(() => message.content.includes('#1'));
    expect(await queueTitles()).toEqual(['Older message', 'Old']);
  });

  it('resumes the gateway session after a dropped connection', async () => {
    const resumedBefore = world.discord.gateway.resumed;
    world.discord.gateway.disconnect();
    await world.bot.waitForLog((l) => l.msg === 'gateway resumed');
    expect(world.discord.gateway.resumed).toBe(resumedBefore + 1);
    expect((await world.discord.slash(world.alice, 'queue')).embeds[0]?.title).toBe('Queue');
  });

  it('stops cleanly on SIGTERM with exit code 0', async () => {
    expect(await world.bot.stop()).toBe(0);
    await world.startBot();
  });
});
