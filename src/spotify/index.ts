import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import { sendData } from '../http/envelope.ts';
import type { Route } from '../http/router.ts';
import { communityOf } from '../http/wire.ts';
import type { Database } from '../storage/db/connection.ts';
import { PgSpotifyTokenRepository } from '../storage/db/spotify-tokens-repository.ts';
import { SpotifyAccounts } from './accounts.ts';
import { SpotifyWebApi } from './client.ts';
import { LinkStates } from './link-states.ts';
import { spotifyRoutes } from './routes.ts';
import { SpotifyService } from './service.ts';
import { TokenCipher } from './token-cipher.ts';

export type { SpotifyConnection } from '../providers/spotify.ts';
export { wireSpotifyPlayback } from './wiring.ts';

export interface SpotifySettings {
  clientId: string;
  clientSecret: string | undefined;
  redirectUri: string;
  accountsUrl: string;
  apiUrl: string;
  tokenEncryptionKey: Buffer;
}

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

/** With Spotify off, the status route still answers (unlinked), as clients expect; linking says why not. */
export function spotifyOffRoutes(hasCommunity: (guildId: string) => boolean): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/spotify/{community_id}',
      auth: true,
      summary: 'Spotify link status (Spotify is not configured on this server)',
      handler: ({ res, params }) => {
        communityOf(params, hasCommunity);
        sendData(res, 200, {
          linked: false,
          display_name: null,
          devices: [],
          device_id: null,
          configured: false,
        });
      },
    },
  ];
}
