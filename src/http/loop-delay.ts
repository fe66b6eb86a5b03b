import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';

/**
 * Samples the event loop's delay: a timer due every `resolutionMs` notes how late it ran. This is what
 * `perf_hooks.monitorEventLoopDelay` does, except that its `reset()` also forgets the last tick, so a
 * block right after a scrape (such as one the scrape itself caused) would never show; here a window
 * starts without losing the tick in progress.
 */
export class LoopDelay {
  private histogram: RecordableHistogram = createHistogram();
  private readonly timer: NodeJS.Timeout;

  constructor(resolutionMs = 10) {
    const expected = BigInt(resolutionMs) * 1_000_000n;
    let last = process.hrtime.bigint();
    this.timer = setInterval(() => {
      const now = process.hrtime.bigint();
      const late = now - last - expected;
      last = now;
      this.histogram.record(late > 0n ? late : 1n);
    }, resolutionMs);
    this.timer.unref();
  }

  /** p50, p99 and max of the delays since the previous call, in seconds (0 without samples); starts a new window. */
  take(): { p50: number; p99: number; max: number } {
    const h = this.histogram;
    this.histogram = createHistogram();
    if (h.count === 0) return { p50: 0, p99: 0, max: 0 };
    return { p50: h.percentile(50) / 1e9, p99: h.percentile(99) / 1e9, max: h.max / 1e9 };
  }

  close(): void {
    clearInterval(this.timer);
  }
}
