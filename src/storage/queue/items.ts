import type { QueueItem, StoredItem } from '../../core/track.ts';

/** Builders shared by the queue stores, so that both give items of exactly one shape. */

export function queuedItem(stored: StoredItem, votes: number, position: number): QueueItem {
  return { ...base(stored), votes, status: 'queued', position, startedAt: null, endedAt: null };
}

export function playingItem(stored: StoredItem | null, votes: number, startedAt: string): QueueItem {
  if (!stored) throw new Error('playing item has no stored data');
  return { ...base(stored), votes, status: 'playing', position: null, startedAt, endedAt: null };
}

export interface HistoryRow extends StoredItem {
  status: 'played' | 'skipped';
  votes: number;
  startedAt: string;
  endedAt: string;
}

/** A finished item as kept in history; null for a row that is not one. */
export function historyItem(row: unknown): QueueItem | null {
  if (!row || typeof row !== 'object') return null;
  const r = row as HistoryRow;
  if (typeof r.id !== 'string' || !r.track) return null;
  return {
    ...base(r),
    votes: r.votes,
    status: r.status,
    position: null,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
  };
}

/** Only the stored fields, in a fixed order, whatever else a row carries. */
export function base(stored: StoredItem): StoredItem {
  return {
    id: stored.id,
    guildId: stored.guildId,
    track: stored.track,
    requestedBy: stored.requestedBy,
    requestedAt: stored.requestedAt,
    ...(stored.requester && { requester: { source: stored.requester.source, name: stored.requester.name } }),
  };
}
