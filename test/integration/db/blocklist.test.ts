import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors.ts';
import { MAX_BLOCK_ENTRIES } from '../../../src/storage/db/blocklist.ts';
import {
  BAD_GUILD_IDS,
  expectInvalidInput,
  newGuild,
  type Repositories,
  repositoryKinds,
} from './harness.ts';

describe.each(repositoryKinds)('block-list repository on %s', (_kind, open) => {
  let repos: Repositories;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ repos, dispose } = await open());
  });
  afterAll(async () => {
    await dispose?.();
  });

  it('stores entries of each kind with their folded form, listed by kind then value', async () => {
    const g = newGuild();
    const out = await repos.blocklist.add(g, [
      { kind: 'keyword', value: 'Nightcore' },
      { kind: 'artist', value: '  Beyoncé ' },
      { kind: 'track', value: 'https://youtu.be/dQw4w9WgXcQ' },
      { kind: 'artist', value: 'ABBA' },
    ]);
    expect(out).toEqual({ added: 4, existing: 0 });
    expect(await repos.blocklist.list(g)).toEqual([
      { kind: 'track', value: 'https://youtu.be/dQw4w9WgXcQ', normalized: 'https://youtu.be/dqw4w9wgxcq' },
      { kind: 'artist', value: 'ABBA', normalized: 'abba' },
      { kind: 'artist', value: 'Beyoncé', normalized: 'beyonce' },
      { kind: 'keyword', value: 'Nightcore', normalized: 'nightcore' },
    ]);
  });

  it('counts an entry already there under other case or accents as existing, not as new', async () => {
    const g = newGuild();
    await repos.blocklist.add(g, [{ kind: 'artist', value: 'Beyoncé' }]);
    const out = await repos.blocklist.add(g, [
      { kind: 'artist', value: 'BEYONCE' },
      { kind: 'keyword', value: 'beyonce' },
      { kind: 'keyword', value: 'Beyoncé' },
    ]);
    expect(out).toEqual({ added: 1, existing: 2 });
    expect((await repos.blocklist.list(g)).map((e) => [e.kind, e.value])).toEqual([
      ['artist', 'Beyoncé'],
      ['keyword', 'beyonce'],
    ]);
  });

  it('refuses a whole batch when one entry would match everything, and stores none of it', async () => {
    const g = newGuild();
    for (const value of ['', '   ', 'a', '-', ' é ', '!!']) {
      await expectInvalidInput(
        repos.blocklist.add(g, [
          { kind: 'artist', value: 'Fine Artist' },
          { kind: 'keyword', value },
        ]),
      );
    }
    expect(await repos.blocklist.list(g)).toEqual([]);
  });

  it('refuses a batch that would take the guild past its cap, all of it', async () => {
    const g = newGuild();
    await repos.blocklist.add(g, [{ kind: 'keyword', value: 'first one' }]);
    const many = Array.from({ length: MAX_BLOCK_ENTRIES }, (_, i) => ({
      kind: 'keyword' as const,
      value: `word ${i}`,
    }));
    const err = await repos.blocklist.add(g, many).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).code).toBe('CONFLICT');
    expect((await repos.blocklist.list(g)).map((e) => e.value)).toEqual(['first one']);
  });

  it('removes an entry by its folded form; false when it was not there', async () => {
    const g = newGuild();
    await repos.blocklist.add(g, [
      { kind: 'artist', value: 'Motörhead' },
      { kind: 'keyword', value: 'motorhead' },
    ]);
    expect(await repos.blocklist.remove(g, { kind: 'artist', value: 'MOTORHEAD' })).toBe(true);
    expect(await repos.blocklist.remove(g, { kind: 'artist', value: 'Motörhead' })).toBe(false);
    expect((await repos.blocklist.list(g)).map((e) => e.kind)).toEqual(['keyword']);
  });

  it('keeps guilds apart', async () => {
    const [a, b] = [newGuild(), newGuild()];
    await repos.blocklist.add(a, [{ kind: 'artist', value: 'Only In A' }]);
    expect(await repos.blocklist.list(b)).toEqual([]);
  });

  it.each(BAD_GUILD_IDS)('refuses %s as a guild id', async (_what, id) => {
    await expectInvalidInput(repos.blocklist.list(id as string));
    await expectInvalidInput(repos.blocklist.add(id as string, [{ kind: 'artist', value: 'Someone' }]));
  });
});
