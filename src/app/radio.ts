import type { Config } from '../config/index.ts';
import type { Clock } from '../core/clock.ts';
import type { EventBus } from '../core/events.ts';
import type { Logger } from '../core/logger.ts';
import { ModeController, type ModeEvent, type MusicControl } from '../mode/controller.ts';
import { type GuildLock, LocalLock, RedisLock } from '../mode/lock.ts';
import type { MusicPlayer } from '../playback/player.ts';
import type { RadioEvent } from '../radio/events.ts';
import { StationPollers } from '../radio/pollers.ts';
import { RadioService } from '../radio/service.ts';
import type { Database } from '../storage/db/connection.ts';
import type { PgRadioStateRepository } from '../storage/db/radio-state-repository.ts';
import { PgStationRepository } from '../storage/db/station-repository.ts';
import type { RedisConnection } from '../storage/queue/redis-client.ts';
import type { Closers } from './types.ts';

/**
 * Part of the composition root: the radio (stations in PostgreSQL, the stream into voice through the
 * player's session or followed for its metadata alone, pollers shared per station) and the mode
 * controller that switches a guild between music and radio under a lock (Redis across instances).
 */
export function createRadioAndMode(deps: {
  config: Config;
  logger: Logger;
  clock: Clock;
  db: Database;
  redis: RedisConnection | null;
  radioState: PgRadioStateRepository;
  player: MusicPlayer | null;
  buses: { modeBus: EventBus<ModeEvent>; radioBus: EventBus<RadioEvent> };
  notice(channelId: string, text: string): void;
  closers: Closers;
}): { radio: RadioService; mode: ModeController } {
  const { config, logger, clock, player, radioState } = deps;
  const lock: GuildLock = deps.redis
    ? new RedisLock(deps.redis, `${config.redis.namespace}:lock`)
    : new LocalLock();
  const music: MusicControl = player
    ? {
        isPlaying: (g) => player.state(g).kind === 'playing',
        pause: (g) => player.pause(g),
        resume: (g) => player.resume(g),
      }
    : { isPlaying: () => false, pause: async () => {}, resume: async () => {} };
  const radio = new RadioService({
    stations: new PgStationRepository(deps.db),
    voice: player,
    allowlist: config.media.allowlist,
    pollers: new StationPollers({
      allowlist: config.media.allowlist,
      intervalMs: config.radio.pollIntervalMs,
      clock,
      logger: logger.child({ component: 'radio-api' }),
    }),
    bus: deps.buses.radioBus,
    clock,
    logger: logger.child({ component: 'radio' }),
    notice: deps.notice,
  });
  deps.closers.push(() => radio.close());
  const mode = new ModeController({
    store: { load: (g) => radioState.get(g), save: (s) => radioState.save(s) },
    lock,
    music,
    radio,
    bus: deps.buses.modeBus,
    clock,
    logger: logger.child({ component: 'mode' }),
  });
  return { radio, mode };
}
