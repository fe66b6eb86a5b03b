import * as lua from './lua.ts';
import type { RedisConnection } from './redis-client.ts';

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

export type ScriptName = keyof typeof SCRIPTS;
export type Reply = string | number | null | Reply[];

/** A guild's keys, in the order the scripts receive them as KEYS (lua.ts's PRELUDE names them). */
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

export type KeyName = (typeof KEY_NAMES)[number];

/**
 * The queue's Lua scripts on one Redis connection, and the keys they run on. Each script gets all of
 * a guild's keys (they share the `{guildId}` hash tag, so one script is atomic on Redis Cluster too).
 */
export class RedisScripts {
  private readonly redis: RedisConnection;
  private readonly namespace: string;

  constructor(redis: RedisConnection, namespace: string) {
    this.redis = redis;
    this.namespace = namespace;
    for (const [name, source] of Object.entries(SCRIPTS)) {
      // ioredis runs EVALSHA and falls back to EVAL on NOSCRIPT, so a Redis that restarted empty works.
      if (!(name in redis)) redis.defineCommand(name, { numberOfKeys: KEY_NAMES.length, lua: source });
    }
  }

  /** The guild's keys, in the order the scripts expect. */
  guildKeys(guildId: string): string[] {
    return KEY_NAMES.map((name) => this.key(guildId, name));
  }

  /** One of the guild's keys, `ns:{guildId}:name`. */
  key(guildId: string, name: KeyName): string {
    return `${this.namespace}:{${guildId}}:${name}`;
  }

  /** Runs a script on the guild's keys with these ARGV. */
  run(name: ScriptName, guildId: string, ...args: (string | number)[]): Promise<Reply> {
    const fn = (this.redis as unknown as Record<string, (...a: (string | number)[]) => Promise<Reply>>)[
      name
    ]!;
    return fn.call(this.redis, ...this.guildKeys(guildId), ...args);
  }
}
