import type { QueueStore } from './store.ts';

export interface PendingVote {
  guildId: string;
  itemId: string;
  userId: string;
  /** The member's vote as it now stands: up, down, or 0 for withdrawn. */
  direction: 1 | -1 | 0;
}

/**
 * Votes acknowledged during a Redis outage, to be sent to Redis once it is back. One entry per
 * (guild, item, member) holding the member's latest choice, and each is replayed as "the member's
 * vote is now d", which Redis's vote script applies at most once (the same vote again is a no-op):
 * replaying an entry twice, or one whose earlier attempt did land, still counts it exactly once.
 */
export class VoteJournal {
  private readonly entries = new Map<string, PendingVote>();

  get size(): number {
    return this.entries.size;
  }

  record(vote: PendingVote): void {
    this.entries.set(`${vote.guildId}|${vote.itemId}|${vote.userId}`, vote);
  }

  /**
   * Sends every entry to `redis`, in the order recorded, and forgets each once Redis answered (any
   * answer is final: counted, already so, or the item left the queue meanwhile).
   * @returns the guilds whose votes were replayed, and how many votes were counted.
   * @throws the first failure; the entries not yet answered stay for the next attempt.
   */
  async replay(
    redis: Pick<QueueStore, 'vote' | 'unvote'>,
  ): Promise<{ guilds: Set<string>; counted: number; dropped: number }> {
    const guilds = new Set<string>();
    let counted = 0;
    let dropped = 0;
    for (const [key, v] of this.entries) {
      const outcome =
        v.direction === 0
          ? await redis.unvote(v.guildId, v.itemId, v.userId)
          : await redis.vote(v.guildId, v.itemId, v.userId, v.direction);
      this.entries.delete(key);
      guilds.add(v.guildId);
      if (outcome.ok) counted += 1;
      else if (outcome.reason === 'ITEM_NOT_FOUND') dropped += 1;
    }
    return { guilds, counted, dropped };
  }
}
