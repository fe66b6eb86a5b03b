import { fileURLToPath } from 'node:url';
import { startApp } from '../app.ts';
import { type Config, ConfigError, loadConfig } from '../config/index.ts';
import { createLogger } from '../core/logger.ts';
import { superviseShards } from '../discord/sharding-manager.ts';
import { createMedia } from './media.ts';

/**
 * `npm run start:cluster`: one machine, many processes. discord.js's ShardingManager runs each Discord
 * shard in its own bot process (restarted when it dies); this process serves the REST API and the
 * overlays for every guild (API-only), sending voice actions to the shard processes through Redis.
 * Needs Redis (REDIS_URL or REDIS_CLUSTER_NODES) and PostgreSQL (DATABASE_URL): processes share them.
 */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
    if (!config.discord.token)
      throw new ConfigError('Invalid configuration:\n  DISCORD_TOKEN: required by start:cluster');
    if (!config.redis.url && !config.redis.cluster) {
      throw new ConfigError(
        'Invalid configuration:\n  REDIS_URL or REDIS_CLUSTER_NODES: required by start:cluster (the processes share the queue and talk through Redis)',
      );
    }
    if (!config.database.url) {
      throw new ConfigError(
        'Invalid configuration:\n  DATABASE_URL: required by start:cluster (the embedded database belongs to one process)',
      );
    }
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger({ level: config.logLevel });
  const shards = await superviseShards({
    file: fileURLToPath(new URL('../main.ts', import.meta.url)),
    token: config.discord.token,
    apiUrl: config.discord.apiUrl,
    shardCount: config.discord.shardCount,
    execArgv: ['--disable-warning=ExperimentalWarning'],
    logger,
  });
  const apiConfig: Config = { ...config, discord: { ...config.discord, token: undefined } };
  const app = await startApp(apiConfig, logger, createMedia(apiConfig, logger));
  logger.info(
    { http: `http://${app.http.host}:${app.http.port}`, shard_count: shards.shardCount },
    'Unified Music fleet is running',
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down the fleet');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await shards.stop();
    await app.close();
    logger.flush();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

await main();
