import { randomInt } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { QueueItem, StoredItem } from '../../core/track.ts';
import { historyItem, playingItem, queuedItem as queued } from './items.ts';
import * as lua from './lua.ts';
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
import { TOP_N } from './store.ts';

const SCRIPTS = {
  umAdd: lua.ADD,
  umVote: lua.VOTE,
  umList: lua.LIST,
  umGet: lua.GET,
  umRemove: lua.REMOVE,
  umClear: lua.CLEAR,
  umMove: lua.MOVE,
  umShuffle: lua.SHUFFLE,
  umStart: lua.START,
  umFinish: lua.FINISH,
  umLink: lua.LINK_MESSAGE,
} as const;

type ScriptName = keyof typeof SCRIPTS;
type Reply = string | number | null | Reply[];

const KEY_NAMES = [
  'queue',
  'items',
  'votes',
  'voters',
  'playing',
  'history',
  'seq',
  'stats',
  'requesters',
  'tracks',
  'tracknames',
  'peruser',
  'msgs',
] as const;

export interface RedisQueueStoreOptions {
  /** Key prefix, the seed's `music_queue` by default. */
  namespace: string;
  /** Every key of a guild expires this many seconds after the guild's last change. */
  ttlSeconds: number;
  historyLimit: number;
}

/**
 * Queue store on Redis. Layout (all keys of one guild share the `{guildId}` hash tag):
 * `ns:{g}:queue` sorted set of queued ids, `:items` hash id -> item JSON, `:votes` hash id -> net votes,
 * `:voters` hash "id:user" -> 1|-1, `:playing` hash {id, startedAt}, `:history` list (newest first),
 * `:seq` add counter, `:stats` counters, `:requesters` and `:tracks` sorted sets, `:tracknames`,
 * `:peruser` hash user -> queued count, `:msgs` hash Discord message id -> item id.
 */
export class RedisQueueStore implements QueueStore {
  private readonly redis: Redis;
  private readonly options: RedisQueueStoreOptions;

  constructor(redis: Redis, options: RedisQueueStoreOptions) {
    this.redis = redis;
    this.options = options;
    for (const [name, source] of Object.entries(SCRIPTS)) {
      // ioredis runs EVALSHA and falls back to EVAL on NOSCRIPT, so a Redis that restarted empty works.
      if (!(name in redis)) redis.defineCommand(name, { numberOfKeys: KEY_NAMES.length, lua: source });
    }
  }

  /** The guild's keys, in the order the scripts expect. */
  guildKeys(guildId: string): string[] {
    return KEY_NAMES.map((name) => `${this.options.namespace}:{${guildId}}:${name}`);
  }

  private run(name: ScriptName, guildId: string, ...args: (string | number)[]): Promise<Reply> {
    const fn = (this.redis as unknown as Record<string, (...a: (string | number)[]) => Promise<Reply>>)[
      name
    ]!;
    return fn.call(this.redis, ...this.guildKeys(guildId), ...args);
  }

  private get ttl(): number {
    return this.options.ttlSeconds;
  }

  async add(guildId: string, item: StoredItem, limits: AddLimits): Promise<AddOutcome> {
    const reply = (await this.run(
      'umAdd',
      guildId,
      this.ttl,
      item.id,
      JSON.stringify(item),
      item.requestedBy,
      limits.maxLength,
      limits.maxPerUser,
    )) as [string, number?];
    if (reply[0] !== 'OK') return { ok: false, reason: reply[0] as 'QUEUE_FULL' | 'USER_QUEUE_LIMIT' };
    const position = Number(reply[1]);
    return { ok: true, position, item: queued(item, 0, position) };
  }

  vote(guildId: string, itemId: string, userId: string, direction: 1 | -1): Promise<VoteOutcome> {
    return this.voteScript(guildId, itemId, userId, direction);
  }

  unvote(guildId: string, itemId: string, userId: string): Promise<VoteOutcome> {
    return this.voteScript(guildId, itemId, userId, 0);
  }

