import { holdPortWhileStarting } from './app/early-health.ts';
import type { Config } from './config/index.ts';

// /health answers from the first moment; the settings and the libraries load after it (import() below).
const early = await holdPortWhileStarting(process.env);
const { ConfigError, loadConfig } = await import('./config/index.ts');
const { createLogger } = await import('./core/logger.ts');

/** `npm start`: parse the settings once, start the app, stop cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      await early.close();
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
  const [{ startApp }, { createMedia }] = await Promise.all([import('./app.ts'), import('./app/media.ts')]);
  const app = await startApp(config, logger, createMedia(config, logger), undefined, {
    beforeListen: () => early.close(),
  });
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
