import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors.ts';
import { PgPlaylistRepository } from '../../../src/storage/db/playlist-repository.ts';
import { PLAYLIST_LIMITS, type PlaylistRepository } from '../../../src/storage/db/playlists.ts';
import { MemoryPlaylistRepository } from '../../../src/storage/db/playlists-memory.ts';
import { snowflake, track } from '../../support/tracks.ts';
import { BAD_GUILD_IDS, drivers, expectInvalidInput, newGuild } from './harness.ts';

const ALICE = snowflake(71);
const BOB = snowflake(72);

async function refusal(promise: Promise<unknown>): Promise<UserError> {
  const err = await promise.then(
    () => new Error('expected a refusal, but the call succeeded'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UserError);
  return err as UserError;
}

/** The same cases on PostgreSQL, on PGlite, and on the in-memory version. */
const kinds: [string, () => Promise<{ repo: PlaylistRepository; dispose(): Promise<void> }>][] = [
  ...drivers.map(([name, open]): (typeof kinds)[number] => [
    name,
    async () => {
      const opened = await open();
      return { repo: new PgPlaylistRepository(opened.handle.db), dispose: opened.dispose };
    },
  ]),
  ['memory', async () => ({ repo: new MemoryPlaylistRepository(), dispose: async () => undefined })],
];

describe.each(kinds)('playlist repository on %s', (_kind, open) => {
  let repo: PlaylistRepository;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ repo, dispose } = await open());
  });
  afterAll(async () => {
    await dispose?.();
  });

  it('saves tracks in order as the queue stores them and reads them back', async () => {
    const g = newGuild();
    const tracks = [
      track({ title: 'One' }),
      track({ title: 'Two', durationMs: null }),
      track({ title: 'Three' }),
    ];
    const saved = await repo.create(g, { owner: 'guild', name: ' Friday mix ', createdBy: ALICE, tracks });
    expect(saved).toMatchObject({ name: 'Friday mix', owner: 'guild', createdBy: ALICE, trackCount: 3 });
    expect(saved.durationMs).toBe(360_000);
    const read = await repo.get(g, 'guild', 'friday MIX');
    expect(read?.tracks.map((t) => t.title)).toEqual(['One', 'Two', 'Three']);
    // Defaults are filled as the queue fills them (metadata {}, artist kept).
    expect(read?.tracks[1]).toEqual({ ...tracks[1], metadata: {} });
  });

  it('keeps names unique per owner ignoring case, and the same name for another owner or guild', async () => {
    const g = newGuild();
    await repo.create(g, { owner: 'guild', name: 'Chill', createdBy: ALICE, tracks: [track()] });
    const twice = await refusal(
      repo.create(g, { owner: 'guild', name: 'CHILL', createdBy: BOB, tracks: [track()] }),
    );
    expect(twice.code).toBe('PLAYLIST_EXISTS');
    await repo.create(g, { owner: ALICE, name: 'chill', createdBy: ALICE, tracks: [track()] });
    await repo.create(newGuild(), { owner: 'guild', name: 'Chill', createdBy: ALICE, tracks: [track()] });
    const listed = await repo.list(g, ALICE);
    expect(listed.map((p) => [p.owner, p.name])).toEqual([
      ['guild', 'Chill'],
      [ALICE, 'chill'],
    ]);
    // Another member sees the guild's playlists and none of Alice's.
    expect((await repo.list(g, BOB)).map((p) => p.owner)).toEqual(['guild']);
  });

  it(`refuses a playlist past ${PLAYLIST_LIMITS.tracks} tracks, an empty one and a bad track`, async () => {
    const g = newGuild();
    const many = Array.from({ length: PLAYLIST_LIMITS.tracks + 1 }, () => track());
    await expectInvalidInput(repo.create(g, { owner: 'guild', name: 'big', createdBy: ALICE, tracks: many }));
    await expectInvalidInput(repo.create(g, { owner: 'guild', name: 'none', createdBy: ALICE, tracks: [] }));
    await expectInvalidInput(
      repo.create(g, { owner: 'guild', name: 'bad', createdBy: ALICE, tracks: [{ ...track(), title: '' }] }),
    );
    const full = await repo.create(g, {
      owner: 'guild',
      name: 'full',
      createdBy: ALICE,
      tracks: many.slice(0, PLAYLIST_LIMITS.tracks),
    });
    expect(full.trackCount).toBe(PLAYLIST_LIMITS.tracks);
    expect((await repo.get(g, 'guild', 'full'))?.tracks).toHaveLength(PLAYLIST_LIMITS.tracks);
    expect((await repo.list(g, null)).map((p) => p.name)).toEqual(['full']);
  });

  it('refuses names that are empty, too long or carry control characters', async () => {
    const g = newGuild();
    for (const name of [
      '',
      '   ',
      'x'.repeat(PLAYLIST_LIMITS.nameLength + 1),
      'a\nb',
      'nul\u0000',
      'bell\u0007',
    ]) {
      await expectInvalidInput(repo.create(g, { owner: 'guild', name, createdBy: ALICE, tracks: [track()] }));
    }
    expect(await repo.list(g, null)).toEqual([]);
  });

  it(`caps a member at ${PLAYLIST_LIMITS.perMember} playlists and a guild at ${PLAYLIST_LIMITS.perGuild}, even when saved at once`, async () => {
    const g = newGuild();
    const results = await Promise.allSettled(
      Array.from({ length: PLAYLIST_LIMITS.perMember + 5 }, (_, i) =>
        repo.create(g, { owner: BOB, name: `mine ${i}`, createdBy: BOB, tracks: [track()] }),
      ),
    );
    const refused = results.filter((r) => r.status === 'rejected').map((r) => (r.reason as UserError).code);
    expect(refused).toEqual(Array(5).fill('PLAYLIST_LIMIT'));
    expect(await repo.list(g, BOB)).toHaveLength(PLAYLIST_LIMITS.perMember);
    for (let i = 0; i < PLAYLIST_LIMITS.perGuild; i++) {
      await repo.create(g, { owner: 'guild', name: `server ${i}`, createdBy: ALICE, tracks: [track()] });
    }
    const over = await refusal(
      repo.create(g, { owner: 'guild', name: 'one more', createdBy: ALICE, tracks: [track()] }),
    );
    expect([over.code, over.message]).toEqual([
      'PLAYLIST_LIMIT',
      `This server has ${PLAYLIST_LIMITS.perGuild} playlists, the most it can keep; delete one first.`,
    ]);
    // Deleting one makes room again.
    expect(await repo.remove(g, 'guild', 'SERVER 0')).toBe(true);
    expect(await repo.remove(g, 'guild', 'server 0')).toBe(false);
    await repo.create(g, { owner: 'guild', name: 'one more', createdBy: ALICE, tracks: [track()] });
  });

  it('refuses bad guild ids and owners before they reach a query', async () => {
    for (const [, id] of BAD_GUILD_IDS) {
      await expectInvalidInput(repo.list(id as string, null));
      await expectInvalidInput(repo.get(id as string, 'guild', 'x'));
    }
    await expectInvalidInput(repo.get(newGuild(), 'someone', 'x'));
    await expectInvalidInput(repo.list(newGuild(), "1' OR '1'='1"));
  });
});