  private async voteScript(
    guildId: string,
    itemId: string,
    userId: string,
    dir: number,
  ): Promise<VoteOutcome> {
    const reply = (await this.run('umVote', guildId, this.ttl, itemId, userId, dir)) as [string, ...string[]];
    switch (reply[0]) {
      case 'OK': {
        const votes = Number(reply[1]);
        const position = Number(reply[3]);
        const stored = parse(reply[4]!);
        if (!stored) return { ok: false, reason: 'ITEM_NOT_FOUND' };
        return {
          ok: true,
          votes,
          previousPosition: Number(reply[2]),
          position,
          item: queued(stored, votes, position),
        };
      }
      case 'ALREADY_VOTED':
        return { ok: false, reason: 'ALREADY_VOTED', votes: Number(reply[1]), position: Number(reply[2]) };
      default:
        return { ok: false, reason: reply[0] as 'ITEM_NOT_FOUND' | 'NOT_VOTED' };
    }
  }

  async list(guildId: string, offset: number, limit: number): Promise<QueueListing> {
    const reply = (await this.run('umList', guildId, offset, limit)) as string[];
    const total = Number(reply[0]);
    const playing = reply[1] ? playingItem(parse(reply[2]!), Number(reply[3]), reply[4]!) : null;
    const items: QueueItem[] = [];
    for (let i = 5; i + 2 < reply.length; i += 3) {
      const stored = parse(reply[i + 1]!);
      if (stored) items.push(queued(stored, Number(reply[i + 2]), offset + items.length + 1));
    }
    return { items, total, playing };
  }

  async get(guildId: string, itemId: string): Promise<QueueItem | null> {
    const reply = (await this.run('umGet', guildId, itemId)) as string[];
    if (reply.length === 0) return null;
    const stored = parse(reply[1]!);
    if (!stored) return null;
    return reply[0] === 'queued'
      ? queued(stored, Number(reply[2]), Number(reply[3]))
      : playingItem(stored, Number(reply[2]), reply[3]!);
  }

  async remove(guildId: string, itemId: string): Promise<QueueItem | null> {
    const reply = (await this.run('umRemove', guildId, this.ttl, itemId)) as string[];
    if (reply.length === 0) return null;
    const stored = parse(reply[0]!);
    return stored ? queued(stored, Number(reply[1]), Number(reply[2])) : null;
  }

  async clear(guildId: string): Promise<number> {
    return Number(await this.run('umClear', guildId, this.ttl));
  }

  async move(
    guildId: string,
    itemId: string,
    position: number,
  ): Promise<{ from: number; to: number } | null> {
    const reply = (await this.run('umMove', guildId, this.ttl, itemId, position)) as number[];
    return reply.length === 0 ? null : { from: Number(reply[0]), to: Number(reply[1]) };
  }

  async shuffle(guildId: string): Promise<number> {
    return Number(await this.run('umShuffle', guildId, this.ttl, randomInt(1, 2 ** 31)));
  }

  async start(guildId: string, itemId: string | null, now: string): Promise<StartOutcome> {
    const reply = (await this.run('umStart', guildId, this.ttl, itemId ?? '', now)) as string[];
    if (reply[0] !== 'OK')
      return { ok: false, reason: reply[0] as 'QUEUE_EMPTY' | 'ITEM_NOT_FOUND' | 'ALREADY_PLAYING' };
    const stored = parse(reply[2]!);
    if (!stored) return { ok: false, reason: 'ITEM_NOT_FOUND' };
    return { ok: true, item: playingItem(stored, Number(reply[3]), now) };
  }

  async finish(
    guildId: string,
    status: 'played' | 'skipped',
    now: string,
    playedMs: number | null,
  ): Promise<QueueItem | null> {
    const reply = (await this.run(
      'umFinish',
      guildId,
      this.ttl,
      status,
      now,
      playedMs === null ? '' : Math.round(playedMs),
      this.options.historyLimit,
    )) as string | null;
    return reply ? historyItem(safeJson(reply)) : null;
  }

