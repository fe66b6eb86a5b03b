import { type MediaSources, startApp } from './app.ts';
import { type Config, ConfigError, loadConfig } from './config/index.ts';
import { createLogger, type Logger } from './core/logger.ts';
import { HttpAudioProvider } from './providers/http.ts';
import { ProviderRegistry } from './providers/registry.ts';
import { SoundCloudProvider } from './providers/soundcloud.ts';
import { SpotifyProvider } from './providers/spotify.ts';
import { YouTubeProvider } from './providers/youtube.ts';

/** The providers, in the order links are matched (the catch-all direct HTTP provider last). */
function media(config: Config, logger: Logger): MediaSources {
  const youtube = new YouTubeProvider({
    apiKey: config.youtube.apiKey,
    apiUrl: config.youtube.apiUrl,
    cookie: config.youtube.cookie,
    poToken: config.youtube.poToken,
    visitorData: config.youtube.visitorData,
    ytDlpPath: config.youtube.ytDlpPath,
    logger: logger.child({ component: 'youtube' }),
  });
  // Spotify links need the guild's linked account: app.ts connects the provider to the Spotify service.
  const spotify = new SpotifyProvider({ youtube, logger: logger.child({ component: 'spotify' }) });
  const registry = new ProviderRegistry([
    youtube,
    new SoundCloudProvider({ allowlist: config.media.allowlist, clientId: config.soundcloud.clientId }),
    spotify,
    new HttpAudioProvider({ allowlist: config.media.allowlist }),
  ]);
  return {
    resolve: (query, options) => registry.resolve(query, options),
    streams: registry,
    providers: registry,
    health: () => registry.health(),
    connectSpotify: (connection) => spotify.connect(connection),
  };
}

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
  const app = await startApp(config, logger, media(config, logger));
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
