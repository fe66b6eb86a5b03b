/**
 * Fixed-window request counter per key. Memory is bounded: windows that ended are dropped when the map
 * grows.
 */
export class RateLimiter {
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly windows = new Map<string, { start: number; count: number }>();
  private readonly now: () => number;

  constructor(limit: number, windowMs: number, now: () => number = Date.now) {
    this.limit = limit;
    this.windowMs = windowMs;
    this.now = now;
  }

  /** Counts one request for the key, or says how long until the key may make one again. */
  take(key: string): { ok: true } | { ok: false; retryAfterMs: number } {
    const verdict = this.peek(key);
    if (verdict.ok && this.limit > 0) this.window(key).count += 1;
    return verdict;
  }

  /** Whether the key may make a request now, without counting one. */
  peek(key: string): { ok: true } | { ok: false; retryAfterMs: number } {
    if (this.limit <= 0) return { ok: true };
    const w = this.window(key);
    if (w.count >= this.limit) return { ok: false, retryAfterMs: w.start + this.windowMs - this.now() };
    return { ok: true };
  }

  private window(key: string): { start: number; count: number } {
    const now = this.now();
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
      if (this.windows.size > 10_000) this.prune(now);
    }
    return w;
  }

  private prune(now: number): void {
    for (const [key, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(key);
  }
}
