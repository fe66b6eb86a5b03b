import { describe, expect, it } from 'vitest';
import { Metrics } from '../../../src/http/metrics.ts';
import { QueueLengths } from '../../../src/http/queue-lengths.ts';

const guild = (i: number) => String(100000000000000000n + BigInt(i));

/** Queue lengths read from a plain map, counting the reads. */
function source(lengths: Map<string, number>) {
  const counter = { reads: 0 };
  const tracker = new QueueLengths(async (g) => {
    counter.reads += 1;
    return lengths.get(g) ?? 0;
  });
  return { tracker, counter };
}

function value(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  if (!line) throw new Error(`no ${series} in the metrics`);
  return Number(line.slice(series.length + 1));
}

describe('Metrics: queue lengths', () => {
  it('reports totals without guild ids by default', async () => {
    const lengths = new Map([
      [guild(1), 3],
      [guild(2), 0],
      [guild(3), 4],
    ]);
    const { tracker } = source(lengths);
    const metrics = new Metrics();
    metrics.queueLengths(tracker);
    for (const g of lengths.keys()) tracker.touch(g);
    const text = await metrics.registry.metrics();
    metrics.close();
    expect(value(text, 'um_queue_length')).toBe(7);
    expect(value(text, 'um_queues_nonempty')).toBe(2);
    expect(text).not.toContain('guild_id');
    expect(text).not.toContain(guild(1));
  });

  it('lists each guild only when asked to (METRICS_GUILD_LABELS)', async () => {
    const lengths = new Map([[guild(1), 3]]);
    const { tracker } = source(lengths);
    const metrics = new Metrics({ guildLabels: true });
    metrics.queueLengths(tracker);
    tracker.touch(guild(1));
    expect(await metrics.registry.metrics()).toContain(`um_guild_queue_length{guild_id="${guild(1)}"} 3`);
    lengths.set(guild(1), 0);
    tracker.touch(guild(1));
    const text = await metrics.registry.metrics();
    metrics.close();
    expect(text).not.toContain(`guild_id="${guild(1)}"`);
    expect(value(text, 'um_queue_length')).toBe(0);
  });

  it('reads a bounded number of queues per scrape, however many guilds there are', async () => {
    const lengths = new Map(Array.from({ length: 2_006 }, (_, i) => [guild(i), 1] as const));
    const { tracker, counter } = source(lengths);
    const metrics = new Metrics();
    metrics.queueLengths(tracker);
    for (const g of lengths.keys()) tracker.touch(g);
    const perScrape: number[] = [];
    let total = 0;
    for (let i = 0; i < 25; i++) {
      const before = counter.reads;
      total = value(await metrics.registry.metrics(), 'um_queue_length');
      perScrape.push(counter.reads - before);
    }
    // Untouched guilds are not read again, except a few per scrape to notice changes made elsewhere.
    const quiet = counter.reads;
    await metrics.registry.metrics();
    metrics.close();
    expect(Math.max(...perScrape)).toBeLessThanOrEqual(110);
    expect(total).toBe(2_006);
    expect(counter.reads - quiet).toBeLessThanOrEqual(10);
  });

  it('shares one refresh between concurrent scrapes', async () => {
    const lengths = new Map([[guild(1), 2]]);
    const { tracker, counter } = source(lengths);
    const metrics = new Metrics();
    metrics.queueLengths(tracker);
    tracker.touch(guild(1));
    const texts = await Promise.all(Array.from({ length: 20 }, () => metrics.registry.metrics()));
    metrics.close();
    expect(texts.every((t) => value(t, 'um_queue_length') === 2)).toBe(true);
    expect(counter.reads).toBeLessThanOrEqual(2);
  });
});

describe('Metrics: event loop and requests', () => {
  it('reports the event-loop delay since the last scrape (p50, p99, max), and a block shows in max', async () => {
    const metrics = new Metrics();
    await metrics.registry.metrics();
    const blockedUntil = Date.now() + 60;
    while (Date.now() < blockedUntil) {
      // A busy loop: nothing else runs meanwhile.
    }
    let max = 0;
    let text = '';
    // The sampler notes the delay on its next tick after the block.
    while (max === 0) {
      await new Promise((resolve) => setTimeout(resolve, 15));
      text = await metrics.registry.metrics();
      max = value(text, 'um_event_loop_delay_seconds{quantile="max"}');
    }
    metrics.close();
    expect(max).toBeGreaterThanOrEqual(0.04);
    expect(value(text, 'um_event_loop_delay_seconds{quantile="0.5"}')).toBeGreaterThanOrEqual(0);
    expect(value(text, 'um_event_loop_delay_seconds{quantile="0.99"}')).toBeGreaterThanOrEqual(0);
  });

  it('counts votes and finished tracks, and times HTTP requests by route', async () => {
    const metrics = new Metrics();
    metrics.votes.inc();
    metrics.tracksPlayed.inc({ status: 'played' });
    metrics.observe('/api/v1/queue/{community_id}', 'GET', 200, 0.002);
    const text = await metrics.registry.metrics();
    metrics.close();
    expect(text).toContain('um_votes_total 1');
    expect(text).toContain('um_tracks_finished_total{status="played"} 1');
    expect(text).toContain(
      'um_http_request_duration_seconds_bucket{le="0.0025",route="/api/v1/queue/{community_id}",method="GET",status="200"} 1',
    );
  });
});
