import type { RawStats } from '../storage/queue/store.ts';

export interface QueueStats {
  counts: { queued: number; playing: number; played: number; skipped: number; removed: number };
  added: number;
  votes: number;
  totalPlayedMs: number;
  averagePlayedMs: number | null;
  uniqueRequesters: number;
  topRequesters: RawStats['topRequesters'];
  topTracks: RawStats['topTracks'];
}

/** A store's counters as the statistics people read: counts by status, durations, top lists. */
export function toQueueStats(s: RawStats): QueueStats {
  return {
    counts: {
      queued: s.queued,
      playing: s.playing,
      played: s.played,
      skipped: s.skipped,
      removed: s.removed,
    },
    added: s.added,
    votes: s.votes,
    totalPlayedMs: s.playedMs,
    averagePlayedMs: s.played > 0 ? Math.round(s.playedMs / s.played) : null,
    uniqueRequesters: s.uniqueRequesters,
    topRequesters: s.topRequesters,
    topTracks: s.topTracks,
  };
}
