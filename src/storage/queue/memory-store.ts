import { randomInt } from 'node:crypto';
import type { Clock } from '../../core/clock.ts';
import type { QueueItem, StoredItem } from '../../core/track.ts';
import { historyItem, playingItem, queuedItem } from './items.ts';
import { type GuildSnapshot, type GuildState, MemoryGuilds } from './memory-guilds.ts';
import { increment, insert, rankOf } from './memory-order.ts';
import { MemoryRecords } from './memory-records.ts';
import { historyOf, recordFinish, statsOf } from './memory-stats.ts';
import type {
  AddLimits,
  AddOutcome,
  DevicePlayback,
  PlaybackSnapshot,
  QueueListing,
  QueueStore,
  RawStats,
  StartOutcome,
  VoteOutcome,
} from './store.ts';
import { fairTieBreak } from './store.ts';

const STEP = 2 ** 32;

export interface MemoryQueueStoreOptions {
  ttlSeconds: number;
  historyLimit: number;
  clock: Clock;
}

/**
 * Queue store in this process's memory, with the same behaviour as the Redis store (one contract
 * suite runs against both). Used when no `REDIS_URL` is set and as the fallback while Redis is down.
 * This class keeps the queue itself; `MemoryGuilds` keeps the guilds' states and expires each
 * `ttlSeconds` after its last change, like the Redis keys; `MemoryRecords` keeps message links and
 * playback records; memory-stats.ts keeps history and statistics.
 */
export class MemoryQueueStore implements QueueStore {
  private readonly guilds: MemoryGuilds;
  private readonly records: MemoryRecords;
  private readonly historyLimit: number;

  constructor(options: MemoryQueueStoreOptions) {
    this.guilds = new MemoryGuilds(options.ttlSeconds, options.clock);
    this.records = new MemoryRecords(this.guilds);
    this.historyLimit = options.historyLimit;
  }

  /** Replaces a guild's state with a snapshot of it (taken from Redis: the local copy of the queue). */
  load(guildId: string, snapshot: GuildSnapshot): void {
    this.guilds.load(guildId, snapshot);
  }

  /** Whether this store holds state of the guild. */
  knows(guildId: string): boolean {
    return this.guilds.read(guildId) !== undefined;
  }

  async add(guildId: string, item: StoredItem, limits: AddLimits): Promise<AddOutcome> {
    const existing = this.guilds.read(guildId);
    if (existing && existing.order.length >= limits.maxLength) return { ok: false, reason: 'QUEUE_FULL' };
    const held = existing?.perUser.get(item.requestedBy) ?? 0;
    if (held >= limits.maxPerUser) return { ok: false, reason: 'USER_QUEUE_LIMIT' };
    const g = this.guilds.write(guildId);
    const stored = structuredClone(item);
    g.seq += 1;
    g.items.set(item.id, stored);
    g.votes.set(item.id, 0);
    insert(g.order, { id: item.id, score: limits.order === 'fair' ? fairTieBreak(g.seq, held) : g.seq });
    increment(g.perUser, item.requestedBy, 1);
    increment(g.requesters, item.requestedBy, 1);
    g.counters.added += 1;
    const position = rankOf(g, item.id)!;
    return { ok: true, position, item: queuedItem(structuredClone(stored), 0, position) };
  }

  vote(guildId: string, itemId: string, userId: string, direction: 1 | -1): Promise<VoteOutcome> {
    return Promise.resolve(this.applyVote(guildId, itemId, userId, direction));
  }

  unvote(guildId: string, itemId: string, userId: string): Promise<VoteOutcome> {
    return Promise.resolve(this.applyVote(guildId, itemId, userId, 0));
  }

  private applyVote(guildId: string, itemId: string, userId: string, dir: 1 | -1 | 0): VoteOutcome {
    const existing = this.guilds.read(guildId);
    const before = existing ? rankOf(existing, itemId) : null;
    if (!existing || before === null) return { ok: false, reason: 'ITEM_NOT_FOUND' };
    const prev = existing.voters.get(itemId)?.get(userId) ?? 0;
    if (dir === 0 && prev === 0) return { ok: false, reason: 'NOT_VOTED' };
    if (dir !== 0 && prev === dir) {
      return { ok: false, reason: 'ALREADY_VOTED', votes: existing.votes.get(itemId) ?? 0, position: before };
    }
    const g = this.guilds.write(guildId);
    const delta = dir - prev;
    const voters = g.voters.get(itemId) ?? new Map<string, 1 | -1>();
    g.voters.set(itemId, voters);
    if (dir === 0) voters.delete(userId);
    else voters.set(userId, dir);
    const votes = (g.votes.get(itemId) ?? 0) + delta;
    g.votes.set(itemId, votes);
    const index = g.order.findIndex((e) => e.id === itemId);
    const [entry] = g.order.splice(index, 1);
    insert(g.order, { id: itemId, score: entry!.score - delta * STEP });
    g.counters.votes += 1;
    const position = rankOf(g, itemId)!;
    const item = queuedItem(structuredClone(g.items.get(itemId)!), votes, position);
    return { ok: true, votes, previousPosition: before, position, item };
  }

  async list(guildId: string, offset: number, limit: number): Promise<QueueListing> {
    const g = this.guilds.read(guildId);
    if (!g) return { items: [], total: 0, playing: null };
    const items = g.order
      .slice(offset, offset + Math.max(0, limit))
      .map((e, i) => queuedItem(structuredClone(g.items.get(e.id)!), g.votes.get(e.id) ?? 0, offset + i + 1));
    return { items, total: g.order.length, playing: this.playingOf(g) };
  }

