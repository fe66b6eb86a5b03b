import { randomInt } from 'node:crypto';
import type { Clock } from '../../core/clock.ts';
import type { QueueItem, StoredItem } from '../../core/track.ts';
import { type HistoryRow, historyItem, playingItem, queuedItem } from './items.ts';
import { type Entry, increment, insert, rankOf, top } from './memory-order.ts';
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
import { trackKey } from './store.ts';

const STEP = 2 ** 32;

interface GuildState {
  expiresAt: number;
  seq: number;
  /** Queued ids sorted by score, lowest (plays first) first; same scoring as the Redis store. */
  order: Entry[];
  items: Map<string, StoredItem>;
  votes: Map<string, number>;
  voters: Map<string, Map<string, 1 | -1>>;
  playing: { id: string; startedAt: string } | null;
  history: HistoryRow[];
  counters: {
    added: number;
    played: number;
    skipped: number;
    removed: number;
    votes: number;
    playedMs: number;
  };
  requesters: Map<string, number>;
  tracks: Map<string, { plays: number; title: string; artist: string | null; provider: string }>;
  perUser: Map<string, number>;
  messages: Map<string, string>;
  playback: PlaybackSnapshot | null;
  device: DevicePlayback | null;
}

export interface MemoryQueueStoreOptions {
  ttlSeconds: number;
  historyLimit: number;
  clock: Clock;
}

/**
 * Queue store in this process's memory, with the same behaviour as the Redis store (one contract
 * suite runs against both). Used when no `REDIS_URL` is set and as the fallback while Redis is down.
 * A guild's state expires `ttlSeconds` after its last change, like the Redis keys.
 */
export class MemoryQueueStore implements QueueStore {
  private readonly guilds = new Map<string, GuildState>();
  private readonly options: MemoryQueueStoreOptions;
  private mutations = 0;

  constructor(options: MemoryQueueStoreOptions) {
    this.options = options;
  }

  private read(guildId: string): GuildState | undefined {
    const state = this.guilds.get(guildId);
    if (state && state.expiresAt <= this.options.clock.now()) {
      this.guilds.delete(guildId);
      return undefined;
    }
    return state;
  }

  /** The guild's state for a change: created when missing, its expiry pushed back. */
  private write(guildId: string): GuildState {
    if (++this.mutations % 1000 === 0) this.sweep();
    let state = this.read(guildId);
    if (!state) {
      state = {
        expiresAt: 0,
        seq: 0,
        order: [],
        items: new Map(),
        votes: new Map(),
        voters: new Map(),
        playing: null,
        history: [],
        counters: { added: 0, played: 0, skipped: 0, removed: 0, votes: 0, playedMs: 0 },
        requesters: new Map(),
        tracks: new Map(),
        perUser: new Map(),
        messages: new Map(),
        playback: null,
        device: null,
      };
      this.guilds.set(guildId, state);
    }
    state.expiresAt = this.options.clock.now() + this.options.ttlSeconds * 1000;
    return state;
  }

  private sweep(): void {
    const now = this.options.clock.now();
    for (const [id, state] of this.guilds) if (state.expiresAt <= now) this.guilds.delete(id);
  }

  async add(guildId: string, item: StoredItem, limits: AddLimits): Promise<AddOutcome> {
    const existing = this.read(guildId);
    if (existing && existing.order.length >= limits.maxLength) return { ok: false, reason: 'QUEUE_FULL' };
    if ((existing?.perUser.get(item.requestedBy) ?? 0) >= limits.maxPerUser) {
      return { ok: false, reason: 'USER_QUEUE_LIMIT' };
    }
    const g = this.write(guildId);
    const stored = structuredClone(item);
    g.seq += 1;
    g.items.set(item.id, stored);
    g.votes.set(item.id, 0);
    insert(g.order, { id: item.id, score: g.seq });
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
    const existing = this.read(guildId);
    const before = existing ? rankOf(existing, itemId) : null;
    if (!existing || before === null) return { ok: false, reason: 'ITEM_NOT_FOUND' };
    const prev = existing.voters.get(itemId)?.get(userId) ?? 0;
    if (dir === 0 && prev === 0) return { ok: false, reason: 'NOT_VOTED' };
    if (dir !== 0 && prev === dir) {
      return { ok: false, reason: 'ALREADY_VOTED', votes: existing.votes.get(itemId) ?? 0, position: before };
    }
    const g = this.write(guildId);
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
    const g = this.read(guildId);
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
    const g = this.read(guildId);
    if (!g) return null;
    const position = rankOf(g, itemId);
    if (position !== null) {
      return queuedItem(structuredClone(g.items.get(itemId)!), g.votes.get(itemId) ?? 0, position);
    }
    return g.playing?.id === itemId ? this.playingOf(g) : null;
  }

