import { Cluster } from 'ioredis';
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

/** The scripts that change a guild: with `waitReplicas`, each is acknowledged only once replicated. */
const READS: ReadonlySet<ScriptName> = new Set(['umList', 'umGet']);

/** A change Redis made on the master but could not confirm on enough replicas in time. */
export class NotReplicatedError extends Error {
  override readonly name = 'NotReplicatedError';
}

export interface ReplicationOptions {
  /** Replicas that must have a change before it is acknowledged (Redis WAIT); 0: no wait. */
  waitReplicas: number;
  /** How long WAIT waits for them (ms). */
  waitTimeoutMs: number;
}

/**
 * The queue's Lua scripts on one Redis connection, and the keys they run on. Each script gets all of
 * a guild's keys (they share the `{guildId}` hash tag, so one script is atomic on Redis Cluster too).
 */
export class RedisScripts {
  private readonly redis: RedisConnection;
  private readonly namespace: string;
  private readonly replication: ReplicationOptions;

  constructor(
    redis: RedisConnection,
    namespace: string,
    replication: ReplicationOptions = { waitReplicas: 0, waitTimeoutMs: 0 },
  ) {
    this.redis = redis;
    this.namespace = namespace;
    this.replication = replication;
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

  /**
   * Runs a script on the guild's keys with these ARGV. A change, with `waitReplicas`, is followed by
   * WAIT in the same pipeline (so on a cluster it goes to the guild's master): it resolves only once
   * that many replicas have it, and otherwise throws NotReplicatedError (the change may be lost in a
   * failover, so it is not acknowledged; the queue store answers 503 and a retry is idempotent).
   */
  async run(name: ScriptName, guildId: string, ...args: (string | number)[]): Promise<Reply> {
    const keys = this.guildKeys(guildId);
    const { waitReplicas } = this.replication;
    if (waitReplicas <= 0 || READS.has(name)) {
      const fn = (this.redis as unknown as Record<string, (...a: (string | number)[]) => Promise<Reply>>)[
        name
      ]!;
      return fn.call(this.redis, ...keys, ...args);
    }
    try {
      return await this.runAndWait(name, keys, args);
    } catch (err) {
      // After a failover ioredis does not follow MOVED for a pipeline whose other replies succeeded
      // (WAIT answers on any node). MOVED means the script did not run: learn the slots, try once more.
      if (!(this.redis instanceof Cluster) || !/^MOVED /.test((err as Error).message)) throw err;
      const cluster = this.redis;
      await new Promise<void>((resolve) => cluster.refreshSlotsCache(() => resolve()));
      return this.runAndWait(name, keys, args);
    }
  }

  private async runAndWait(name: ScriptName, keys: string[], args: (string | number)[]): Promise<Reply> {
    const { waitReplicas, waitTimeoutMs } = this.replication;
    const pipeline = this.redis.pipeline() as unknown as Record<string, (...a: unknown[]) => unknown> & {
      call(...a: unknown[]): unknown;
      exec(): Promise<[Error | null, unknown][] | null>;
    };
    // A plain keyed command first: on a cluster, ioredis sends a pipeline to the node of its first
    // keyed command (it does not read a defined script's keys for that), so the whole pipeline, WAIT
    // included, goes to the guild's master.
    pipeline.exists!(keys[0]!);
    pipeline[name]!(...keys, ...args);
    pipeline.call('WAIT', waitReplicas, waitTimeoutMs);
    const replies = await pipeline.exec();
    if (!replies) throw new Error('the pipeline was aborted');
    const [, [scriptError, reply], [waitError, replicas]] = replies as [
      unknown,
      [Error | null, Reply],
      [Error | null, number],
    ];
    if (scriptError) throw scriptError;
    if (waitError) throw waitError;
    if (Number(replicas) < waitReplicas) {
      throw new NotReplicatedError(
        `the change reached ${replicas} of ${waitReplicas} replicas within ${waitTimeoutMs} ms`,
      );
    }
    return reply;
  }
}
