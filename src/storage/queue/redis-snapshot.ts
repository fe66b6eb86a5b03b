import type { StoredItem } from '../../core/track.ts';
import type { HistoryRow } from './items.ts';
import { emptyCounters, type GuildSnapshot } from './memory-guilds.ts';
import type { RedisConnection } from './redis-client.ts';
import { pairs, safeJson } from './redis-replies.ts';
import type { KeyName, RedisScripts } from './redis-scripts.ts';
import type { DevicePlayback, PlaybackSnapshot } from './store.ts';

/**
 * Reads everything the Redis store keeps of one guild in one MULTI (so it belongs to one moment), as
 * the in-memory store's plain data: the queue store's local copy during an outage is loaded from it.
 * Scores are Redis's own, so votes made on the copy move items exactly as the scripts would.
 */
export async function readGuildSnapshot(
  redis: RedisConnection,
  scripts: RedisScripts,
  namespace: string,
  guildId: string,
): Promise<GuildSnapshot> {
  const key = (name: KeyName) => scripts.key(guildId, name);
  const replies = await redis
    .multi()
    .get(key('seq'))
    .zrange(key('queue'), 0, -1, 'WITHSCORES')
    .hgetall(key('items'))
    .hgetall(key('votes'))
    .hgetall(key('voters'))
    .hgetall(key('playing'))
    .lrange(key('history'), 0, -1)
    .hgetall(key('stats'))
    .zrange(key('requesters'), 0, -1, 'WITHSCORES')
    .zrange(key('tracks'), 0, -1, 'WITHSCORES')
    .hgetall(key('tracknames'))
    .hgetall(key('peruser'))
    .hgetall(key('msgs'))
    .get(`${namespace}:{${guildId}}:playback`)
    .get(`${namespace}:{${guildId}}:device`)
    .exec();
  if (!replies) throw new Error('snapshot transaction was aborted');
  const value = <T>(i: number): T => {
    const [err, result] = replies[i]!;
    if (err) throw err;
    return result as T;
  };
  const items = new Map<string, StoredItem>();
  for (const [id, json] of Object.entries(value<Record<string, string>>(2))) {
    const stored = safeJson(json) as StoredItem | null;
    if (stored) items.set(id, stored);
  }
  const order = pairs(value<string[]>(1))
    .filter(([id]) => items.has(id))
    .map(([id, score]) => ({ id, score }));
  const voters = new Map<string, Map<string, 1 | -1>>();
  for (const [field, dir] of Object.entries(value<Record<string, string>>(4))) {
    const at = field.indexOf(':');
    const itemId = field.slice(0, at);
    const byUser = voters.get(itemId) ?? new Map<string, 1 | -1>();
    byUser.set(field.slice(at + 1), dir === '-1' ? -1 : 1);
    voters.set(itemId, byUser);
  }
  const playing = value<Record<string, string>>(5);
  const counters = emptyCounters();
  for (const [name, n] of Object.entries(value<Record<string, string>>(7))) {
    if (name in counters) counters[name as keyof typeof counters] = Number(n);
  }
  const names = value<Record<string, string>>(10);
  const tracks = new Map(
    pairs(value<string[]>(9)).map(([trackKey, plays]) => {
      const label = safeJson(names[trackKey]) as {
        title?: string;
        artist?: string | null;
        provider?: string;
      } | null;
      return [
        trackKey,
        {
          plays,
          title: label?.title ?? trackKey,
          artist: label?.artist ?? null,
          provider: label?.provider ?? trackKey.split(':')[0]!,
        },
      ] as const;
    }),
  );
  return {
    seq: Number(value<string | null>(0) ?? 0),
    order,
    items,
    votes: numbers(value<Record<string, string>>(3)),
    voters,
    playing: playing.id ? { id: playing.id, startedAt: playing.startedAt ?? '' } : null,
    history: value<string[]>(6)
      .map((row) => safeJson(row) as HistoryRow | null)
      .filter((row): row is HistoryRow => row !== null && typeof row.id === 'string'),
    counters,
    requesters: new Map(pairs(value<string[]>(8))),
    tracks,
    perUser: numbers(value<Record<string, string>>(11)),
    messages: new Map(Object.entries(value<Record<string, string>>(12))),
    playback: safeJson(value<string | null>(13) ?? undefined) as PlaybackSnapshot | null,
    device: safeJson(value<string | null>(14) ?? undefined) as DevicePlayback | null,
  };
}

function numbers(hash: Record<string, string>): Map<string, number> {
  return new Map(Object.entries(hash).map(([k, v]) => [k, Number(v)]));
}
