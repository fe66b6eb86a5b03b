import { REST, Routes } from 'discord.js';
import { parseShardIds, ShardOwnership } from '../fleet/shards.ts';

/**
 * Which shards this process runs. With `SHARD_COUNT=auto` the count is Discord's recommendation
 * (`GET /gateway/bot`, the call discord.js would make itself), read before the client exists so that
 * the rest of the app knows which guilds are this process's. @throws Error when SHARD_IDS names a
 * shard that does not exist.
 */
export async function resolveShards(options: {
  token: string;
  apiUrl: string;
  shardCount: 'auto' | number;
  shardIds: string | undefined;
}): Promise<ShardOwnership> {
  const count =
    options.shardCount === 'auto'
      ? (await gatewayBot(options.token, options.apiUrl)).shards
      : options.shardCount;
  return new ShardOwnership(count, parseShardIds(options.shardIds, count));
}

/** Discord's sharding advice: the recommended shard count and how many shards may IDENTIFY at once. */
export async function gatewayBot(
  token: string,
  apiUrl: string,
): Promise<{ shards: number; maxConcurrency: number }> {
  const rest = new REST({ api: apiUrl }).setToken(token);
  const body = (await rest.get(Routes.gatewayBot())) as {
    shards?: unknown;
    session_start_limit?: { max_concurrency?: unknown };
  };
  const positive = (n: unknown) => (typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : 1);
  return {
    shards: positive(body.shards),
    maxConcurrency: positive(body.session_start_limit?.max_concurrency),
  };
}
