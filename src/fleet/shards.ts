/**
 * Discord's sharding arithmetic: which shard a guild lives on, and which shards a process runs.
 * discord.js runs the shards; this only answers "is this guild mine?" for everything tied to a guild's
 * voice (player, radio, device follower, messages, resume) and for routing actions to the owner.
 */

/** The shard Discord sends a guild's events on: `(guild_id >> 22) % shard_count`. */
export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/**
 * Parses `SHARD_IDS`: `all` (or empty), a range `0-7`, a list `0,3`, or a mix `0-3,8`. Every id must be
 * below `shardCount`. @throws Error with a plain message when the spec is malformed.
 */
export function parseShardIds(spec: string | undefined, shardCount: number): number[] {
  const text = (spec ?? '').trim();
  if (text === '' || text === 'all') return Array.from({ length: shardCount }, (_, i) => i);
  const ids = new Set<number>();
  for (const part of text.split(',')) {
    const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!match) throw new Error(`SHARD_IDS: "${part.trim()}" is not a shard id or a range like 0-7`);
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (to < from) throw new Error(`SHARD_IDS: the range ${from}-${to} runs backwards`);
    if (to >= shardCount) throw new Error(`SHARD_IDS: shard ${to} does not exist with ${shardCount} shards`);
    for (let id = from; id <= to; id++) ids.add(id);
  }
  return [...ids].sort((a, b) => a - b);
}

/** Which guilds this process owns: the guilds of its shards. */
export class ShardOwnership {
  readonly shardCount: number;
  readonly shardIds: readonly number[];
  private readonly mine: ReadonlySet<number>;

  constructor(shardCount: number, shardIds: readonly number[]) {
    this.shardCount = shardCount;
    this.shardIds = shardIds;
    this.mine = new Set(shardIds);
  }

  owns(guildId: string): boolean {
    return this.mine.has(shardOf(guildId, this.shardCount));
  }

  /** Whether this process runs every shard (a single process, as before sharding). */
  get all(): boolean {
    return this.shardIds.length === this.shardCount;
  }
}
