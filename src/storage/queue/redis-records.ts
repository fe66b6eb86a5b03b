import type { RedisConnection } from './redis-client.ts';
import { safeJson } from './redis-replies.ts';
import type { RedisScripts } from './redis-scripts.ts';
import type { DevicePlayback, PlaybackSnapshot, QueueStore } from './store.ts';

export interface RedisRecordsOptions {
  namespace: string;
  /** Records expire with the guild's queue keys. */
  ttlSeconds: number;
}

/**
 * The Redis store's records beside the queue: message links (`ns:{g}:msgs`, written by a script so
 * that the link expires with the queue) and where playback is (`ns:{g}:playback`, `ns:{g}:device`).
 */
export class RedisRecords
  implements
    Pick<
      QueueStore,
      | 'linkMessage'
      | 'itemForMessage'
      | 'savePlayback'
      | 'playbackSnapshots'
      | 'saveDevicePlayback'
      | 'devicePlaybacks'
    >
{
  private readonly redis: RedisConnection;
  private readonly scripts: RedisScripts;
  private readonly options: RedisRecordsOptions;

  constructor(redis: RedisConnection, scripts: RedisScripts, options: RedisRecordsOptions) {
    this.redis = redis;
    this.scripts = scripts;
    this.options = options;
  }

  async linkMessage(guildId: string, messageId: string, itemId: string): Promise<void> {
    await this.scripts.run('umLink', guildId, this.options.ttlSeconds, messageId, itemId);
  }

  async itemForMessage(guildId: string, messageId: string): Promise<string | null> {
    return this.redis.hget(this.scripts.key(guildId, 'msgs'), messageId);
  }

  /**
   * The snapshot sits in the guild's slot (`ns:{g}:playback`, expiring with the queue); a set
   * `ns:playback` indexes the guilds that have one. Two commands, not one script: the index is a
   * different slot on Redis Cluster, and a stale index entry is harmless (its snapshot is gone).
   */
  savePlayback(guildId: string, snapshot: PlaybackSnapshot | null): Promise<void> {
    return this.save('playback', guildId, snapshot);
  }

  playbackSnapshots(): Promise<PlaybackSnapshot[]> {
    return this.all<PlaybackSnapshot>('playback');
  }

  /** As the snapshot, under `ns:{g}:device`, indexed by the set `ns:device`. */
  saveDevicePlayback(guildId: string, record: DevicePlayback | null): Promise<void> {
    return this.save('device', guildId, record);
  }

  devicePlaybacks(): Promise<DevicePlayback[]> {
    return this.all<DevicePlayback>('device');
  }

  private async save(kind: string, guildId: string, value: object | null): Promise<void> {
    const key = `${this.options.namespace}:{${guildId}}:${kind}`;
    const index = `${this.options.namespace}:${kind}`;
    if (value) {
      await this.redis.set(key, JSON.stringify(value), 'EX', this.options.ttlSeconds);
      await this.redis.sadd(index, guildId);
    } else {
      await this.redis.del(key);
      await this.redis.srem(index, guildId);
    }
  }

  /** Every indexed record; an index entry whose record expired is dropped on the way. */
  private async all<T>(kind: string): Promise<T[]> {
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
