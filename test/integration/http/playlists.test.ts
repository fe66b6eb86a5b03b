import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import { InMemoryEventBus } from '../../../src/core/events.ts';
import { silentLogger } from '../../../src/core/logger.ts';
import type { TrackInput } from '../../../src/core/track.ts';
import { playlistRoutes } from '../../../src/http/routes/playlists.ts';
import type { HttpServer } from '../../../src/http/server.ts';
import { QueueService } from '../../../src/queue/service.ts';
import { type DatabaseHandle, openDatabase } from '../../../src/storage/db/connection.ts';
import { MemoryGuildSettingsRepository } from '../../../src/storage/db/guild-settings-memory.ts';
import { PgPlaylistRepository } from '../../../src/storage/db/playlist-repository.ts';
import { PLAYLIST_LIMITS } from '../../../src/storage/db/playlists.ts';
import { MemoryQueueStore } from '../../../src/storage/queue/memory-store.ts';
import { testActions } from '../../support/actions.ts';
import { NO_KEEP_ALIVE, TEST_API_TOKEN, testServer } from '../../support/api.ts';
import { createTestDatabase, type TestDatabase } from '../../support/postgres.ts';
import { snowflake, track } from '../../support/tracks.ts';

const G = snowflake(31);
const OTHER_GUILD = snowflake(32);
const ALICE = snowflake(41);
const BOB = snowflake(42);
const BIG = 'https://www.youtube.com/playlist?list=PLbig';
/** The same 5,000 tracks from a provider that does not say how many there are. */
const UNCOUNTED = 'https://soundcloud.com/someone/sets/big';

/**
 * /api/v1/playlists on real PostgreSQL, a real queue (its limits: 1,000 long, 4 per member) and a
 * resolver that answers a playlist link with as many tracks as it is asked for, out of 5,000.
 */