  async remove(guildId: string, itemId: string): Promise<QueueItem | null> {
    const existing = this.read(guildId);
    const position = existing ? rankOf(existing, itemId) : null;
    if (!existing || position === null) return null;
    const g = this.write(guildId);
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
    if (!this.read(guildId)) return 0;
    const g = this.write(guildId);
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
    const existing = this.read(guildId);
    const from = existing ? rankOf(existing, itemId) : null;
    if (!existing || from === null) return null;
    const g = this.write(guildId);
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
    if (!this.read(guildId)) return 0;
    const g = this.write(guildId);
    const ids = g.order.map((e) => e.id);
    for (let i = ids.length - 1; i > 0; i--) {
      const j = randomInt(i + 1);
      [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    }
    g.order = g.order.map((e, i) => ({ id: ids[i]!, score: e.score }));
    return ids.length;
  }

  async start(guildId: string, itemId: string | null, now: string): Promise<StartOutcome> {
    const existing = this.read(guildId);
    if (existing?.playing) return { ok: false, reason: 'ALREADY_PLAYING' };
    const id = itemId ?? existing?.order[0]?.id;
    if (!existing || !id) return { ok: false, reason: 'QUEUE_EMPTY' };
    if (rankOf(existing, id) === null) return { ok: false, reason: 'ITEM_NOT_FOUND' };
    const g = this.write(guildId);
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
    if (!this.read(guildId)?.playing) return null;
    const g = this.write(guildId);
    const { id, startedAt } = g.playing!;
    const stored = g.items.get(id)!;
    const row: HistoryRow = { ...stored, status, votes: g.votes.get(id) ?? 0, startedAt, endedAt: now };
    g.history.unshift(row);
    if (g.history.length > this.options.historyLimit) g.history.length = this.options.historyLimit;
    g.items.delete(id);
    g.votes.delete(id);
    g.playing = null;
    g.counters[status] += 1;
    if (status === 'played') {
      g.counters.playedMs += Math.floor(playedMs ?? stored.track.durationMs ?? 0);
      const key = trackKey(stored.track.provider, stored.track.id);
      const plays = (g.tracks.get(key)?.plays ?? 0) + 1;
      g.tracks.set(key, {
        plays,
        title: stored.track.title,
        artist: stored.track.artist,
        provider: stored.track.provider,
      });
    }
    return historyItem(structuredClone(row));
  }

  async history(guildId: string, limit: number): Promise<QueueItem[]> {
    const g = this.read(guildId);
    if (!g) return [];
    return g.history.slice(0, Math.max(0, limit)).map((row) => historyItem(structuredClone(row))!);
  }

  async stats(guildId: string): Promise<RawStats> {
    const g = this.read(guildId);
    const c = g?.counters ?? { added: 0, played: 0, skipped: 0, removed: 0, votes: 0, playedMs: 0 };
    return {
      queued: g?.order.length ?? 0,
      playing: g?.playing ? 1 : 0,
      ...c,
      uniqueRequesters: g?.requesters.size ?? 0,
      topRequesters: top(g?.requesters ?? new Map(), (count) => count).map(([userId, count]) => ({
        userId,
        count,
      })),
      topTracks: top(g?.tracks ?? new Map(), (t) => t.plays).map(([key, t]) => ({ key, ...t })),
    };
  }

  async voteOf(guildId: string, itemId: string, userId: string): Promise<1 | -1 | 0> {
    return this.read(guildId)?.voters.get(itemId)?.get(userId) ?? 0;
  }

  async linkMessage(guildId: string, messageId: string, itemId: string): Promise<void> {
    this.write(guildId).messages.set(messageId, itemId);
  }

  async itemForMessage(guildId: string, messageId: string): Promise<string | null> {
    return this.read(guildId)?.messages.get(messageId) ?? null;
  }

  async savePlayback(guildId: string, snapshot: PlaybackSnapshot | null): Promise<void> {
    this.saveRecord(guildId, 'playback', snapshot);
  }

  async playbackSnapshots(): Promise<PlaybackSnapshot[]> {
    return this.records('playback');
  }

  async saveDevicePlayback(guildId: string, record: DevicePlayback | null): Promise<void> {
    this.saveRecord(guildId, 'device', record);
  }

  async devicePlaybacks(): Promise<DevicePlayback[]> {
    return this.records('device');
  }

  private saveRecord<K extends 'playback' | 'device'>(guildId: string, kind: K, value: GuildState[K]): void {
    if (value) this.write(guildId)[kind] = structuredClone(value);
    else {
      const g = this.read(guildId);
      if (g) g[kind] = null;
    }
  }

  private records<K extends 'playback' | 'device'>(kind: K): NonNullable<GuildState[K]>[] {
    const out: NonNullable<GuildState[K]>[] = [];
    for (const id of [...this.guilds.keys()]) {
      const record = this.read(id)?.[kind];
      if (record) out.push(structuredClone(record));
    }
    return out;
  }
}
