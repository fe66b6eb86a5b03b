import { randomInt } from 'node:crypto';
import type { QueueItem, StoredItem } from '../../core/track.ts';
import { historyItem, playingItem, queuedItem as queued } from './items.ts';
import type { GuildSnapshot } from './memory-guilds.ts';
import type { RedisConnection } from './redis-client.ts';
import { RedisRecords } from './redis-records.ts';
import { parseStored as parse, safeJson } from './redis-replies.ts';
import { RedisScripts, type ReplicationOptions, type Reply, type ScriptName } from './redis-scripts.ts';
import { readGuildSnapshot } from './redis-snapshot.ts';
import { RedisStats } from './redis-stats.ts';
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

export interface RedisQueueStoreOptions {
  /** Key prefix, the seed's `music_queue` by default. */
  namespace: string;
  /** Every key of a guild expires this many seconds after the guild's last change. */
  ttlSeconds: number;
  historyLimit: number;
  /**
   * Replicas each change must reach before it is acknowledged (Redis WAIT; REDIS_WAIT_REPLICAS), and
   * how long to wait for them. Default: no wait (Redis's own asynchronous replication).
   */
  replication?: ReplicationOptions;
}

/**
 * Queue store on Redis. Layout (all keys of one guild share the `{guildId}` hash tag):
 * `ns:{g}:queue` sorted set of queued ids, `:items` hash id -> item JSON, `:votes` hash id -> net votes,
 * `:voters` hash "id:user" -> 1|-1, `:playing` hash {id, startedAt}, `:history` list (newest first),
 * `:seq` add counter, `:stats` counters, `:requesters` and `:tracks` sorted sets, `:tracknames`,
 * `:peruser` hash user -> queued count, `:msgs` hash Discord message id -> item id.
 * This class keeps the queue itself through the scripts (`RedisScripts`); `RedisRecords` keeps the
 * message links and playback records, `RedisStats` reads history and statistics.
 */
export class RedisQueueStore implements QueueStore {
  private readonly redis: RedisConnection;
  private readonly options: RedisQueueStoreOptions;
  private readonly scripts: RedisScripts;
  private readonly records: RedisRecords;
  private readonly reads: RedisStats;

  constructor(redis: RedisConnection, options: RedisQueueStoreOptions) {
    this.redis = redis;
    this.options = options;
    this.scripts = new RedisScripts(redis, options.namespace, options.replication);
    this.records = new RedisRecords(redis, this.scripts, options);
    this.reads = new RedisStats(redis, this.scripts);
  }

  /** The guild's keys, in the order the scripts expect. */
  guildKeys(guildId: string): string[] {
    return this.scripts.guildKeys(guildId);
  }

  /** Everything kept of the guild, read at one moment, as plain data (redis-snapshot.ts). */
  snapshot(guildId: string): Promise<GuildSnapshot> {
    return readGuildSnapshot(this.redis, this.scripts, this.options.namespace, guildId);
  }

  private run(name: ScriptName, guildId: string, ...args: (string | number)[]): Promise<Reply> {
    return this.scripts.run(name, guildId, ...args);
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
      limits.order === 'fair' ? 'fair' : 'votes',
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

  history(guildId: string, limit: number): Promise<QueueItem[]> {
    return this.reads.history(guildId, limit);
  }

  stats(guildId: string): Promise<RawStats> {
    return this.reads.stats(guildId);
  }

  async voteOf(guildId: string, itemId: string, userId: string): Promise<1 | -1 | 0> {
    const value = await this.redis.hget(this.scripts.key(guildId, 'voters'), `${itemId}:${userId}`);
    return value === '1' ? 1 : value === '-1' ? -1 : 0;
  }

  linkMessage(guildId: string, messageId: string, itemId: string): Promise<void> {
    return this.records.linkMessage(guildId, messageId, itemId);
  }

  itemForMessage(guildId: string, messageId: string): Promise<string | null> {
    return this.records.itemForMessage(guildId, messageId);
  }

  savePlayback(guildId: string, snapshot: PlaybackSnapshot | null): Promise<void> {
    return this.records.savePlayback(guildId, snapshot);
  }

  playbackSnapshots(): Promise<PlaybackSnapshot[]> {
    return this.records.playbackSnapshots();
  }

  saveDevicePlayback(guildId: string, record: DevicePlayback | null): Promise<void> {
    return this.records.saveDevicePlayback(guildId, record);
  }

  devicePlaybacks(): Promise<DevicePlayback[]> {
    return this.records.devicePlaybacks();
  }
}
