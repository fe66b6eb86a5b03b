import type { Clock } from '../core/clock.ts';
import { UserError } from '../core/errors.ts';
import type { EventBus } from '../core/events.ts';
import { uuidSchema } from '../core/ids.ts';
import type { QueueItem, RequestSource, TrackInput } from '../core/track.ts';
import type { AddLimits, DevicePlayback, PlaybackSnapshot, QueueStore } from '../storage/queue/store.ts';
import { announce } from './announce.ts';
import type { QueueChange, QueueEvent } from './events.ts';
import { newStoredItem } from './item-input.ts';
import { QueueLifecycle } from './lifecycle.ts';
import { QueueRecords } from './records.ts';
import { addRefusal, voteRefusal } from './refusals.ts';
import { type QueueStats, toQueueStats } from './stats.ts';
import { checkGuild, checkItem, checkUser, notQueued } from './validate.ts';

export interface QueueServiceDeps {
  store: QueueStore;
  bus: EventBus<QueueEvent>;
  clock: Clock;
  /** Queue limits of a guild (its settings, or the global defaults). */
  limits: (guildId: string) => AddLimits | Promise<AddLimits>;
}

export type { QueueStats };

export interface QueuePage {
  items: QueueItem[];
  total: number;
  playing: QueueItem | null;
  page: number;
  pages: number;
}

export interface VoteResult {
  item: QueueItem;
  votes: number;
  position: number;
  previousPosition: number;
}

const PAGE_SIZE_MAX = 100;

/**
 * The unified queue: per guild, vote-ordered (net votes descending, then first come first served),
 * with the status lifecycle queued -> playing -> played | skipped. Every input is validated here;
 * a bad one is a `UserError` and leaves the stored queue unchanged. Permission checks (who may
 * remove, move or clear) are the caller's.
 */
export class QueueService {
  private readonly deps: QueueServiceDeps;
  private readonly lifecycle: QueueLifecycle;
  private readonly records: QueueRecords;

  constructor(deps: QueueServiceDeps) {
    this.deps = deps;
    this.lifecycle = new QueueLifecycle(deps);
    this.records = new QueueRecords(deps.store, deps.clock);
  }

  /**
   * Queues a track. @throws UserError INVALID_INPUT, QUEUE_FULL, USER_QUEUE_LIMIT
   */
  async add(
    guildId: string,
    track: TrackInput,
    requestedBy: string,
    requester?: RequestSource,
  ): Promise<{ item: QueueItem; position: number }> {
    checkGuild(guildId);
    checkUser(requestedBy);
    const requestedAt = new Date(this.deps.clock.now()).toISOString();
    const stored = newStoredItem(guildId, track, requestedBy, requestedAt, requester);
    const limits = await this.deps.limits(guildId);
    const outcome = await this.deps.store.add(guildId, stored, limits);
    if (!outcome.ok) throw addRefusal(outcome, limits);
    this.emit({ type: 'item.added', guildId, item: outcome.item, position: outcome.position }, 'add');
    return { item: outcome.item, position: outcome.position };
  }

  /**
   * One vote per user per item; the same vote again is refused, the other direction switches it.
   * @throws UserError INVALID_INPUT, ITEM_NOT_FOUND, ALREADY_VOTED
   */
  async vote(guildId: string, itemId: string, userId: string, direction: number): Promise<VoteResult> {
    checkGuild(guildId);
    checkItem(itemId);
    checkUser(userId);
    if (direction !== 1 && direction !== -1) {
      throw new UserError('INVALID_INPUT', 'A vote is either up (+1) or down (-1).');
    }
    const outcome = await this.deps.store.vote(guildId, itemId, userId, direction);
    if (!outcome.ok) throw voteRefusal(outcome, direction);
    return this.afterVote(guildId, itemId, userId, outcome);
  }

