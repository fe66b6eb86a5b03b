import { ShardingManager } from 'discord.js';
import type { Logger } from '../core/logger.ts';
import { gatewayBot } from './shards.ts';

/** Discord allows one IDENTIFY per max_concurrency bucket every 5 s; discord.js's own spacing. */
const IDENTIFY_SPACING_MS = 5_500;

/**
 * `npm run start:cluster`: discord.js's ShardingManager runs every shard in its own process (`file`,
 * the bot as `npm start` runs it) and starts a process again when it dies. Each process learns its
 * shard from the manager (SHARDS, SHARD_COUNT) and resumes its guilds' playback.
 */
export async function superviseShards(options: {
  file: string;
  token: string;
  apiUrl: string;
  shardCount: 'auto' | number;
  execArgv: string[];
  logger: Logger;
}): Promise<{ shardCount: number; stop(): Promise<void> }> {
  const log = options.logger.child({ component: 'shards' });
  const advice = await gatewayBot(options.token, options.apiUrl);
  const shardCount = options.shardCount === 'auto' ? advice.shards : options.shardCount;
  const manager = new ShardingManager(options.file, {
    token: options.token,
    totalShards: shardCount,
    respawn: true,
    mode: 'process',
    execArgv: options.execArgv,
  });
  manager.on('shardCreate', (shard) => {
    log.info({ shard: shard.id, shard_count: shardCount }, 'shard process started');
    shard.on('death', (child) =>
      log.warn(
        { shard: shard.id, exit_code: 'exitCode' in child ? child.exitCode : null },
        'shard process died; the manager starts it again',
      ),
    );
    shard.on('ready', () => log.info({ shard: shard.id }, 'shard ready'));
  });
  // Shards of one IDENTIFY bucket start 5 s apart; with max_concurrency >= shards, all at once.
  const delay = advice.maxConcurrency >= shardCount ? 0 : IDENTIFY_SPACING_MS;
  await manager.spawn({ amount: shardCount, delay, timeout: 60_000 });
  return {
    shardCount,
    async stop() {
      manager.respawn = false;
      for (const shard of manager.shards.values()) shard.kill();
    },
  };
}
