import type { Config } from '../config/index.ts';
import type { Clock } from '../core/clock.ts';
import type { EventBus } from '../core/events.ts';
import type { Logger } from '../core/logger.ts';
import type { MusicPlayer, PlayerEvent } from '../playback/player.ts';
import type { SpotifyConnection } from '../providers/spotify.ts';
import type { QueueService } from '../queue/service.ts';
import type { DatabaseHandle } from '../storage/db/connection.ts';
import type { GuildSettingsRepository } from '../storage/db/guild-settings.ts';
import { wireSpotifyPlayback } from './spotify-playback.ts';
import { createSpotify } from './spotify-service.ts';

/**
 * Part of the composition root: Spotify when it is configured (linked accounts, the Web API, its
 * routes), Spotify links in /play and the REST API, and device mode's player in front of the voice one.
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
  const { config, logger, clock, closers } = deps;
  const spotify = config.spotify
    ? createSpotify(config.spotify, {
        db: deps.database.db,
        clock,
        logger: logger.child({ component: 'spotify' }),
        hasCommunity: deps.hasCommunity,
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
      })
    : null;
  if (spotify) closers.push(() => spotify.close());
  const spotifyPlayback = spotify
    ? wireSpotifyPlayback(spotify.service, {
        settings: deps.settings,
        queue: deps.queue,
        voice: deps.player,
        bus: deps.playerBus,
        clock,
        logger: logger.child({ component: 'spotify' }),
      })
    : null;
  if (spotifyPlayback) {
    deps.media.connectSpotify?.(spotifyPlayback.connection);
    closers.push(() => spotifyPlayback.close());
  }
  return { spotify, spotifyPlayback };
}