  async history(guildId: string, limit: number): Promise<QueueItem[]> {
    const [key] = this.guildKeys(guildId).slice(5, 6);
    const rows = await this.redis.lrange(key!, 0, Math.max(0, limit - 1));
    return rows.map((row) => historyItem(safeJson(row))).filter((item): item is QueueItem => item !== null);
  }

  async stats(guildId: string): Promise<RawStats> {
    const k = this.guildKeys(guildId);
    const replies = await this.redis
      .multi()
      .zcard(k[0]!)
      .hexists(k[4]!, 'id')
      .hgetall(k[7]!)
      .zcard(k[8]!)
      .zrevrange(k[8]!, 0, TOP_N - 1, 'WITHSCORES')
      .zrevrange(k[9]!, 0, TOP_N - 1, 'WITHSCORES')
      .hgetall(k[10]!)
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

  async voteOf(guildId: string, itemId: string, userId: string): Promise<1 | -1 | 0> {
    const value = await this.redis.hget(this.guildKeys(guildId)[3]!, `${itemId}:${userId}`);
    return value === '1' ? 1 : value === '-1' ? -1 : 0;
  }

  async linkMessage(guildId: string, messageId: string, itemId: string): Promise<void> {
    await this.run('umLink', guildId, this.ttl, messageId, itemId);
  }

  async itemForMessage(guildId: string, messageId: string): Promise<string | null> {
    return this.redis.hget(this.guildKeys(guildId)[12]!, messageId);
  }

  /**
   * The snapshot sits in the guild's slot (`ns:{g}:playback`, expiring with the queue); a set
   * `ns:playback` indexes the guilds that have one. Two commands, not one script: the index is a
   * different slot on Redis Cluster, and a stale index entry is harmless (its snapshot is gone).
   */
  savePlayback(guildId: string, snapshot: PlaybackSnapshot | null): Promise<void> {
    return this.saveRecord('playback', guildId, snapshot);
  }

  playbackSnapshots(): Promise<PlaybackSnapshot[]> {
    return this.records<PlaybackSnapshot>('playback');
  }

  /** As the snapshot, under `ns:{g}:device`, indexed by the set `ns:device`. */
  saveDevicePlayback(guildId: string, record: DevicePlayback | null): Promise<void> {
    return this.saveRecord('device', guildId, record);
  }

  devicePlaybacks(): Promise<DevicePlayback[]> {
    return this.records<DevicePlayback>('device');
  }

  private async saveRecord(kind: string, guildId: string, value: object | null): Promise<void> {
    const key = `${this.options.namespace}:{${guildId}}:${kind}`;
    const index = `${this.options.namespace}:${kind}`;
    if (value) {
      await this.redis.set(key, JSON.stringify(value), 'EX', this.ttl);
      await this.redis.sadd(index, guildId);
    } else {
      await this.redis.del(key);
      await this.redis.srem(index, guildId);
    }
  }

  private async records<T>(kind: string): Promise<T[]> {
    const index = `${this.options.namespace}:${kind}`;
    const out: T[] = [];
    for (const guildId of await this.redis.smembers(index)) {
      const json = await this.redis.get(`${this.options.namespace}:{${guildId}}:${kind}`);
      const record = safeJson(json ?? undefined) as T | null;
      if (record) out.push(record);
      else await this.redis.srem(index, guildId);
    }
    return out;
  }
}

function parse(json: string): StoredItem | null {
  return safeJson(json) as StoredItem | null;
}

function safeJson(json: string | undefined): unknown {
  if (!json) return null;
  try {
    return JSON.parse(json);
  } catch {
    return null;
  }
}

function pairs(flat: string[]): [string, number][] {
  const out: [string, number][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i]!, Number(flat[i + 1])]);
  return out;
}
