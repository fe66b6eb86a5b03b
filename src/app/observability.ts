import type { EventBus } from '../core/events.ts';
import type { DiscordBot } from '../discord/bot.ts';
import { Metrics } from '../http/metrics.ts';
import { QueueLengths } from '../http/queue-lengths.ts';
import type { HealthCheck } from '../http/routes/health.ts';
import type { QueueEvent } from '../queue/events.ts';
import type { QueueService } from '../queue/service.ts';
import type { DatabaseHandle } from '../storage/db/connection.ts';
import type { QueueStoreHealth } from '../storage/queue/resilient-store.ts';
import type { Closers } from './types.ts';

/**
 * Part of the composition root: Prometheus metrics fed by the queue's events, and the /healthz checks.
 * Readiness is the process's own dependencies (Redis, the database, Discord); a provider that failed a
 * search is reported, never a reason to take the instance out of service.
 */
export function observability(deps: {
  queue: QueueService;
  queueBus: EventBus<QueueEvent>;
  queueHealth: () => QueueStoreHealth;
  database: DatabaseHandle;
  discord: Pick<DiscordBot, 'isReady' | 'pingMs'> | null;
  media: { health(): Record<string, { ok: boolean; detail?: unknown }> };
  /** METRICS_GUILD_LABELS: /metrics lists each guild's queue length too. */
  guildLabels: boolean;
  closers: Closers;
}): { metrics: Metrics; checks: HealthCheck[] } {
  const { queue, queueBus, queueHealth, database, discord, media } = deps;
  const metrics = new Metrics({ guildLabels: deps.guildLabels });
  deps.closers.push(() => metrics.close());
  const lengths = new QueueLengths(async (guildId) => (await queue.list(guildId, 1, 1)).total);
  metrics.queueLengths(lengths);
  queueBus.subscribe((e) => {
    lengths.touch(e.guildId);
    if (e.type === 'item.voted') metrics.votes.inc();
    if (e.type === 'item.finished') metrics.tracksPlayed.inc({ status: e.item.status });
  });
  const checks: HealthCheck[] = [
    {
      name: 'redis',
      check: async () => {
        const h = queueHealth();
        return { ok: h.redis !== 'down', detail: { backend: h.backend, redis: h.redis } };
      },
    },
    {
      name: 'database',
      check: async () => {
        await database.ping();
        return { ok: true, detail: { kind: database.kind } };
      },
    },
    {
      name: 'discord',
      check: async () => {
        if (!discord) return { ok: true, detail: 'api-only mode (no DISCORD_TOKEN)' };
        const ready = discord.isReady();
        return { ok: ready, detail: { ready, ping_ms: discord.pingMs() } };
      },
    },
    // Providers: whether each one works, without its error texts or paths (those are for the
    // authenticated GET /api/v1/providers); a provider down does not make the instance unready.
    ...Object.keys(media.health()).map(
      (name): HealthCheck => ({
        name: `provider:${name}`,
        required: false,
        check: async () => ({ ok: media.health()[name]?.ok ?? false }),
      }),
    ),
  ];
  return { metrics, checks };
}