  private playingOf(g: GuildState): QueueItem | null {
    if (!g.playing) return null;
    const stored = g.items.get(g.playing.id);
    return playingItem(
      stored ? structuredClone(stored) : null,
      g.votes.get(g.playing.id) ?? 0,
      g.playing.startedAt,
    );
  }

  async get(guildId: string, itemId: string): Promise<QueueItem | null> {
    const g = this.guilds.read(guildId);
    if (!g) return null;
    const position = rankOf(g, itemId);
    if (position !== null) {
      return queuedItem(structuredClone(g.items.get(itemId)!), g.votes.get(itemId) ?? 0, position);
    }
    return g.playing?.id === itemId ? this.playingOf(g) : null;
  }

  async remove(guildId: string, itemId: string): Promise<QueueItem | null> {
    const existing = this.guilds.read(guildId);
    const position = existing ? rankOf(existing, itemId) : null;
    if (!existing || position === null) return null;
    const g = this.guilds.write(guildId);
    const stored = g.items.get(itemId)!;
    const votes = g.votes.get(itemId) ?? 0;
    g.order = g.order.filter((e) => e.id !== itemId);
    g.items.delete(itemId);
    g.votes.delete(itemId);
    g.voters.delete(itemId);
    increment(g.perUser, stored.requestedBy, -1);
    g.counters.removed += 1;
    return queuedItem(stored, votes, position);
  }

  async clear(guildId: string): Promise<number> {
    if (!this.guilds.read(guildId)) return 0;
    const g = this.guilds.write(guildId);
    const count = g.order.length;
    for (const { id } of g.order) {
      g.items.delete(id);
      g.votes.delete(id);
    }
    g.order = [];
    g.voters.clear();
    g.perUser.clear();
    g.counters.removed += count;
    return count;
  }

  async move(
    guildId: string,
    itemId: string,
    position: number,
  ): Promise<{ from: number; to: number } | null> {
    const existing = this.guilds.read(guildId);
    const from = existing ? rankOf(existing, itemId) : null;
    if (!existing || from === null) return null;
    const g = this.guilds.write(guildId);
    const to = Math.max(1, Math.min(Math.trunc(position), g.order.length));
    if (to !== from) {
      // Same rotation of existing scores as the Redis script: the order changes, scores stay distinct.
      const lo = Math.min(from, to) - 1;
      const hi = Math.max(from, to) - 1;
      const span = g.order.slice(lo, hi + 1);
      const scores = span.map((e) => e.score);
      const ids = span.map((e) => e.id);
      const order = to < from ? [ids[ids.length - 1]!, ...ids.slice(0, -1)] : [...ids.slice(1), ids[0]!];
      g.order.splice(lo, span.length, ...order.map((id, i) => ({ id, score: scores[i]! })));
    }
    return { from, to };
  }

  async shuffle(guildId: string): Promise<number> {
    if (!this.guilds.read(guildId)) return 0;
    const g = this.guilds.write(guildId);
    const ids = g.order.map((e) => e.id);
    for (let i = ids.length - 1; i > 0; i--) {
      const j = randomInt(i + 1);
      [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    }
    g.order = g.order.map((e, i) => ({ id: ids[i]!, score: e.score }));
    return ids.length;
  }

  async start(guildId: string, itemId: string | null, now: string): Promise<StartOutcome> {
    const existing = this.guilds.read(guildId);
    if (existing?.playing) return { ok: false, reason: 'ALREADY_PLAYING' };
    const id = itemId ?? existing?.order[0]?.id;
    if (!existing || !id) return { ok: false, reason: 'QUEUE_EMPTY' };
    if (rankOf(existing, id) === null) return { ok: false, reason: 'ITEM_NOT_FOUND' };
    const g = this.guilds.write(guildId);
    g.order = g.order.filter((e) => e.id !== id);
    g.voters.delete(id);
    g.playing = { id, startedAt: now };
    increment(g.perUser, g.items.get(id)!.requestedBy, -1);
    return { ok: true, item: this.playingOf(g)! };
  }

  async finish(
    guildId: string,
    status: 'played' | 'skipped',
    now: string,
    playedMs: number | null,
  ): Promise<QueueItem | null> {
    if (!this.guilds.read(guildId)?.playing) return null;
    const row = recordFinish(this.guilds.write(guildId), status, now, playedMs, this.historyLimit);
    return historyItem(structuredClone(row));
  }

  async history(guildId: string, limit: number): Promise<QueueItem[]> {
    return historyOf(this.guilds.read(guildId), limit);
  }

  async stats(guildId: string): Promise<RawStats> {
    return statsOf(this.guilds.read(guildId));
  }

  async voteOf(guildId: string, itemId: string, userId: string): Promise<1 | -1 | 0> {
    return this.guilds.read(guildId)?.voters.get(itemId)?.get(userId) ?? 0;
  }

  linkMessage(guildId: string, messageId: string, itemId: string): Promise<void> {
    return this.records.linkMessage(guildId, messageId, itemId);
  }

  itemForMessage(guildId: string, messageId: string): Promise<string | null> {
    return this.records.itemForMessage(guildId, messageId);
  }

  savePlayback(guildId: string, snapshot: PlaybackSnapshot | null): Promise<void> {
    return this.records.savePlayback(guildId, snapshot);
  }

  playbackSnapshots(): Promise<PlaybackSnapshot[]> {
    return this.records.playbackSnapshots();
  }

  saveDevicePlayback(guildId: string, record: DevicePlayback | null): Promise<void> {
    return this.records.saveDevicePlayback(guildId, record);
  }

  devicePlaybacks(): Promise<DevicePlayback[]> {
    return this.records.devicePlaybacks();
  }
}
