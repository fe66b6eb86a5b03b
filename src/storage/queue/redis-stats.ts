import type { QueueItem } from '../../core/track.ts';
import { historyItem } from './items.ts';
import type { RedisConnection } from './redis-client.ts';
import { pairs, safeJson } from './redis-replies.ts';
import type { KeyName, RedisScripts } from './redis-scripts.ts';
import { type RawStats, TOP_N } from './store.ts';

/**
 * History and statistics of the Redis store: plain reads of what the FINISH script (and the other
 * scripts' counters) wrote, so no script of their own.
 */
export class RedisStats {
  private readonly redis: RedisConnection;
  private readonly scripts: RedisScripts;

  constructor(redis: RedisConnection, scripts: RedisScripts) {
    this.redis = redis;
    this.scripts = scripts;
  }

  /** Finished items, newest first; a row that does not decode is left out. */
  async history(guildId: string, limit: number): Promise<QueueItem[]> {
    const rows = await this.redis.lrange(this.scripts.key(guildId, 'history'), 0, Math.max(0, limit - 1));
    return rows.map((row) => historyItem(safeJson(row))).filter((item): item is QueueItem => item !== null);
  }

  /** One MULTI, so that the numbers belong to one moment. */
  async stats(guildId: string): Promise<RawStats> {
    const key = (name: KeyName) => this.scripts.key(guildId, name);
    const replies = await this.redis
      .multi()
      .zcard(key('queue'))
      .hexists(key('playing'), 'id')
      .hgetall(key('stats'))
      .zcard(key('requesters'))
      .zrevrange(key('requesters'), 0, TOP_N - 1, 'WITHSCORES')
      .zrevrange(key('tracks'), 0, TOP_N - 1, 'WITHSCORES')
      .hgetall(key('tracknames'))
      .exec();
    if (!replies) throw new Error('stats transaction was aborted');
    const value = (i: number) => {
      const [err, result] = replies[i]!;
      if (err) throw err;
      return result;
    };
    const counters = value(2) as Record<string, string>;
    const names = value(6) as Record<string, string>;
    const n = (name: string) => Number(counters[name] ?? 0);
    return {
      queued: Number(value(0)),
      playing: Number(value(1)),
      added: n('added'),
      played: n('played'),
      skipped: n('skipped'),
      removed: n('removed'),
      votes: n('votes'),
      playedMs: n('playedMs'),
      uniqueRequesters: Number(value(3)),
      topRequesters: pairs(value(4) as string[]).map(([userId, count]) => ({ userId, count })),
      topTracks: pairs(value(5) as string[]).map(([key, plays]) => {
        const label = safeJson(names[key]) as {
          title?: string;
          artist?: string | null;
          provider?: string;
        } | null;
        return {
          key,
          plays,
          title: label?.title ?? key,
          artist: label?.artist ?? null,
          provider: label?.provider ?? key.split(':')[0]!,
        };
      }),
    };
  }
}