  /** Withdraws a user's vote. @throws UserError INVALID_INPUT, ITEM_NOT_FOUND, NOT_VOTED */
  async unvote(guildId: string, itemId: string, userId: string): Promise<VoteResult> {
    checkGuild(guildId);
    checkItem(itemId);
    checkUser(userId);
    const outcome = await this.deps.store.unvote(guildId, itemId, userId);
    if (!outcome.ok) throw voteRefusal(outcome, 0);
    return this.afterVote(guildId, itemId, userId, outcome);
  }

  private afterVote(guildId: string, itemId: string, userId: string, outcome: VoteResult): VoteResult {
    const { votes, position, previousPosition } = outcome;
    this.emit({ type: 'item.voted', guildId, itemId, userId, votes, position, previousPosition }, 'vote');
    return outcome;
  }

  /** One page of the queue in play order (1-based pages). */
  async list(guildId: string, page = 1, pageSize = 10): Promise<QueuePage> {
    checkGuild(guildId);
    if (!Number.isInteger(page) || page < 1)
      throw new UserError('INVALID_INPUT', 'The page must be 1 or more.');
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > PAGE_SIZE_MAX) {
      throw new UserError('INVALID_INPUT', `The page size must be 1 to ${PAGE_SIZE_MAX}.`);
    }
    const listing = await this.deps.store.list(guildId, (page - 1) * pageSize, pageSize);
    return { ...listing, page, pages: Math.max(1, Math.ceil(listing.total / pageSize)) };
  }

  /** Every queued item in play order, and the playing one. */
  async all(guildId: string): Promise<{ items: QueueItem[]; playing: QueueItem | null }> {
    checkGuild(guildId);
    const { items, playing } = await this.deps.store.list(guildId, 0, Number.MAX_SAFE_INTEGER);
    return { items, playing };
  }

  /** The highest-ranked queued item, without changing anything. */
  async next(guildId: string): Promise<QueueItem | null> {
    checkGuild(guildId);
    return (await this.deps.store.list(guildId, 0, 1)).items[0] ?? null;
  }

  /** A queued or playing item. @throws UserError ITEM_NOT_FOUND */
  async get(guildId: string, itemId: string): Promise<QueueItem> {
    checkGuild(guildId);
    checkItem(itemId);
    const item = await this.deps.store.get(guildId, itemId);
    if (!item) throw notQueued();
    return item;
  }

  /**
   * Finds a queued item from what a person typed: its id, its position ("3" or "#3"), or part of its
   * title. @throws UserError ITEM_NOT_FOUND
   */
  async find(guildId: string, ref: string): Promise<QueueItem> {
    checkGuild(guildId);
    const text = ref.trim();
    if (uuidSchema.safeParse(text).success) return this.get(guildId, text);
    const { items } = await this.all(guildId);
    const position = /^#?(\d{1,6})$/.exec(text);
    const found = position
      ? items[Number(position[1]) - 1]
      : items.find((i) => i.track.title.toLowerCase().includes(text.toLowerCase()));
    if (!found || text === '') throw notQueued();
    return found;
  }

  async nowPlaying(guildId: string): Promise<QueueItem | null> {
    checkGuild(guildId);
    return (await this.deps.store.list(guildId, 0, 0)).playing;
  }

  /** Removes a queued item. @throws UserError ITEM_NOT_FOUND */
  async remove(guildId: string, itemId: string): Promise<QueueItem> {
    checkGuild(guildId);
    checkItem(itemId);
    const item = await this.deps.store.remove(guildId, itemId);
    if (!item) throw notQueued();
    this.emit({ type: 'item.removed', guildId, item }, 'remove');
    return item;
  }

  /** Removes every queued item (the playing one keeps playing). */
  async clear(guildId: string): Promise<number> {
    checkGuild(guildId);
    const count = await this.deps.store.clear(guildId);
    if (count > 0) this.emit(null, 'clear', guildId);
    return count;
  }

  /** Moves a queued item to a 1-based position. @throws UserError INVALID_INPUT, ITEM_NOT_FOUND */
  async move(guildId: string, itemId: string, position: number): Promise<{ from: number; to: number }> {
    checkGuild(guildId);
    checkItem(itemId);
    if (!Number.isInteger(position) || position < 1) {
      throw new UserError('INVALID_INPUT', 'The position must be a whole number, 1 or more.');
    }
    const moved = await this.deps.store.move(guildId, itemId, position);
    if (!moved) throw notQueued();
    if (moved.from !== moved.to) this.emit(null, 'move', guildId);
    return moved;
  }

  async shuffle(guildId: string): Promise<number> {
    checkGuild(guildId);
    const count = await this.deps.store.shuffle(guildId);
    if (count > 1) this.emit(null, 'shuffle', guildId);
    return count;
  }

  /**
   * Marks an item (by default the next one) playing. At most one item plays per guild.
   * @throws UserError QUEUE_EMPTY, ITEM_NOT_FOUND, CONFLICT (something is already playing)
   */
  markPlaying(guildId: string, itemId?: string): Promise<QueueItem> {
    return this.lifecycle.markPlaying(guildId, itemId);
  }

  /** Ends the playing item as played. Returns it, or null when nothing was playing. */
  markPlayed(guildId: string, playedMs?: number): Promise<QueueItem | null> {
    return this.lifecycle.finish(guildId, 'played', playedMs);
  }

  /** Ends the playing item as skipped. Returns it, or null when nothing was playing. */
  skipCurrent(guildId: string): Promise<QueueItem | null> {
    return this.lifecycle.finish(guildId, 'skipped');
  }

  /** Played and skipped items, newest first. */
  async history(guildId: string, limit = 20): Promise<QueueItem[]> {
    checkGuild(guildId);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new UserError('INVALID_INPUT', 'The history limit must be 1 to 1000.');
    }
    return this.deps.store.history(guildId, limit);
  }

  async stats(guildId: string): Promise<QueueStats> {
    checkGuild(guildId);
    return toQueueStats(await this.deps.store.stats(guildId));
  }

  /** Which way a user voted on an item (1, -1, or 0 for no vote). */
  async voteOf(guildId: string, itemId: string, userId: string): Promise<1 | -1 | 0> {
    checkGuild(guildId);
    checkItem(itemId);
    checkUser(userId);
    return this.deps.store.voteOf(guildId, itemId, userId);
  }

  /** Links a Discord message to a queue item, so that reactions on it vote (kept as long as the queue). */
  linkMessage(guildId: string, messageId: string, itemId: string): Promise<void> {
    return this.records.linkMessage(guildId, messageId, itemId);
  }

  /** The item a message was linked to (its reactions vote on it), or null. */
  itemForMessage(guildId: string, messageId: string): Promise<string | null> {
    return this.records.itemForMessage(guildId, messageId);
  }

  /** Saves where a guild's playback is (or forgets it, with null), for a resume after a crash. */
  savePlayback(
    guildId: string,
    snapshot: Omit<PlaybackSnapshot, 'guildId' | 'savedAt'> | null,
  ): Promise<void> {
    return this.records.savePlayback(guildId, snapshot);
  }

  playbackSnapshots(): Promise<PlaybackSnapshot[]> {
    return this.records.playbackSnapshots();
  }

  /** Records the item a guild plays on its Spotify device (or forgets it, with null), for a restart. */
  saveDevicePlayback(guildId: string, itemId: string | null): Promise<void> {
    return this.records.saveDevicePlayback(guildId, itemId);
  }

  devicePlaybacks(): Promise<DevicePlayback[]> {
    return this.records.devicePlaybacks();
  }

  private emit(event: QueueEvent | null, reason: QueueChange, guildId = event?.guildId): void {
    announce(this.deps.bus, event, reason, guildId);
  }
}
