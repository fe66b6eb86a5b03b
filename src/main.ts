import { createMedia } from './app/media.ts';
import { startApp } from './app.ts';
import { type Config, ConfigError, loadConfig } from './config/index.ts';
import { createLogger } from './core/logger.ts';

/** `npm start`: parse the settings once, start the app, stop cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger({ level: config.logLevel });
  if (!config.discord.token) {
    logger.info(
      'API-only mode: no DISCORD_TOKEN is set, so no bot connects to Discord; the queue, the REST API and the overlay run. ' +
        'To connect a bot, set DISCORD_TOKEN (README: "Connect it to Discord").',
    );
  }
  const app = await startApp(config, logger, createMedia(config, logger));
  logger.info({ http: `http://${app.http.host}:${app.http.port}` }, 'Unified Music is running');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 5_000);
    force.unref();
    await app.close();
    logger.flush();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

await main();
