import type { Config } from '../config/index.ts';
import type { Clock } from '../core/clock.ts';
import { LrclibClient } from '../lyrics/lrclib.ts';
import { LyricsService } from '../lyrics/service.ts';
import { RequestCooldowns } from '../queue/request-rules.ts';
import { PgBlocklistRepository } from '../storage/db/blocklist-repository.ts';
import type { Database } from '../storage/db/connection.ts';
import { PgPlaylistRepository } from '../storage/db/playlist-repository.ts';
import { MemoryPanelLocations, RedisPanelLocations } from '../storage/panel/locations.ts';
import { MemoryRatingStore, RedisRatingStore } from '../storage/panel/ratings.ts';
import type { RedisConnection } from '../storage/queue/redis-client.ts';

/**
 * Part of the composition root: what the streamer and listener features keep and ask for. Request
 * rules' block lists and cooldowns, saved playlists, lyrics, and the control panel's ratings and
 * messages (in Redis beside the queue when it is configured, so they survive a restart; else in memory).
 */
export function createFeatures(deps: {
  config: Config;
  clock: Clock;
  db: Database;
  redis: RedisConnection | null;
  version: string;
}) {
  const { config, clock, redis } = deps;
  const { namespace } = config.redis;
  return {
    ratings: redis
      ? new RedisRatingStore(redis, { namespace, ttlSeconds: config.queue.ttlSeconds })
      : new MemoryRatingStore(),
    panels: redis ? new RedisPanelLocations(redis, namespace) : new MemoryPanelLocations(),
    blocklist: new PgBlocklistRepository(deps.db),
    cooldowns: new RequestCooldowns(clock),
    lyrics: new LyricsService({
      client: new LrclibClient({
        baseUrl: config.lyrics.apiUrl,
        userAgent: `unified-music/${deps.version} (open-source Discord music bot)`,
      }),
      clock,
    }),
    playlists: new PgPlaylistRepository(deps.db),
  };
}
