import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CHAT_COMMANDS, type TwitchLinkRepository } from '../../../src/storage/db/twitch-links.ts';
import { MemoryTwitchLinkRepository } from '../../../src/storage/db/twitch-links-memory.ts';
import { PgTwitchLinkRepository } from '../../../src/storage/db/twitch-links-repository.ts';
import { BAD_GUILD_IDS, drivers, expectInvalidInput, newGuild, type OpenedDatabase } from '../db/harness.ts';

type Kind = [string, () => Promise<{ links: TwitchLinkRepository; opened?: OpenedDatabase }>];

const kinds: Kind[] = [
  ...drivers.map(
    ([name, open]): Kind => [
      name,
      async () => {
        const opened = await open();
        return { links: new PgTwitchLinkRepository(opened.handle.db), opened };
      },
    ],
  ),
  ['memory', async () => ({ links: new MemoryTwitchLinkRepository() })],
];

/** A channel name no other test uses. */
let n = 0;
const channel = () => `chan_${process.pid}_${++n}`;

describe.each(kinds)('Twitch links on %s', (_kind, open) => {
  let links: TwitchLinkRepository;
  let opened: OpenedDatabase | undefined;
  beforeAll(async () => {
    ({ links, opened } = await open());
  });
  afterAll(async () => {
    await opened?.dispose();
  });

  it('keeps one link per guild, replaces it, and lists it', async () => {
    const g = newGuild();
    expect(await links.get(g)).toBeNull();
    const c1 = channel();
    await links.save({ guildId: g, channel: c1, commands: { ...DEFAULT_CHAT_COMMANDS } });
    expect(await links.get(g)).toEqual({
      guildId: g,
      channel: c1,
      commands: DEFAULT_CHAT_COMMANDS,
      paused: null,
    });
    const c2 = channel();
    const words = { ...DEFAULT_CHAT_COMMANDS, request: 'request' };
    await links.save({ guildId: g, channel: c2, commands: words });
    expect(await links.get(g)).toMatchObject({ channel: c2, commands: words });
    expect((await links.all()).filter((l) => l.guildId === g)).toHaveLength(1);
  });

  it('pauses with a reason and time; saving again resumes', async () => {
    const g = newGuild();
    const c = channel();
    await links.save({ guildId: g, channel: c, commands: { ...DEFAULT_CHAT_COMMANDS } });
    expect(await links.pause(g, 'Login authentication failed', Date.UTC(2026, 0, 1))).toBe(true);
    expect((await links.get(g))?.paused).toEqual({
      reason: 'Login authentication failed',
      at: Date.UTC(2026, 0, 1),
    });
    await links.save({ guildId: g, channel: c, commands: { ...DEFAULT_CHAT_COMMANDS } });
    expect((await links.get(g))?.paused).toBeNull();
    expect(await links.pause(newGuild(), 'x', 0)).toBe(false);
  });

  it('refuses a channel that another guild has linked (CONFLICT), and keeps both rows as they were', async () => {
    const [a, b] = [newGuild(), newGuild()];
    const c = channel();
    await links.save({ guildId: a, channel: c, commands: { ...DEFAULT_CHAT_COMMANDS } });
    await expect(
      links.save({ guildId: b, channel: c, commands: { ...DEFAULT_CHAT_COMMANDS } }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await links.get(a))?.channel).toBe(c);
    expect(await links.get(b)).toBeNull();
  });

  it('deletes, and says whether there was a link', async () => {
    const g = newGuild();
    await links.save({ guildId: g, channel: channel(), commands: { ...DEFAULT_CHAT_COMMANDS } });
    expect(await links.delete(g)).toBe(true);
    expect(await links.delete(g)).toBe(false);
    expect(await links.get(g)).toBeNull();
  });

  it.each(BAD_GUILD_IDS)('refuses a bad guild id (%s) before any query', async (_name, id) => {
    await expectInvalidInput(links.get(id as string));
  });
});
