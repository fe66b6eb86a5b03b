import type { Actions } from '../actions/index.ts';
import type { Config } from '../config/index.ts';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { Metrics } from '../http/metrics.ts';
import type { Route } from '../http/router.ts';
import { blocklistRoutes } from '../http/routes/blocklist.ts';
import { type HealthCheck, healthRoutes } from '../http/routes/health.ts';
import { lyricsRoutes } from '../http/routes/lyrics.ts';
import { modeRoutes } from '../http/routes/mode.ts';
import { playbackRoutes } from '../http/routes/playback.ts';
import { playlistRoutes } from '../http/routes/playlists.ts';
import { type ProviderCatalog, providerRoutes } from '../http/routes/providers.ts';
import { queueRoutes } from '../http/routes/queue.ts';
import { radioRoutes } from '../http/routes/radio.ts';
import { settingsRoutes } from '../http/routes/settings.ts';
import { statusRoutes } from '../http/routes/status.ts';
import { twitchRoutes } from '../http/routes/twitch.ts';
import { HttpServer } from '../http/server.ts';
import { ArtworkProxy } from '../overlay/artwork.ts';
import { overlayUpgradeHandler, SOCKET_PATH } from '../overlay/gateway.ts';
import type { OverlayHub } from '../overlay/hub.ts';
import type { OverlayKeys } from '../overlay/keys.ts';
import { overlayRoutes } from '../overlay/routes.ts';

/**
 * Part of the composition root: the side-server. Every REST route parses, calls one action and answers
 * in the envelope; the overlay's page and socket share the port.
 */
export function createHttp(deps: {
  config: Config;
  logger: Logger;
  clock: Clock;
  actions: Actions;
  hasCommunity(guildId: string): boolean;
  metrics: Metrics;
  checks: HealthCheck[];
  hub: OverlayHub;
  overlayKeys: OverlayKeys;
  providers: ProviderCatalog;
  /** Spotify's routes (linking, callback, status), or the answer that it is off. */
  spotifyRoutes: Route[];
  version: string;
  status(): Promise<Record<string, unknown>>;
}): HttpServer {
  const { config, logger, clock, actions, hasCommunity, metrics } = deps;
  const http = new HttpServer({
    host: config.http.host,
    port: config.http.port,
    apiToken: config.http.apiToken,
    rateLimitPerMinute: config.http.rateLimitPerMinute,
    connections: { maxPerAddress: config.http.maxConnectionsPerAddress },
    logger: logger.child({ component: 'http' }),
    observe: (route, method, status, seconds) => metrics.observe(route, method, status, seconds),
    onUpgrade: overlayUpgradeHandler({
      hub: deps.hub,
      keys: deps.overlayKeys,
      hasCommunity,
      logger: logger.child({ component: 'overlay' }),
    }),
    upgradePath: SOCKET_PATH,
  });
  http.add(
    ...healthRoutes(deps.checks, metrics, logger.child({ component: 'health' })),
    ...queueRoutes({ actions, hasCommunity }),
    ...playbackRoutes({ actions, hasCommunity }),
    ...settingsRoutes({ actions, hasCommunity }),
    ...blocklistRoutes({ actions, hasCommunity }),
    ...twitchRoutes({ actions, hasCommunity }),
    ...modeRoutes({ actions, hasCommunity }),
    ...lyricsRoutes({ actions, hasCommunity }),
    ...overlayRoutes({
      keys: deps.overlayKeys,
      actions,
      hub: deps.hub,
      artwork: new ArtworkProxy({ allowlist: config.media.allowlist, clock }),
      hasCommunity,
      clock,
    }),
    ...providerRoutes(deps.providers),
    ...radioRoutes({ actions, hasCommunity }),
    ...playlistRoutes({ actions, hasCommunity }),
    ...deps.spotifyRoutes,
    ...statusRoutes({
      version: deps.version,
      startedAt: clock.now(),
      now: () => clock.now(),
      routes: () => http.routes(),
      status: deps.status,
    }),
  );
  return http;
}
