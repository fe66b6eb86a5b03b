import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import { UserError } from '../../../src/core/errors.ts';
import { InMemoryEventBus } from '../../../src/core/events.ts';
import { newId } from '../../../src/core/ids.ts';
import type { QueueEvent } from '../../../src/queue/events.ts';
import { QueueService } from '../../../src/queue/service.ts';
import { MemoryQueueStore } from '../../../src/storage/queue/memory-store.ts';
import { snowflake, track } from '../../support/tracks.ts';

const G = snowflake(1);
const ALICE = snowflake(2);
const BOB = snowflake(3);

async function rejection(promise: Promise<unknown>): Promise<UserError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return err as UserError;
  }
  throw new Error('expected a UserError, got success');
}

describe('QueueService', () => {
  let clock: ManualClock;
  let events: QueueEvent[];
  let queue: QueueService;
  let store: MemoryQueueStore;

  beforeEach(() => {
    clock = new ManualClock();
    events = [];
    const bus = new InMemoryEventBus<QueueEvent>();
    bus.subscribe((e) => events.push(e));
    store = new MemoryQueueStore({ ttlSeconds: 3600, historyLimit: 50, clock });
    queue = new QueueService({ store, bus, clock, limits: () => ({ maxLength: 3, maxPerUser: 2 }) });
  });

  describe('happy path', () => {
    it('adds with defaults filled in, the clock as request time, and the position', async () => {
      const { item, position } = await queue.add(
        G,
        { id: 'x', title: 'Song', provider: 'http', uri: 'http://a/b.mp3' },
        ALICE,
      );
      expect(position).toBe(1);
      expect(item).toMatchObject({
        guildId: G,
        requestedBy: ALICE,
        requestedAt: new Date(clock.now()).toISOString(),
        status: 'queued',
        votes: 0,
        track: { artist: null, album: null, durationMs: null, metadata: {} },
      });
    });

    it('publishes item and queue events for each change', async () => {
      const { item } = await queue.add(G, track(), ALICE);
      await queue.vote(G, item.id, BOB, 1);
      await queue.markPlaying(G);
      await queue.markPlayed(G);
      expect(events.map((e) => (e.type === 'queue.updated' ? `queue.updated:${e.reason}` : e.type))).toEqual([
        'item.added',
        'queue.updated:add',
        'item.voted',
        'queue.updated:vote',
        'item.started',
        'queue.updated:start',
        'item.finished',
        'queue.updated:finish',
      ]);
    });

    it('follows queued -> playing -> played and skipped, with history newest first', async () => {
      const a = (await queue.add(G, track({ title: 'A' }), ALICE)).item;
      const b = (await queue.add(G, track({ title: 'B' }), BOB)).item;
      expect((await queue.next(G))?.id).toBe(a.id);
      expect((await queue.markPlaying(G)).id).toBe(a.id);
      expect((await queue.nowPlaying(G))?.id).toBe(a.id);
      clock.advance(1000);
      expect(await queue.markPlayed(G, 1000)).toMatchObject({ id: a.id, status: 'played' });
      await queue.markPlaying(G, b.id);
      expect(await queue.skipCurrent(G)).toMatchObject({ id: b.id, status: 'skipped' });
      expect(await queue.skipCurrent(G)).toBeNull();
      expect((await queue.history(G)).map((i) => i.track.title)).toEqual(['B', 'A']);
      const stats = await queue.stats(G);
      expect(stats.counts).toEqual({ queued: 0, playing: 0, played: 1, skipped: 1, removed: 0 });
      expect(stats.totalPlayedMs).toBe(1000);
      expect(stats.averagePlayedMs).toBe(1000);
      expect(stats.uniqueRequesters).toBe(2);
    });

    it('pages the queue', async () => {
      for (let i = 0; i < 3; i++) await queue.add(G, track(), i === 2 ? BOB : ALICE);
      const page = await queue.list(G, 2, 2);
      expect(page).toMatchObject({ page: 2, pages: 2, total: 3 });
      expect(page.items.map((i) => i.position)).toEqual([3]);
    });
  });

  describe('refusals leave the queue unchanged', () => {
    async function snapshot() {
      return JSON.stringify(await queue.all(G));
    }

    it('refuses a bad guild id', async () => {
      expect((await rejection(queue.add('not-a-guild', track(), ALICE))).code).toBe('INVALID_INPUT');
      expect((await rejection(queue.list('12'))).code).toBe('INVALID_INPUT');
    });

    it('refuses an oversize title, a bad provider and a non-http artwork URL', async () => {
      await queue.add(G, track(), ALICE);
      const before = await snapshot();
      for (const bad of [
        track({ title: 'x'.repeat(201) }),
        track({ provider: 'Not A Provider!' }),
        track({ artworkUrl: 'javascript:alert(1)' }),
        { ...track(), extra: 'field' },
      ]) {
        const err = await rejection(queue.add(G, bad, ALICE));
        expect(err.code).toBe('INVALID_INPUT');
      }
      expect(await snapshot()).toBe(before);
    });

    it('refuses a track whose stored item would be over 1 KB', async () => {
      const big = track({
        title: 'é'.repeat(200),
        artist: 'é'.repeat(100),
        album: 'é'.repeat(100),
        metadata: { a: 'é'.repeat(200) },
      });
      expect((await rejection(queue.add(G, big, ALICE))).message).toMatch(/too large/);
      expect((await queue.all(G)).items).toEqual([]);
    });

    it('refuses a wrong vote value, an unknown item and a malformed item id', async () => {
      const { item } = await queue.add(G, track(), ALICE);
      const before = await snapshot();
      expect((await rejection(queue.vote(G, item.id, BOB, 2))).code).toBe('INVALID_INPUT');
      expect((await rejection(queue.vote(G, item.id, BOB, 0))).code).toBe('INVALID_INPUT');
      expect((await rejection(queue.vote(G, newId(), BOB, 1))).code).toBe('ITEM_NOT_FOUND');
      expect((await rejection(queue.vote(G, 'abc', BOB, 1))).code).toBe('INVALID_INPUT');
      expect((await rejection(queue.vote(G, item.id, 'bob', 1))).code).toBe('INVALID_INPUT');
      expect((await rejection(queue.remove(G, newId()))).code).toBe('ITEM_NOT_FOUND');
      expect((await rejection(queue.move(G, item.id, 0))).code).toBe('INVALID_INPUT');
      expect(await snapshot()).toBe(before);
    });

    it('says ALREADY_VOTED for the same vote twice and NOT_VOTED for withdrawing nothing', async () => {
      const { item } = await queue.add(G, track(), ALICE);
      await queue.vote(G, item.id, BOB, -1);
      const err = await rejection(queue.vote(G, item.id, BOB, -1));
      expect(err.code).toBe('ALREADY_VOTED');
      expect(err.message).toBe('You already voted down on that song.');
      expect((await rejection(queue.unvote(G, item.id, ALICE))).code).toBe('NOT_VOTED');
      expect((await queue.get(G, item.id)).votes).toBe(-1);
    });

    it('says QUEUE_FULL and USER_QUEUE_LIMIT in plain words', async () => {
      await queue.add(G, track(), ALICE);
      await queue.add(G, track(), ALICE);
      expect((await rejection(queue.add(G, track(), ALICE))).code).toBe('USER_QUEUE_LIMIT');
      await queue.add(G, track(), BOB);
      const full = await rejection(queue.add(G, track(), BOB));
      expect(full.code).toBe('QUEUE_FULL');
      expect(full.message).toMatch(/full \(3 songs\)/);
    });

    it('says QUEUE_EMPTY when nothing is queued and CONFLICT when something plays', async () => {
      expect((await rejection(queue.markPlaying(G))).code).toBe('QUEUE_EMPTY');
      await queue.add(G, track(), ALICE);
      await queue.add(G, track(), BOB);
      await queue.markPlaying(G);
      expect((await rejection(queue.markPlaying(G))).code).toBe('CONFLICT');
    });
  });
});
