import { describe, expect, it } from 'vitest';
import { Metrics } from '../../../src/http/metrics.ts';

describe('Metrics', () => {
  it('reads the queue lengths at each scrape', async () => {
    const metrics = new Metrics();
    let lengths: Record<string, number> = { '100000000000000001': 3 };
    metrics.queueLengths(async () => lengths);
    expect(await metrics.registry.metrics()).toContain('um_queue_length{guild_id="100000000000000001"} 3');
    lengths = { '100000000000000002': 0 };
    const text = await metrics.registry.metrics();
    expect(text).toContain('um_queue_length{guild_id="100000000000000002"} 0');
    expect(text).not.toContain('guild_id="100000000000000001"');
  });

  it('counts votes and finished tracks, and times HTTP requests by route', async () => {
    const metrics = new Metrics();
    metrics.votes.inc();
    metrics.tracksPlayed.inc({ status: 'played' });
    metrics.observe('/api/v1/queue/{community_id}', 'GET', 200, 0.002);
    const text = await metrics.registry.metrics();
    expect(text).toContain('um_votes_total 1');
    expect(text).toContain('um_tracks_finished_total{status="played"} 1');
    expect(text).toContain(
      'um_http_request_duration_seconds_bucket{le="0.0025",route="/api/v1/queue/{community_id}",method="GET",status="200"} 1',
    );
  });
});
