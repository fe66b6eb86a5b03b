import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { LoopDelay } from './loop-delay.ts';
import type { QueueLengths } from './queue-lengths.ts';

export interface MetricsOptions {
  /** Also list each guild's queue length (`um_guild_queue_length{guild_id}`); off: totals only. */
  guildLabels?: boolean;
}

/**
 * Prometheus metrics for /metrics. One registry per app, so tests can run several apps in one process.
 * /metrics needs no token: by default nothing in it names a guild.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'um_http_request_duration_seconds',
    help: 'HTTP request duration by route, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  readonly tracksPlayed = new Counter({
    name: 'um_tracks_finished_total',
    help: 'Tracks that finished playing, by status (played or skipped)',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });
  readonly votes = new Counter({
    name: 'um_votes_total',
    help: 'Votes cast (and switched or withdrawn)',
    registers: [this.registry],
  });
  readonly componentUp = new Gauge({
    name: 'um_component_up',
    help: '1 when a component (redis, database, discord, provider:<name>) is healthy, else 0',
    labelNames: ['component'] as const,
    registers: [this.registry],
  });
  /** Where the queue lengths come from; set by `queueLengths`. */
  private lengths: QueueLengths | null = null;
  private readonly loopDelay = new LoopDelay(10);

  constructor(options: MetricsOptions = {}) {
    collectDefaultMetrics({ register: this.registry, prefix: 'um_' });
    const refreshed = async () => {
      await this.lengths?.refresh();
      return this.lengths;
    };
    new Gauge({
      name: 'um_queue_length',
      help: 'Queued songs, all guilds with activity since start together',
      registers: [this.registry],
      async collect() {
        this.set((await refreshed())?.total() ?? 0);
      },
    });
    new Gauge({
      name: 'um_queues_nonempty',
      help: 'Guilds with at least one queued song',
      registers: [this.registry],
      async collect() {
        this.set((await refreshed())?.guilds() ?? 0);
      },
    });
    if (options.guildLabels) {
      new Gauge({
        name: 'um_guild_queue_length',
        help: 'Queued songs per guild (METRICS_GUILD_LABELS=true)',
        labelNames: ['guild_id'] as const,
        registers: [this.registry],
        async collect() {
          this.reset();
          for (const [guildId, n] of (await refreshed())?.entries() ?? []) this.set({ guild_id: guildId }, n);
        },
      });
    }
    const delay = this.loopDelay;
    new Gauge({
      name: 'um_event_loop_delay_seconds',
      help: 'How late a 10 ms timer ran, since the previous scrape (quantile 0.5, 0.99 and max)',
      labelNames: ['quantile'] as const,
      registers: [this.registry],
      collect() {
        const d = delay.take();
        this.set({ quantile: '0.5' }, d.p50);
        this.set({ quantile: '0.99' }, d.p99);
        this.set({ quantile: 'max' }, d.max);
      },
    });
  }

  /** Where the queue lengths come from: a tracker fed by the queue's events. */
  queueLengths(lengths: QueueLengths): void {
    this.lengths = lengths;
  }

  observe(route: string, method: string, status: number, seconds: number): void {
    this.httpDuration.observe({ route, method, status: String(status) }, seconds);
  }

  /** Stops sampling the event loop. */
  close(): void {
    this.loopDelay.close();
  }
}
