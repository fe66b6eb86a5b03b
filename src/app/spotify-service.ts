import type { SpotifySettings } from '../config/spotify.ts';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { Route } from '../http/router.ts';
import { SpotifyAccounts } from '../spotify/accounts.ts';
import { SpotifyWebApi } from '../spotify/client.ts';
import { LinkStates } from '../spotify/link-states.ts';
import { spotifyRoutes } from '../spotify/routes.ts';
import { SpotifyService } from '../spotify/service.ts';
import { TokenCipher } from '../spotify/token-cipher.ts';
import type { Database } from '../storage/db/connection.ts';
import { PgSpotifyTokenRepository } from '../storage/db/spotify-tokens-repository.ts';

export interface SpotifyParts {
  service: SpotifyService;
  routes: Route[];
  /** Ends Retry-After waits at once (SIGTERM must finish within 5 s). */
  close(): void;
}

/**
 * Spotify's pieces, put together for the composition root: tokens encrypted in PostgreSQL, the
 * accounts service (PKCE), the Web API client and the service, with its REST routes.
 */
export function createSpotify(
  settings: SpotifySettings,
  deps: {
    db: Database;
    clock: Clock;
    logger: Logger;
    hasCommunity(guildId: string): boolean;
    onUnlinked(guildId: string): void;
  },
): SpotifyParts {
  const tokens = new PgSpotifyTokenRepository(deps.db, new TokenCipher(settings.tokenEncryptionKey));
  const accounts = new SpotifyAccounts({
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    redirectUri: settings.redirectUri,
    accountsUrl: settings.accountsUrl,
  });
  const api = new SpotifyWebApi({
    tokens,
    accounts,
    apiUrl: settings.apiUrl,
    clock: deps.clock,
    logger: deps.logger,
    onUnlinked: deps.onUnlinked,
  });
  const service = new SpotifyService({
    accounts,
    tokens,
    states: new LinkStates({ clock: deps.clock }),
    api,
    clock: deps.clock,
    logger: deps.logger,
  });
  return {
    service,
    routes: spotifyRoutes({ spotify: service, hasCommunity: deps.hasCommunity, logger: deps.logger }),
    close: () => api.close(),
  };
}
