import type { Clock } from '../core/clock.ts';
import type { EventBus } from '../core/events.ts';
import type { Logger } from '../core/logger.ts';
import type { PlayerEvent } from '../playback/player.ts';
import type { SpotifyConnection } from '../providers/spotify.ts';
import type { QueueService } from '../queue/service.ts';
import { type Schedule, SpotifyDevicePlayer } from '../spotify/device-player.ts';
import { spotifyCommandPort, spotifyModeOf } from '../spotify/mode.ts';
import { SpotifyAwarePlayback, type VoicePlayback } from '../spotify/playback.ts';
import type { SpotifyService } from '../spotify/service.ts';
import type { SpotifyMode } from '../storage/db/guild-settings.ts';

export interface SpotifyPlaybackParts {
  /** For the Spotify provider: the catalog and each guild's mode. */
  connection: SpotifyConnection;
  /** For the /spotify command. */
  commands: ReturnType<typeof spotifyCommandPort>;
  /** The controls in front of the voice player and the device player; null without a voice player. */
  playback: SpotifyAwarePlayback | null;
  /** Stops following the devices (shutdown). */
  close(): void;
}

/**
 * Spotify's playback side, for the composition root: the guilds' mode (setting, else device once
 * linked), the device player and the controls that route between it and the voice player.
 */
export function wireSpotifyPlayback(
  service: SpotifyService,
  deps: {
    settings: { get(guildId: string): Promise<{ spotifyMode?: SpotifyMode }> };
    queue: QueueService;
    voice: VoicePlayback | null;
    bus: EventBus<PlayerEvent>;
    clock: Clock;
    logger: Logger;
    schedule?: Schedule;
  },
): SpotifyPlaybackParts {
  const mode = spotifyModeOf({ settings: deps.settings, spotify: service });
  const connection: SpotifyConnection = { catalog: service, mode };
  const commands = spotifyCommandPort(service, mode);
  const voice = deps.voice;
  if (!voice) return { connection, commands, playback: null, close: () => {} };
  let playback: SpotifyAwarePlayback | null = null;
  const device = new SpotifyDevicePlayer({
    queue: deps.queue,
    spotify: service,
    mode,
    handOff: async (guildId) => playback?.handOff(guildId),
    bus: deps.bus,
    clock: deps.clock,
    logger: deps.logger,
    ...(deps.schedule && { schedule: deps.schedule }),
  });
  playback = new SpotifyAwarePlayback({ voice, device, queue: deps.queue, mode, logger: deps.logger });
  return { connection, commands, playback, close: () => device.shutdown() };
}
