import type { EventBus } from '../../../src/core/events.ts';
import { silentLogger } from '../../../src/core/logger.ts';
import type { PlayerEvent } from '../../../src/playback/player.ts';
import type { QueueService } from '../../../src/queue/service.ts';
import { SpotifyDevicePlayer } from '../../../src/spotify/device-player.ts';
import { spotifyModeOf } from '../../../src/spotify/mode.ts';
import { SpotifyAwarePlayback, type VoicePlayback } from '../../../src/spotify/playback.ts';
import type { SpotifyMode } from '../../../src/storage/db/guild-settings.ts';
import type { ManualSchedule } from '../../support/manual-schedule.ts';
import type { SpotifyRig } from './harness.ts';

/** The device player and the controls in front of it, put together as src/app/spotify.ts does. */
export function devicePlayback(
  rig: SpotifyRig,
  deps: {
    queue: QueueService;
    voice: VoicePlayback;
    bus: EventBus<PlayerEvent>;
    timers: ManualSchedule;
    /** The guild's spotify_mode setting (unset: device once linked). */
    mode?: () => SpotifyMode | undefined;
  },
): { device: SpotifyDevicePlayer; playback: SpotifyAwarePlayback } {
  const mode = spotifyModeOf({
    settings: {
      get: async () => {
        const chosen = deps.mode?.();
        return chosen ? { spotifyMode: chosen } : {};
      },
    },
    spotify: rig.service,
  });
  let playback: SpotifyAwarePlayback | null = null;
  const device = new SpotifyDevicePlayer({
    queue: deps.queue,
    spotify: rig.service,
    mode,
    handOff: async (guildId) => playback?.handOff(guildId),
    bus: deps.bus,
    clock: rig.clock,
    logger: silentLogger(),
    schedule: deps.timers.schedule,
  });
  playback = new SpotifyAwarePlayback({
    voice: deps.voice,
    device,
    queue: deps.queue,
    mode,
    logger: silentLogger(),
  });
  return { device, playback };
}
