/**
 * Runs `work(key)` at most once per `windowMs` for each key, never twice at once for the same key,
 * and once more after a run when it was triggered during that run. A burst of 50 votes becomes one
 * or two reads of the queue, and the last read always follows the last change.
 */
export class Coalescer {
  private readonly windowMs: number;
  private readonly work: (key: string) => Promise<void>;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private closed = false;

  constructor(windowMs: number, work: (key: string) => Promise<void>) {
    this.windowMs = windowMs;
    this.work = work;
  }

  trigger(key: string): void {
    if (this.closed || this.timers.has(key)) return;
    if (this.running.has(key)) {
      this.again.add(key);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.run(key);
    }, this.windowMs);
    timer.unref();
    this.timers.set(key, timer);
  }

  private run(key: string): void {
    const done = this.work(key)
      .catch(() => {})
      .finally(() => {
        this.running.delete(key);
        if (this.again.delete(key)) this.trigger(key);
      });
    this.running.set(key, done);
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.again.clear();
  }
}
