import type { RedisConnection } from '../queue/redis-client.ts';

/** 👍 and 👎 counted on one song. */
export interface RatingTally {
  up: number;
  down: number;
}

/** What a member's rating did: counted, changed from the other way, or already there. */
export type RatingChange = 'counted' | 'changed' | 'unchanged';

/**
 * Ratings of played songs: one per member per queue item (👍 = 1, 👎 = -1); a member's second rating
 * replaces their first. Kept as long as the queue keeps its history.
 */
export interface RatingStore {
  rate(guildId: string, itemId: string, userId: string, value: 1 | -1): Promise<RatingChange>;
  tally(guildId: string, itemId: string): Promise<RatingTally>;
}

function tallyOf(values: Iterable<string | number>): RatingTally {
  const tally = { up: 0, down: 0 };
  for (const v of values) {
    if (Number(v) === 1) tally.up += 1;
    else if (Number(v) === -1) tally.down += 1;
  }
  return tally;
}

export class MemoryRatingStore implements RatingStore {
  private readonly ratings = new Map<string, Map<string, 1 | -1>>();

  async rate(guildId: string, itemId: string, userId: string, value: 1 | -1): Promise<RatingChange> {
    const key = `${guildId}:${itemId}`;
    let item = this.ratings.get(key);
    if (!item) {
      item = new Map();
      this.ratings.set(key, item);
    }
    const before = item.get(userId);
    item.set(userId, value);
    return before === undefined ? 'counted' : before === value ? 'unchanged' : 'changed';
  }

  async tally(guildId: string, itemId: string): Promise<RatingTally> {
    return tallyOf(this.ratings.get(`${guildId}:${itemId}`)?.values() ?? []);
  }
}

/**
 * Ratings in Redis: one hash per item, `ns:{guildId}:rating:itemId` (user id -> 1 or -1), in the guild's
 * slot like its queue; it expires `ttlSeconds` after its last rating.
 */
export class RedisRatingStore implements RatingStore {
  private readonly redis: RedisConnection;
  private readonly namespace: string;
  private readonly ttlSeconds: number;

  constructor(redis: RedisConnection, options: { namespace: string; ttlSeconds: number }) {
    this.redis = redis;
    this.namespace = options.namespace;
    this.ttlSeconds = options.ttlSeconds;
  }

  private key(guildId: string, itemId: string): string {
    return `${this.namespace}:{${guildId}}:rating:${itemId}`;
  }

  async rate(guildId: string, itemId: string, userId: string, value: 1 | -1): Promise<RatingChange> {
    const key = this.key(guildId, itemId);
    // One round trip: the old value and the new one set together, so two presses never both count.
    const results = await this.redis
      .multi()
      .hget(key, userId)
      .hset(key, userId, String(value))
      .expire(key, this.ttlSeconds)
      .exec();
    const [err, before] = results?.[0] ?? [new Error('rating not stored')];
    if (err) throw err;
    if (before === null || before === undefined) return 'counted';
    return Number(before) === value ? 'unchanged' : 'changed';
  }

  async tally(guildId: string, itemId: string): Promise<RatingTally> {
    return tallyOf(await this.redis.hvals(this.key(guildId, itemId)));
  }
}
