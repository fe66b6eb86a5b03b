import type { Config } from '../config/index.ts';
import type { Clock } from '../core/clock.ts';
import type { EventBus } from '../core/events.ts';
import type { Logger } from '../core/logger.ts';
import type { ModeController, ModeEvent } from '../mode/controller.ts';
import { radioUpdateData } from '../overlay/events.ts';
import { OverlayHub } from '../overlay/hub.ts';
import { OverlayKeys } from '../overlay/keys.ts';
import { overlaySource } from '../overlay/source.ts';
import { type LiveTransport, MemoryTransport, RedisTransport } from '../overlay/transport.ts';
import type { MusicPlayer, PlayerEvent } from '../playback/player.ts';
import type { QueueEvent } from '../queue/events.ts';
import type { QueueService } from '../queue/service.ts';
import type { RadioEvent } from '../radio/events.ts';
import type { RadioService } from '../radio/service.ts';
import type { GuildSettingsRepository } from '../storage/db/guild-settings.ts';
import type { RedisConnection } from '../storage/queue/redis-client.ts';

/**
 * Part of the composition root: the overlay's keys (hashed in guild settings) and its hub, which
 * follows the queue, player, mode and radio buses and fans out through Redis pub/sub across instances.
 */
export function createOverlay(deps: {
  config: Config;
  logger: Logger;
  clock: Clock;
  settings: GuildSettingsRepository;
  redis: RedisConnection | null;
  queue: QueueService;
  mode: ModeController;
  player: MusicPlayer | null;
  radio: RadioService;
  buses: {
    queueBus: EventBus<QueueEvent>;
    playerBus: EventBus<PlayerEvent>;
    modeBus: EventBus<ModeEvent>;
    radioBus: EventBus<RadioEvent>;
  };
}): { overlayKeys: OverlayKeys; transport: LiveTransport; hub: OverlayHub } {
  const { config, logger, clock, redis, queue, mode, player, radio } = deps;
  const overlayKeys = new OverlayKeys(deps.settings);
  const transport: LiveTransport = redis
    ? new RedisTransport({
        redis,
        namespace: config.redis.namespace,
        logger: logger.child({ component: 'overlay' }),
      })
    : new MemoryTransport();
  const hub = new OverlayHub({
    transport,
    keys: overlayKeys,
    source: overlaySource({
      queue,
      mode,
      player,
      clock,
      radio: async (guildId) => {
        const status = radio.status(guildId);
        if (!status) return null;
        return radioUpdateData(
          guildId,
          { name: status.station.name, provider: status.station.provider },
          status.nowPlaying,
          new Date(clock.now()).toISOString(),
        );
      },
    }),
    ...deps.buses,
    clock,
    logger: logger.child({ component: 'overlay' }),
  });
  return { overlayKeys, transport, hub };
}
