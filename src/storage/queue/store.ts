import type { QueueItem, StoredItem } from '../../core/track.ts';

/**
 * Per-guild queue storage. Every method is one atomic step: concurrent callers (several bot
 * instances on one Redis) never lose or double-count a change. Expected refusals come back as
 * `{ ok: false, reason }`; the service turns them into `UserError`s. Implementations: Redis
 * (`src/storage/queue/redis-store.ts`) and in-memory (`memory-store.ts`), proven by one contract suite.
 * In front of Redis, `resilient-store.ts` may also throw `UserError` `UNAVAILABLE` (503, "try
 * again") when Redis cannot answer now: a definite answer is never made up.
 */
export interface QueueStore {
  add(guildId: string, item: StoredItem, limits: AddLimits): Promise<AddOutcome>;
  vote(guildId: string, itemId: string, userId: string, direction: 1 | -1): Promise<VoteOutcome>;
  unvote(guildId: string, itemId: string, userId: string): Promise<VoteOutcome>;
  /** Queued items in play order (offset/limit over the queued items) and the playing item. */
  list(guildId: string, offset: number, limit: number): Promise<QueueListing>;
  /** A queued or playing item. */
  get(guildId: string, itemId: string): Promise<QueueItem | null>;
  remove(guildId: string, itemId: string): Promise<QueueItem | null>;
  /** Removes every queued item (not the playing one); returns how many. */
  clear(guildId: string): Promise<number>;
  /** Moves a queued item to a 1-based position (clamped to the queue). Null when not queued. */
  move(guildId: string, itemId: string, position: number): Promise<{ from: number; to: number } | null>;
  /** Randomises the queued order; returns how many items were shuffled. */
  shuffle(guildId: string): Promise<number>;
  /** Marks an item (or, without an id, the next one) playing. */
  start(guildId: string, itemId: string | null, now: string): Promise<StartOutcome>;
  /** Ends the playing item as played or skipped and records it in history and stats. */
  finish(
    guildId: string,
    status: 'played' | 'skipped',
    now: string,
    playedMs: number | null,
  ): Promise<QueueItem | null>;
  history(guildId: string, limit: number): Promise<QueueItem[]>;
  stats(guildId: string): Promise<RawStats>;
  /** Which way a user voted on an item: 1, -1 or 0. */
  voteOf(guildId: string, itemId: string, userId: string): Promise<1 | -1 | 0>;
  /** Links a Discord message to a queue item so that reactions on it count as votes. */
  linkMessage(guildId: string, messageId: string, itemId: string): Promise<void>;
  itemForMessage(guildId: string, messageId: string): Promise<string | null>;
  /** Saves (or, with null, forgets) where a guild's playback is, so that a restarted bot resumes it. */
  savePlayback(guildId: string, snapshot: PlaybackSnapshot | null): Promise<void>;
  /** Every guild's saved playback (for the resume at start). */
  playbackSnapshots(): Promise<PlaybackSnapshot[]>;
  /** Records (or, with null, forgets) that a guild's queue plays on its Spotify device (device mode). */
  saveDevicePlayback(guildId: string, record: DevicePlayback | null): Promise<void>;
  /** Every guild whose queue plays on its Spotify device (a restarted process follows them again). */
  devicePlaybacks(): Promise<DevicePlayback[]>;
}

export interface PlaybackSnapshot {
  guildId: string;
  channelId: string;
  itemId: string;
  positionMs: number;
  paused: boolean;
  /** ISO 8601. */
  savedAt: string;
}

/**
 * A guild whose playing item plays on its linked Spotify device, not in voice. Kept apart from the
 * voice player's snapshot: the two players save and clear their records independently.
 */
export interface DevicePlayback {
  guildId: string;
  itemId: string;
  /** ISO 8601. */
  savedAt: string;
}

export interface AddLimits {
  maxLength: number;
  maxPerUser: number;
  /**
   * Play order among items of one vote score: `votes` (default) first come first served; `fair`
   * round-robin between requesters (see {@link fairTieBreak}).
   */
  order?: 'votes' | 'fair';
}

/** Adds a fair tie-break counts in one round (the guild's add counter is taken modulo this). */
export const FAIR_ROUND = 2 ** 22;
/** Rounds the fair tie-break tells apart (a requester's 1,024th queued song and later share the last). */
export const FAIR_ROUNDS = 2 ** 10;

/**
 * The position of a new item among those of its vote score (lower plays first; the vote step is
 * 2^32 above it). `votes`: the guild's add counter, first come first served. `fair`: the requester's
 * round first, the number of songs they already have queued, so everyone's first song comes before
 * anyone's second, then the add counter. Both stores compute it the same way.
 */
export function fairTieBreak(seq: number, alreadyQueued: number): number {
  return Math.min(alreadyQueued, FAIR_ROUNDS - 1) * FAIR_ROUND + (seq % FAIR_ROUND);
}

export type AddOutcome =
  | { ok: true; item: QueueItem; position: number }
  | { ok: false; reason: 'QUEUE_FULL' | 'USER_QUEUE_LIMIT' };

export type VoteOutcome =
  | { ok: true; votes: number; position: number; previousPosition: number; item: QueueItem }
  | { ok: false; reason: 'ITEM_NOT_FOUND' | 'NOT_VOTED' }
  | { ok: false; reason: 'ALREADY_VOTED'; votes: number; position: number };

export type StartOutcome =
  | { ok: true; item: QueueItem }
  | { ok: false; reason: 'QUEUE_EMPTY' | 'ITEM_NOT_FOUND' | 'ALREADY_PLAYING' };

export interface QueueListing {
  items: QueueItem[];
  total: number;
  playing: QueueItem | null;
}

export interface RawStats {
  queued: number;
  playing: number;
  added: number;
  played: number;
  skipped: number;
  removed: number;
  votes: number;
  playedMs: number;
  uniqueRequesters: number;
  topRequesters: { userId: string; count: number }[];
  topTracks: { key: string; title: string; artist: string | null; provider: string; plays: number }[];
}

/** How many entries the top lists in stats hold. */
export const TOP_N = 5;

/** Key of a track in the top-tracks statistics. */
export function trackKey(provider: string, id: string): string {
  return `${provider}:${id}`;
}
