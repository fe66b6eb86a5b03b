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
  let count: number;
  if (options.shardCount === 'auto') {
    const rest = new REST({ api: options.apiUrl }).setToken(options.token);
    const gateway = (await rest.get(Routes.gatewayBot())) as { shards?: unknown };
    count = typeof gateway.shards === 'number' && gateway.shards > 0 ? gateway.shards : 1;
  } else {
    count = options.shardCount;
  }
  return new ShardOwnership(count, parseShardIds(options.shardIds, count));
}
