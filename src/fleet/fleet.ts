import type { Actor, Call } from '../actions/actor.ts';
import type { Action } from '../actions/define.ts';
import { isUserError } from '../core/errors.ts';
import { botUnavailable, type FleetRequest, type FleetRpc } from './rpc.ts';
import type { ShardOwnership } from './shards.ts';

/**
 * How long an API process trusts the shard count it read from Redis (ms). Only a count is kept: "no
 * bot has registered yet" is asked again every time, or an API process started before its bots would
 * run their guilds' voice actions itself (NOT_CONNECTED) for as long as it trusted that answer.
 */
const SHARD_COUNT_TTL_MS = 10_000;

// biome-ignore lint/suspicious/noExplicitAny: an action table holds actions of every input and output type.
type ActionTable = Record<string, Action<any, any>>;

/**
 * Where a guild's actions run. A guild belongs to the process that runs its Discord shard: its voice,
 * player and radio live there. Actions that need them (playback, radio, mode) run there; every other
 * process, bots of other shards and API-only processes alike, sends them over the fleet's RPC and
 * returns the owner's answer. Without a fleet (no bot ever registered a shard count), or in a process
 * that runs every shard, everything runs locally, as a single process does.
 */
export class Fleet {
  private cached: { count: number; at: number } | null = null;

  private readonly rpc: FleetRpc;
  /** This process's shards; null in an API-only process. */
  private readonly ownership: ShardOwnership | null;
  private readonly now: () => number;

  constructor(rpc: FleetRpc, ownership: ShardOwnership | null, now: () => number = Date.now) {
    this.rpc = rpc;
    this.ownership = ownership;
    this.now = now;
  }

  /** Whether bot processes have registered a fleet (an API-only process then leaves voice to them). */
  async hasBots(): Promise<boolean> {
    return (await this.shardCount()) !== null;
  }

  /** Whether `guildId`'s actions run in this process. */
  async isLocal(guildId: string): Promise<boolean> {
    if (this.ownership) return this.ownership.owns(guildId);
    return (await this.shardCount()) === null;
  }

  /**
   * Runs `name` for `call` where the guild lives: `local` here, or the owner's copy over RPC. With
   * `whenUnavailable`, a guild whose shard no process runs runs that here instead of failing (never
   * after a timeout: the owner may have done it).
   */
  async run<I, O>(
    name: string,
    call: Call,
    input: I,
    local: Action<I, O>,
    whenUnavailable?: Action<I, O>,
  ): Promise<O> {
    const count = this.ownership?.shardCount ?? (await this.shardCount());
    if (count === null || this.ownership?.owns(call.guildId)) return local(call, input);
    try {
      return (await this.rpc.call(count, call.guildId, name, call.actor, input ?? null)) as O;
    } catch (err) {
      // Only a request that certainly did not run (no process runs the shard) may run here instead.
      const notRun = isUserError(err) && err.code === 'BOT_UNAVAILABLE' && err.details?.reason === 'no-owner';
      if (whenUnavailable && notRun) return whenUnavailable(call, input);
      throw err;
    }
  }

  /**
   * Wraps the named actions of one group (`playback`, `radio`, ...) so that each runs where its guild
   * lives. The permission stays declared on the action and is checked where it runs.
   */
  route<T extends ActionTable>(group: string, actions: T, names: readonly (keyof T & string)[]): T {
    const routed: ActionTable = { ...actions };
    for (const name of names) {
      const local = actions[name] as T[typeof name];
      const fn = (call: Call, input: unknown) => this.run(`${group}.${name}`, call, input, local);
      routed[name] = Object.assign(fn, { permission: local.permission });
    }
    return routed as T;
  }

  /**
   * Answers the requests for this process's guilds with `tables` (the local actions by group), so
   * that a request runs exactly as it would have in the process that sent it.
   */
  async serve(tables: Record<string, ActionTable>): Promise<void> {
    const ownership = this.ownership;
    if (!ownership) throw new Error('an API-only process owns no guilds and serves no fleet requests');
    await this.rpc.serve(ownership.shardCount, ownership.shardIds, async (request: FleetRequest) => {
      if (typeof request.guildId !== 'string' || !/^\d{1,20}$/.test(request.guildId)) {
        throw botUnavailable('a malformed request');
      }
      if (!ownership.owns(request.guildId)) throw botUnavailable('the request reached the wrong process');
      const [group, name] = String(request.action).split('.', 2);
      const action = group && name ? tables[group]?.[name] : undefined;
      if (!action || !Object.hasOwn(tables[group as string] as object, name as string)) {
        throw botUnavailable(`this process does not know ${request.action}`);
      }
      return action({ guildId: request.guildId, actor: request.actor as Actor }, request.input ?? undefined);
    });
  }

  private async shardCount(): Promise<number | null> {
    const now = this.now();
    if (this.cached && now - this.cached.at < SHARD_COUNT_TTL_MS) return this.cached.count;
    let count: number | null;
    try {
      count = await this.rpc.shardCount();
    } catch {
      // Redis is not answering: the last count known is still the best guess of where guilds live.
      return this.cached?.count ?? null;
    }
    if (count !== null) this.cached = { count, at: now };
    return count;
  }
}
