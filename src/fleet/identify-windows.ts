import type { RedisConnection } from '../storage/queue/redis-client.ts';

/**
 * Discord's identify windows, shared by every process of a fleet through Redis. Discord lets one
 * IDENTIFY per rate-limit key (`shard_id % max_concurrency`) start every 5 s for the whole bot, not
 * per process; discord.js paces only the shards inside its own process, so processes started
 * together (one shard range each, on one machine or many) would identify too soon. A window is one
 * key, `SET NX PX`: the process that sets it identifies, the others wait for it to expire. A single
 * key per window, so it works on a Redis Cluster as on one server.
 */
export class RedisIdentifyWindows {
  private readonly prefix: string;
  private readonly redis: RedisConnection;

  constructor(redis: RedisConnection, namespace: string) {
    this.redis = redis;
    this.prefix = `${namespace}:discord:identify`;
  }

  /** Takes the window of a rate-limit key: 0 when this process may identify now, else ms to wait. */
  async take(rateLimitKey: number, windowMs: number): Promise<number> {
    const key = `${this.prefix}:${rateLimitKey}`;
    const taken = await this.redis.set(key, String(process.pid), 'PX', windowMs, 'NX');
    if (taken === 'OK') return 0;
    const left = await this.redis.pttl(key);
    // -2: expired between the two commands; -1 cannot happen (always set with PX). Try again soon.
    return left > 0 ? left : 10;
  }
}
