import type { EventBus } from '../core/events.ts';
import type { DiscordBot } from '../discord/bot.ts';
import { Metrics } from '../http/metrics.ts';
import type { HealthCheck } from '../http/routes/health.ts';
import type { QueueEvent } from '../queue/events.ts';
import type { QueueService } from '../queue/service.ts';
import type { DatabaseHandle } from '../storage/db/connection.ts';
import type { QueueStoreHealth } from '../storage/queue/resilient-store.ts';

/** Part of the composition root: Prometheus metrics fed by the queue's events, and the /healthz checks. */
export function observability(deps: {
  queue: QueueService;
  queueBus: EventBus<QueueEvent>;
  queueHealth: () => QueueStoreHealth;
  database: DatabaseHandle;
  discord: Pick<DiscordBot, 'isReady' | 'pingMs'> | null;
  media: { health(): Record<string, { ok: boolean; detail?: unknown }> };
}): { metrics: Metrics; checks: HealthCheck[] } {
  const { queue, queueBus, queueHealth, database, discord, media } = deps;
  const metrics = new Metrics();
  const activeGuilds = new Set<string>();
  metrics.queueLengths(async () => {
    const out: Record<string, number> = {};
    for (const guildId of activeGuilds) out[guildId] = (await queue.list(guildId, 1, 1)).total;
    return out;
  });
  queueBus.subscribe((e) => {
    activeGuilds.add(e.guildId);
    if (e.type === 'item.voted') metrics.votes.inc();
    if (e.type === 'item.finished') metrics.tracksPlayed.inc({ status: e.item.status });
  });
  const checks: HealthCheck[] = [
    {
      name: 'redis',
      check: async () => {
        const h = queueHealth();
        return { ok: h.redis !== 'down', detail: h };
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
    ...Object.keys(media.health()).map(
      (name): HealthCheck => ({
        name: `provider:${name}`,
        check: async () => media.health()[name] ?? { ok: false, detail: 'unknown provider' },
      }),
    ),
  ];
  return { metrics, checks };
}
