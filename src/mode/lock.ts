import { randomUUID } from 'node:crypto';
import { UserError } from '../core/errors.ts';
import { KeyedMutex } from '../core/keyed-mutex.ts';
import type { RedisConnection } from '../storage/queue/redis-client.ts';

/** A lock shared by every instance (Redis) or only this process. */
export interface GuildLock {
  /** Runs `fn` holding the lock for `key`. @throws UserError CONFLICT when it stays taken */
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

/** In-process: callers for one key run one after another (a `KeyedMutex`). */
export class LocalLock implements GuildLock {
  private readonly mutex = new KeyedMutex();

  withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.mutex.run(key, fn);
  }
}

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * A short Redis lock (SET NX PX, released only by its holder) around the local one, so that two
 * instances cannot switch the same guild at once. If Redis is unreachable the local lock alone holds.
 */
export class RedisLock implements GuildLock {
  private readonly local = new KeyedMutex();
  private readonly redis: RedisConnection;
  private readonly prefix: string;
  private readonly ttlMs: number;
  private readonly waitMs: number;

  constructor(redis: RedisConnection, prefix: string, ttlMs = 5_000, waitMs = 5_000) {
    this.redis = redis;
    this.prefix = prefix;
    this.ttlMs = ttlMs;
    this.waitMs = waitMs;
  }

  withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.local.run(key, async () => {
      const redisKey = `${this.prefix}:${key}`;
      const token = randomUUID();
      const deadline = Date.now() + this.waitMs;
      let held = false;
      let reachable = true;
      while (!held && reachable) {
        try {
          held = (await this.redis.set(redisKey, token, 'PX', this.ttlMs, 'NX')) === 'OK';
        } catch {
          reachable = false;
        }
        if (!held && reachable) {
          if (Date.now() > deadline)
            throw new UserError('CONFLICT', 'Another change is in progress; try again.');
          await new Promise((r) => setTimeout(r, 25));
        }
      }
      try {
        return await fn();
      } finally {
        if (held) await this.redis.eval(RELEASE, 1, redisKey, token).catch(() => {});
      }
    });
  }
}
