import type { QueueItem } from '../../core/track.ts';
import { type HistoryRow, historyItem } from './items.ts';
import { emptyCounters, type GuildState } from './memory-guilds.ts';
import { top } from './memory-order.ts';
import { type RawStats, trackKey } from './store.ts';

/** History and statistics of the in-memory store, kept as the Redis store's FINISH script keeps them. */

/**
 * Ends the guild's playing item (the caller checked there is one): a history row (newest first,
 * at most `historyLimit`), the counters, and for a played track its play count and label.
 */
export function recordFinish(
  g: GuildState,
  status: 'played' | 'skipped',
  now: string,
  playedMs: number | null,
  historyLimit: number,
): HistoryRow {
  const { id, startedAt } = g.playing!;
  const stored = g.items.get(id)!;
  const row: HistoryRow = { ...stored, status, votes: g.votes.get(id) ?? 0, startedAt, endedAt: now };
  g.history.unshift(row);
  if (g.history.length > historyLimit) g.history.length = historyLimit;
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
  return row;
}

/** Finished items, newest first (copies: a caller cannot change the store's rows). */
export function historyOf(g: GuildState | undefined, limit: number): QueueItem[] {
  if (!g) return [];
  return g.history.slice(0, Math.max(0, limit)).map((row) => historyItem(structuredClone(row))!);
}

/** The guild's statistics; a guild without state has all zeros. */
export function statsOf(g: GuildState | undefined): RawStats {
  return {
    queued: g?.order.length ?? 0,
    playing: g?.playing ? 1 : 0,
    ...(g?.counters ?? emptyCounters()),
    uniqueRequesters: g?.requesters.size ?? 0,
    topRequesters: top(g?.requesters ?? new Map(), (count) => count).map(([userId, count]) => ({
      userId,
      count,
    })),
    topTracks: top(g?.tracks ?? new Map(), (t) => t.plays).map(([key, t]) => ({ key, ...t })),
  };
}
