import type { Config, SpotifySettings } from '../config/index.ts';
import type { Clock } from '../core/clock.ts';
import type { EventBus } from '../core/events.ts';
import type { Logger } from '../core/logger.ts';
import type { MusicPlayer, PlayerEvent } from '../playback/player.ts';
import type { SpotifyConnection } from '../providers/spotify.ts';
import type { QueueService } from '../queue/service.ts';
import { SpotifyAccounts } from '../spotify/accounts.ts';
import { SpotifyWebApi } from '../spotify/client.ts';
import { SpotifyDevicePlayer } from '../spotify/device-player.ts';
import { LinkStates } from '../spotify/link-states.ts';
import { spotifyCommandPort, spotifyModeOf } from '../spotify/mode.ts';
import { NoVoicePlayback } from '../spotify/no-voice.ts';
import { SpotifyAwarePlayback } from '../spotify/playback.ts';
import { spotifyRoutes } from '../spotify/routes.ts';
import { SpotifyService } from '../spotify/service.ts';
import { TokenCipher } from '../spotify/token-cipher.ts';
import type { DatabaseHandle } from '../storage/db/connection.ts';
import type { GuildSettingsRepository } from '../storage/db/guild-settings.ts';
import { PgSpotifyTokenRepository } from '../storage/db/spotify-tokens-repository.ts';

/**
 * Part of the composition root: Spotify when it is configured (linked accounts, the Web API, its
 * routes), Spotify links in /play and the REST API, and device mode's player in front of the voice one.
 * Without Discord the voice side is `NoVoicePlayback`, so device mode works from the REST API alone.
 */
export function createSpotifyParts(deps: {
  config: Config;
  logger: Logger;
  clock: Clock;
  database: DatabaseHandle;
  settings: GuildSettingsRepository;
  queue: QueueService;
  player: MusicPlayer | null;
  playerBus: EventBus<PlayerEvent>;
  media: { connectSpotify?(connection: SpotifyConnection): void };
  /** Tells a guild's admins (in Discord, when the bot is connected). */
  noticeAdmins(guildId: string, text: string): void;
  hasCommunity(guildId: string): boolean;
  closers: (() => Promise<void> | void)[];
}) {
  if (!deps.config.spotify) return { spotify: null, spotifyPlayback: null };
  const logger = deps.logger.child({ component: 'spotify' });
  const service = spotifyService(deps.config.spotify, { ...deps, logger });
  const spotify = {
    service: service.service,
    routes: spotifyRoutes({ spotify: service.service, hasCommunity: deps.hasCommunity, logger }),
  };
  deps.closers.push(() => service.close());

  const mode = spotifyModeOf({ settings: deps.settings, spotify: service.service });
  const connection: SpotifyConnection = { catalog: service.service, mode };
  let playback: SpotifyAwarePlayback | null = null;
  const device = new SpotifyDevicePlayer({
    queue: deps.queue,
    spotify: service.service,
    mode,
    handOff: async (guildId) => playback?.handOff(guildId),
    bus: deps.playerBus,
    clock: deps.clock,
    logger,
    pollMs: deps.config.spotify.pollIntervalMs,
  });
  playback = new SpotifyAwarePlayback({
    voice: deps.player ?? new NoVoicePlayback(),
    device,
    queue: deps.queue,
    mode,
    logger,
  });
  deps.media.connectSpotify?.(connection);
  deps.closers.push(() => device.shutdown());
  const spotifyPlayback = {
    /** For the Spotify provider: the catalog and each guild's mode. */
    connection,
    /** For the /spotify command. */
    commands: spotifyCommandPort(service.service, mode),
    /** The controls in front of the voice player (or, without Discord, of no voice) and the device player. */
    playback,
  };
  return { spotify, spotifyPlayback };
}

/**
 * Spotify's account side: tokens encrypted in PostgreSQL, the accounts service (PKCE), the Web API
 * client and the service. A login Spotify revoked unlinks the account, and the guild's admins are told.
 */
function spotifyService(
  settings: SpotifySettings,
  deps: {
    database: DatabaseHandle;
    clock: Clock;
    logger: Logger;
    noticeAdmins(guildId: string, text: string): void;
  },
): { service: SpotifyService; close(): void } {
  const { clock, logger } = deps;
  const tokens = new PgSpotifyTokenRepository(deps.database.db, new TokenCipher(settings.tokenEncryptionKey));
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
    clock,
    logger,
    onUnlinked: (guildId) => {
      logger.warn(
        { guildId },
        'Spotify refused the stored login (revoked or expired): the account is unlinked',
      );
      deps.noticeAdmins(
        guildId,
        '⚠️ Spotify no longer accepts the linked account (its access was revoked or expired), so it was ' +
          'unlinked. An admin can link it again with `/spotify link`.',
      );
    },
  });
  const service = new SpotifyService({
    accounts,
    tokens,
    states: new LinkStates({ clock }),
    api,
    clock,
    logger,
  });
  // close ends Retry-After waits at once (SIGTERM must finish within 5 s).
  return { service, close: () => api.close() };
}
