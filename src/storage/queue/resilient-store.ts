import { UserError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { QueueItem, StoredItem } from '../../core/track.ts';
import { DeadlineError, withDeadline } from './deadline.ts';
import { LocalCopy } from './local-copy.ts';
import type { GuildSnapshot } from './memory-guilds.ts';
import type { MemoryQueueStore } from './memory-store.ts';
import { failureKind, type RedisConnection } from './redis-client.ts';
import { RetryLedger } from './retry-ledger.ts';
import type { AddLimits, AddOutcome, QueueStore, VoteOutcome } from './store.ts';
import { VoteJournal } from './vote-journal.ts';

export type QueueBackend = 'redis' | 'last-known' | 'memory';

export interface QueueStoreHealth {
  /** Where requests are answered from: RedisConnection, this instance's last known copy (an outage), or memory alone (no Redis configured). */
  backend: QueueBackend;
  redis: 'up' | 'down' | 'not configured';
  /** Votes taken during an outage and not yet sent to Redis. */
  pending_votes?: number;
}

export interface ResilientStoreOptions {
  /** How long a call may wait for Redis on a live connection before it is answered 503 "try again". */
  deadlineMs?: number;
}

/** Seconds a client is told to wait (`Retry-After`) when the queue store cannot answer. */
export const RETRY_AFTER_SECONDS = 5;

type Why = 'not-made' | 'unknown' | 'unknown-guild';

const MESSAGES: Record<Why, string> = {
  'not-made':
    'The queue is read-only for a moment (its store, Redis, is unreachable): nothing was changed. Try again in a few seconds.',
  unknown:
    'The queue store (Redis) did not answer in time, so this change may or may not have been made. Try again in a few seconds: a retry never counts it twice.',
  'unknown-guild':
    'The queue store (Redis) is unreachable and this server’s queue is not known here yet. Try again in a few seconds.',
};

/** The `UserError` (503 with `Retry-After` on REST) for a queue request the store cannot answer now. */
export function queueUnavailable(why: Why): UserError {
  return new UserError('UNAVAILABLE', MESSAGES[why], {
    retry_after_seconds: RETRY_AFTER_SECONDS,
    reason: why === 'unknown' ? 'redis_no_answer' : 'redis_unreachable',
  });
}

type Primary = QueueStore & { snapshot(guildId: string): Promise<GuildSnapshot> };
type Attempt<T> = { ok: true; value: T } | { ok: false; kind: 'not-applied' | 'unknown' };

/**
 * The queue on Redis, with one contract (docs/OPERATIONS.md, "Redis down or slow"):
 * - A change is acknowledged only once Redis has it. Redis is the only authority; there is no
 *   second queue that could fork from it.
 * - A slow answer on a live connection is not an outage: the call waits (up to `deadlineMs`, 5 s),
 *   and if Redis still has not answered, the request gets 503 "try again" (its fate is unknown, so it
 *   is never reported as a refusal such as 404) and the retry is idempotent (RetryLedger).
 * - An outage is a lost connection (the client's state, not a timed-out command). During one, reads
 *   of the guilds this instance served, and votes on their items, are answered from the last known
 *   copy (LocalCopy); those votes are replayed to Redis when it is back, each counted exactly once
 *   (VoteJournal). Every other change is refused with 503 and `Retry-After`, and is never applied later.
 */
export function createResilientStore(
  primary: Primary,
  local: MemoryQueueStore,
  redis: RedisConnection,
  logger: Logger,
  options: ResilientStoreOptions = {},
): { store: QueueStore; health: () => QueueStoreHealth; settled: () => Promise<void> } {
  const deadlineMs = options.deadlineMs ?? 5_000;
  const journal = new VoteJournal();
  const ledger = new RetryLedger();
  let draining = false;
  let connected = redis.status === 'ready';
  const degraded = () => redis.status !== 'ready' || journal.size > 0 || draining;
  const copy = new LocalCopy({ store: local, source: primary, mayLoad: () => !degraded(), logger });
  if (!connected) logger.warn('Redis is not reachable yet: queue requests are answered 503 until it is');

  let lastSlowLog = 0;
  const attempt = async <T>(fn: () => Promise<T>): Promise<Attempt<T>> => {
    try {
      return { ok: true, value: await withDeadline(fn(), deadlineMs) };
    } catch (err) {
      const kind = err instanceof DeadlineError ? 'unknown' : failureKind(err);
      if (kind === 'error') throw err;
      if (err instanceof DeadlineError && Date.now() - lastSlowLog > 10_000) {
        lastSlowLog = Date.now();
        logger.warn(
          { deadline_ms: deadlineMs, connection: redis.status },
          'Redis did not answer in time; the request was answered 503 (the connection is up: not an outage)',
        );
      }
      return { ok: false, kind };
    }
  };
  const unavailableFor = (kind: 'not-applied' | 'unknown') =>
    queueUnavailable(kind === 'unknown' ? 'unknown' : 'not-made');

  /** A read: RedisConnection when connected, else (or when Redis fails it) the copy of a guild known here. */
  const read = async <T>(guildId: string | null, fn: (s: QueueStore) => Promise<T>): Promise<T> => {
    if (!degraded()) {
      const r = await attempt(() => fn(primary));
      if (r.ok) {
        if (guildId) copy.read(guildId);
        return r.value;
      }
    }
    if (guildId === null || copy.knows(guildId)) return fn(local);
    throw queueUnavailable('unknown-guild');
  };

  /** A change other than a vote: RedisConnection or a 503, never anywhere else. */
  const write = async <T>(guildId: string, fn: (s: QueueStore) => Promise<T>): Promise<T> => {
    if (degraded()) throw queueUnavailable('not-made');
    const r = await attempt(() => fn(primary));
    if (!r.ok) throw unavailableFor(r.kind);
    copy.changed(guildId);
    return r.value;
  };

  const castVote = async (
    g: string,
    itemId: string,
    userId: string,
    dir: 1 | -1 | 0,
  ): Promise<VoteOutcome> => {
    const call = (s: QueueStore) =>
      dir === 0 ? s.unvote(g, itemId, userId) : s.vote(g, itemId, userId, dir);
    if (!degraded()) {
      const retry = ledger.takeVote(g, itemId, userId, dir);
      const r = await attempt(() => call(primary));
      if (r.ok) {
        copy.changed(g);
        return retry ? confirmEarlier(g, itemId, userId, dir, r.value) : r.value;
      }
      if (r.kind === 'unknown') {
        ledger.voteUnknown(g, itemId, userId, dir);
        throw unavailableFor(r.kind);
      }
      if (!degraded()) throw unavailableFor(r.kind);
      // The connection went down before the vote was sent: it is an outage vote (below).
    }
    if (!copy.knows(g)) throw queueUnavailable('unknown-guild');
    const outcome = await call(local);
    if (outcome.ok) {
      journal.record({ guildId: g, itemId, userId, direction: dir });
      return outcome;
    }
    // Not in the last known copy: it may have been added since; only Redis can say.
    if (outcome.reason === 'ITEM_NOT_FOUND') throw queueUnavailable('not-made');
    return outcome;
  };

  /** A retried vote found its own earlier attempt in place: that attempt counted; answer so. */
  const confirmEarlier = async (
    g: string,
    itemId: string,
    userId: string,
    dir: 1 | -1 | 0,
    outcome: VoteOutcome,
  ): Promise<VoteOutcome> => {
    if (outcome.ok || (outcome.reason !== 'ALREADY_VOTED' && outcome.reason !== 'NOT_VOTED')) return outcome;
    const r = await attempt(() => primary.get(g, itemId));
    if (!r.ok) {
      // Still no way to tell the member what the first attempt did: "try again", and remember it.
      ledger.voteUnknown(g, itemId, userId, dir);
      throw unavailableFor(r.kind);
    }
    const item = r.value;
    if (!item || item.position === null) return outcome;
    return { ok: true, votes: item.votes, position: item.position, previousPosition: item.position, item };
  };

  const add = async (g: string, item: StoredItem, limits: AddLimits): Promise<AddOutcome> => {
    if (degraded()) throw queueUnavailable('not-made');
    const earlierId = ledger.takeAdd(g, item);
    if (earlierId) {
      const found = await attempt(() => primary.get(g, earlierId));
      if (!found.ok) {
        ledger.addUnknown(g, { ...item, id: earlierId });
        throw unavailableFor(found.kind);
      }
      if (found.value)
        return { ok: true, item: found.value as QueueItem, position: found.value.position ?? 0 };
    }
    const r = await attempt(() => primary.add(g, item, limits));
    if (r.ok) {
      copy.changed(g);
      return r.value;
    }
    if (r.kind === 'unknown') ledger.addUnknown(g, item);
    throw unavailableFor(r.kind);
  };

  // Outage bookkeeping: the connection's state says when one starts; `ready` ends it once the votes
  // taken meanwhile are in Redis.
  const lost = () => {
    if (!connected) return;
    connected = false;
    logger.warn(
      'Redis connection lost: known queues are served from the last known copy (reads and votes); other changes are refused (503) until it is back',
    );
  };
  const drain = async () => {
    if (draining || redis.status !== 'ready') return;
    draining = true;
    try {
      const replayer = {
        vote: (g: string, i: string, u: string, d: 1 | -1) =>
          withDeadline(primary.vote(g, i, u, d), deadlineMs),
        unvote: (g: string, i: string, u: string) => withDeadline(primary.unvote(g, i, u), deadlineMs),
      };
      const { guilds, counted, dropped } = await journal.replay(replayer);
      draining = false;
      for (const g of guilds) copy.changed(g);
      if (!connected) {
        connected = true;
        logger.info(
          { votes_replayed: counted, votes_on_removed_items: dropped },
          'Redis is back: the queue is served from Redis again',
        );
      }
    } catch (err) {
      draining = false;
      logger.warn(
        { err: err instanceof Error ? err.message : String(err), pending_votes: journal.size },
        'replaying the outage votes failed; trying again',
      );
      const timer = setTimeout(() => void drain(), 1_000);
      timer.unref();
    }
  };
  // 'reconnecting', not 'close': a client closed on purpose (shutdown) does not reconnect.
  redis.on('reconnecting', lost);
  redis.on('ready', () => void drain());
  // Reconnection attempts fail while Redis is down; the state above is what matters, so log quietly.
  redis.on('error', (err: Error) => logger.debug({ err: err.message }, 'Redis connection error'));

  const store: QueueStore = {
    add,
    vote: (g, i, u, d) => castVote(g, i, u, d),
    unvote: (g, i, u) => castVote(g, i, u, 0),
    list: (g, o, l) => read(g, (s) => s.list(g, o, l)),
    get: (g, i) => read(g, (s) => s.get(g, i)),
    remove: (g, i) => write(g, (s) => s.remove(g, i)),
    clear: (g) => write(g, (s) => s.clear(g)),
    move: (g, i, p) => write(g, (s) => s.move(g, i, p)),
    shuffle: (g) => write(g, (s) => s.shuffle(g)),
    start: (g, i, now) => write(g, (s) => s.start(g, i, now)),
    finish: (g, st, now, ms) => write(g, (s) => s.finish(g, st, now, ms)),
    history: (g, l) => read(g, (s) => s.history(g, l)),
    stats: (g) => read(g, (s) => s.stats(g)),
    voteOf: (g, i, u) => read(g, (s) => s.voteOf(g, i, u)),
    linkMessage: (g, m, i) => write(g, (s) => s.linkMessage(g, m, i)),
    itemForMessage: (g, m) => read(g, (s) => s.itemForMessage(g, m)),
    savePlayback: (g, snap) => write(g, (s) => s.savePlayback(g, snap)),
    playbackSnapshots: () => read(null, (s) => s.playbackSnapshots()),
    saveDevicePlayback: (g, rec) => write(g, (s) => s.saveDevicePlayback(g, rec)),
    devicePlaybacks: () => read(null, (s) => s.devicePlaybacks()),
  };
  const health = (): QueueStoreHealth => ({
    backend: degraded() ? 'last-known' : 'redis',
    redis: redis.status === 'ready' ? 'up' : 'down',
    ...(journal.size > 0 ? { pending_votes: journal.size } : {}),
  });
  return { store, health, settled: () => copy.settled() };
}
