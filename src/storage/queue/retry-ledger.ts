import type { StoredItem } from '../../core/track.ts';

/** How long a change with an unknown fate is remembered for its retry. */
const KEEP_MS = 10 * 60_000;
/** At most this many are remembered (the oldest are forgotten first). */
const MAX_ENTRIES = 10_000;

/**
 * Changes that were sent to Redis but got no answer (answered 503 "try again"): Redis may have made
 * them. When the same member retries the same change, the store checks what became of the first
 * attempt instead of reporting it as a conflict with itself: a vote whose first attempt landed is
 * answered as counted (not ALREADY_VOTED), a song whose first add landed is not queued twice.
 */
export class RetryLedger {
  private readonly votes = new Map<string, { direction: 1 | -1 | 0; at: number }>();
  private readonly adds = new Map<string, { itemId: string; at: number }>();

  /** A vote (direction 0: a withdrawal) got no answer. */
  voteUnknown(guildId: string, itemId: string, userId: string, direction: 1 | -1 | 0): void {
    remember(this.votes, `${guildId}|${itemId}|${userId}`, { direction, at: Date.now() });
  }

  /** Whether this vote repeats one that got no answer (forgotten on the way: it is answered now). */
  takeVote(guildId: string, itemId: string, userId: string, direction: 1 | -1 | 0): boolean {
    const key = `${guildId}|${itemId}|${userId}`;
    const entry = this.votes.get(key);
    this.votes.delete(key);
    return entry !== undefined && entry.direction === direction && Date.now() - entry.at < KEEP_MS;
  }

  /** An add got no answer. */
  addUnknown(guildId: string, item: StoredItem): void {
    remember(this.adds, addKey(guildId, item), { itemId: item.id, at: Date.now() });
  }

  /** The id of an earlier add of the same song by the same member that got no answer, if any. */
  takeAdd(guildId: string, item: StoredItem): string | null {
    const key = addKey(guildId, item);
    const entry = this.adds.get(key);
    this.adds.delete(key);
    return entry && Date.now() - entry.at < KEEP_MS ? entry.itemId : null;
  }
}

function addKey(guildId: string, item: StoredItem): string {
  return `${guildId}|${item.requestedBy}|${item.track.provider}:${item.track.id}`;
}

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_ENTRIES) map.delete(map.keys().next().value!);
}
