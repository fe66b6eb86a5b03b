import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus metrics for /metrics. One registry per app, so tests can run several apps in one process. */
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
  /** Read when /metrics is scraped (see `queueLengths`). */
  private lengths: () => Promise<Record<string, number>> = async () => ({});
  readonly queueLength = new Gauge({
    name: 'um_queue_length',
    help: 'Queued songs per guild, for guilds with activity since start',
    labelNames: ['guild_id'] as const,
    registers: [this.registry],
    collect: async () => {
      this.queueLength.reset();
      for (const [guild, n] of Object.entries(await this.lengths()))
        this.queueLength.set({ guild_id: guild }, n);
    },
  });
  readonly componentUp = new Gauge({
    name: 'um_component_up',
    help: '1 when a component (redis, database, discord, provider:<name>) is healthy, else 0',
    labelNames: ['component'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'um_' });
  }

  /** Where the queue lengths come from at each scrape. */
  queueLengths(read: () => Promise<Record<string, number>>): void {
    this.lengths = read;
  }

  observe(route: string, method: string, status: number, seconds: number): void {
    this.httpDuration.observe({ route, method, status: String(status) }, seconds);
  }
}