describe('REST playlist routes', () => {
  let server: HttpServer;
  let base: string;
  let queue: QueueService;
  let db: TestDatabase;
  let handle: DatabaseHandle;
  const settings = new MemoryGuildSettingsRepository();
  const asked: { query: string; limit: number }[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    handle = await openDatabase({ url: db.url, logger: silentLogger() });
    const clock = new ManualClock();
    queue = new QueueService({
      store: new MemoryQueueStore({ ttlSeconds: 3600, historyLimit: 50, clock }),
      bus: new InMemoryEventBus(),
      clock,
      limits: () => ({ maxLength: 1000, maxPerUser: 4 }),
    });
    const resolve = async (
      query: string,
      options: { limit: number; onTotal?: (n: number) => void },
    ): Promise<TrackInput[]> => {
      asked.push({ query, limit: options.limit });
      if (query !== BIG && query !== UNCOUNTED) return [];
      if (query === BIG) options.onTotal?.(5000);
      const length = Math.min(5000, options.limit);
      return Array.from({ length }, (_, i) => track({ title: `Big ${i + 1}`, provider: 'youtube' }));
    };
    server = testServer();
    server.add(
      ...playlistRoutes({
        actions: testActions({
          queue,
          tracks: { resolve },
          settings,
          playlists: new PgPlaylistRepository(handle.db),
        }),
        hasCommunity: (id) => id !== OTHER_GUILD,
      }),
    );
    base = `http://127.0.0.1:${(await server.listen()).port}`;
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await handle?.close();
    await db?.drop();
  });

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}/api/v1/playlists/${path}`, {
      method,
      headers: {
        authorization: `Bearer ${TEST_API_TOKEN}`,
        ...NO_KEEP_ALIVE,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    // biome-ignore lint/suspicious/noExplicitAny: JSON read by path in assertions
    return { status: res.status, json: (await res.json()) as any };
  };

  it('saves the queue, lists it, shows its tracks in order and loads it back up to the limits', async () => {
    for (const title of ['A', 'B', 'C', 'D', 'E', 'F']) {
      await queue.add(G, track({ title }), title < 'D' ? ALICE : BOB);
    }
    const saved = await api('POST', G, { name: 'Evening', from: 'queue', user_id: ALICE });
    expect(saved.status).toBe(201);
    expect(saved.json.data).toMatchObject({
      playlist: { name: 'Evening', scope: 'guild', created_by_user_id: ALICE, track_count: 6 },
      left_out_count: 0,
    });
    const listed = await api('GET', G);
    expect(listed.json.data.playlists.map((p: { name: string }) => p.name)).toEqual(['Evening']);
    const shown = await api('GET', `${G}/evening`);
    expect(shown.json.data.tracks.map((t: { name: string }) => t.name)).toEqual([
      'A',
      'B',
      'C',
      'D',
      'E',
      'F',
    ]);

    await queue.clear(G);
    const loaded = await api('POST', `${G}/Evening/load`, { requested_by_user_id: ALICE });
    expect(loaded.status).toBe(200);
    expect(loaded.json.data).toMatchObject({
      queued_count: 4,
      first_position: 1,
      not_queued_count: 2,
      not_queued_reason: { code: 'USER_QUEUE_LIMIT' },
      playback: 'waiting-for-voice',
    });
    const { items } = await queue.all(G);
    expect(items.map((i) => [i.track.title, i.requestedBy])).toEqual([
      ['A', ALICE],
      ['B', ALICE],
      ['C', ALICE],
      ['D', ALICE],
    ]);
    await queue.clear(G);
  });

  it(`imports a 5,000-track playlist link up to ${PLAYLIST_LIMITS.tracks} tracks and says more were left out`, async () => {
    asked.length = 0;
    const res = await api('POST', `${G}/import`, { link: BIG, name: 'Huge', scope: 'me', user_id: BOB });
    expect(res.status).toBe(201);
    expect(res.json.data).toMatchObject({
      playlist: { name: 'Huge', scope: 'member', owner_user_id: BOB, track_count: PLAYLIST_LIMITS.tracks },
      left_out_count: 4500,
      left_out_at_least: 4500,
    });
    const uncounted = await api('POST', `${G}/import`, { link: UNCOUNTED, name: 'Huge too' });
    expect(uncounted.json.data).toMatchObject({
      playlist: { name: 'Huge too', scope: 'guild', track_count: PLAYLIST_LIMITS.tracks },
      left_out_count: null,
      left_out_at_least: 1,
    });
    expect(asked).toEqual([
      { query: BIG, limit: PLAYLIST_LIMITS.tracks + 1 },
      { query: UNCOUNTED, limit: PLAYLIST_LIMITS.tracks + 1 },
    ]);
    const shown = await api('GET', `${G}/Huge?user_id=${BOB}`);
    expect(shown.json.data.tracks).toHaveLength(PLAYLIST_LIMITS.tracks);
    expect(shown.json.data.tracks.at(-1).name).toBe(`Big ${PLAYLIST_LIMITS.tracks}`);
    // Bob's personal playlist is his: the guild's list does not show it, his does.
    expect((await api('GET', G)).json.data.playlists.map((p: { name: string }) => p.name)).not.toContain(
      'Huge',
    );
    expect(
      (await api('GET', `${G}?user_id=${BOB}`)).json.data.playlists.map((p: { name: string }) => p.name),
    ).toContain('Huge');
  });

  it('refuses bad input with a 4xx JSON error and keeps what was there', async () => {
    const cases: [string, string, unknown, number, string][] = [
      ['POST', G, { name: '', user_id: ALICE }, 400, 'INVALID_INPUT'],
      ['POST', G, { name: 'x'.repeat(101) }, 400, 'INVALID_INPUT'],
      ['POST', G, { name: 'line\nbreak' }, 400, 'INVALID_INPUT'],
      ['POST', G, { name: 'Evening', from: 'queue' }, 404, 'QUEUE_EMPTY'],
      ['POST', G, { name: 'mine', scope: 'me' }, 400, 'INVALID_INPUT'],
      ['POST', G, { name: 'x', from: 'everything' }, 400, 'INVALID_INPUT'],
      ['POST', G, { name: 'x', extra: 1 }, 400, 'INVALID_INPUT'],
      ['POST', `${G}/import`, { link: 'not a link', name: 'x' }, 400, 'INVALID_URL'],
      ['POST', `${G}/import`, { link: 'https://example.test/empty', name: 'x' }, 404, 'NOT_FOUND'],
      ['POST', `${G}/import`, { link: BIG, name: 'evening' }, 409, 'PLAYLIST_EXISTS'],
      ['GET', `${G}/Nope`, undefined, 404, 'PLAYLIST_NOT_FOUND'],
      ['POST', `${G}/Nope/load`, {}, 404, 'PLAYLIST_NOT_FOUND'],
      ['DELETE', `${G}/Huge`, undefined, 404, 'PLAYLIST_NOT_FOUND'],
      ['DELETE', `${G}/Huge?user_id=${ALICE}&scope=me`, undefined, 404, 'PLAYLIST_NOT_FOUND'],
      ['GET', `${G}?user_id=nope`, undefined, 400, 'INVALID_INPUT'],
      ['GET', `${OTHER_GUILD}`, undefined, 404, 'NOT_FOUND'],
      ['GET', 'not-a-guild', undefined, 400, 'INVALID_INPUT'],
    ];
    for (const [method, path, body, status, code] of cases) {
      const res = await api(method, path, body);
      expect([method, path, res.status, res.json.error?.code]).toEqual([method, path, status, code]);
      expect(typeof res.json.error.message).toBe('string');
    }
    const names = (await api('GET', `${G}?user_id=${BOB}`)).json.data.playlists.map(
      (p: { name: string }) => p.name,
    );
    expect(names).toEqual(['Evening', 'Huge too', 'Huge']);
  });

  it('saves the history oldest first, with the playing song left to the queue', async () => {
    for (const title of ['Old', 'Middle', 'Recent', 'Now']) await queue.add(G, track({ title }), BOB);
    await queue.markPlaying(G);
    await queue.markPlayed(G);
    await queue.markPlaying(G);
    await queue.skipCurrent(G);
    await queue.markPlaying(G);
    await queue.markPlayed(G);
    await queue.markPlaying(G);
    const saved = await api('POST', G, { name: 'Played', from: 'history', scope: 'me', user_id: BOB });
    expect(saved.status).toBe(201);
    const shown = await api('GET', `${G}/Played?scope=me&user_id=${BOB}`);
    expect(shown.json.data.tracks.map((t: { name: string }) => t.name)).toEqual(['Old', 'Middle', 'Recent']);
    await queue.skipCurrent(G);
    await api('DELETE', `${G}/Played?scope=me&user_id=${BOB}`);
  });

  it("applies the guild's request rules to a loaded playlist, as to any add", async () => {
    await queue.add(G, track({ title: 'Short', durationMs: 60_000 }), ALICE);
    await queue.add(G, track({ title: 'Epic', durationMs: 900_000 }), ALICE);
    await queue.add(G, track({ title: 'Brief', durationMs: 90_000 }), ALICE);
    expect((await api('POST', G, { name: 'Mixed lengths', user_id: ALICE })).status).toBe(201);
    await queue.clear(G);
    await settings.update(G, { maxTrackSeconds: 300 });
    try {
      const loaded = await api('POST', `${G}/Mixed lengths/load`, { requested_by_user_id: BOB });
      expect(loaded.json.data).toMatchObject({
        queued_count: 2,
        not_queued_count: 1,
        not_queued_reason: { code: 'TRACK_TOO_LONG' },
      });
      expect((await queue.all(G)).items.map((i) => i.track.title)).toEqual(['Short', 'Brief']);
    } finally {
      await settings.update(G, { maxTrackSeconds: 0 });
      await queue.clear(G);
      await api('DELETE', `${G}/Mixed lengths`);
    }
  });

  it("lets the owner delete a personal playlist, and refuses another member's user id", async () => {
    await queue.add(G, track({ title: 'Solo' }), ALICE);
    expect((await api('POST', G, { name: 'Solo', scope: 'me', user_id: ALICE })).status).toBe(201);
    // Bob names Alice's playlist: it is not his, and another's is not found under his name.
    const refused = await api('DELETE', `${G}/Solo?user_id=${BOB}`);
    expect([refused.status, refused.json.error.code]).toEqual([404, 'PLAYLIST_NOT_FOUND']);
    const deleted = await api('DELETE', `${G}/Solo?user_id=${ALICE}`);
    expect(deleted.status).toBe(200);
    expect(deleted.json.data.deleted).toMatchObject({ name: 'Solo', scope: 'member', owner_user_id: ALICE });
    expect((await api('GET', `${G}/Solo?user_id=${ALICE}`)).status).toBe(404);
    await queue.clear(G);
  });
});
