/**
 * The queue lengths /metrics reports, kept up to date at a cost that does not grow with the number of
 * guilds: a guild whose queue changed (`touch`) is read again at the next scrape, at most
 * `maxReadsPerRefresh` of them (the rest wait for the next one), plus a few of the longest-unread
 * ones, so that changes this instance did not see (another instance, an expired queue) show in time.
 */
export class QueueLengths {
  private readonly read: (guildId: string) => Promise<number>;
  private readonly maxReads: number;
  private readonly sweep: number;
  /** Guilds with a non-empty queue, least recently read first. */
  private readonly lengths = new Map<string, number>();
  private readonly dirty = new Set<string>();
  private sum = 0;
  private running: Promise<void> | null = null;

  constructor(
    read: (guildId: string) => Promise<number>,
    options: { maxReadsPerRefresh?: number; sweepPerRefresh?: number } = {},
  ) {
    this.read = read;
    this.maxReads = options.maxReadsPerRefresh ?? 100;
    this.sweep = options.sweepPerRefresh ?? 10;
  }

  /** The guild's queue changed: read it at the next refresh. */
  touch(guildId: string): void {
    this.dirty.add(guildId);
  }

  /** Reads the changed guilds (and a few old ones); concurrent callers share one refresh. */
  refresh(): Promise<void> {
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Queued songs in every guild known here. */
  total(): number {
    return this.sum;
  }

  /** Guilds with at least one queued song. */
  guilds(): number {
    return this.lengths.size;
  }

  entries(): IterableIterator<[string, number]> {
    return this.lengths.entries();
  }

  private async run(): Promise<void> {
    const batch: string[] = [];
    for (const guildId of this.dirty) {
      if (batch.length >= this.maxReads) break;
      batch.push(guildId);
    }
    for (const guildId of batch) this.dirty.delete(guildId);
    let swept = 0;
    for (const guildId of this.lengths.keys()) {
      if (swept >= this.sweep) break;
      if (!batch.includes(guildId)) batch.push(guildId);
      swept += 1;
    }
    const read = await Promise.all(
      batch.map((guildId) =>
        this.read(guildId).then(
          (n) => ({ guildId, n }),
          () => null,
        ),
      ),
    );
    for (const r of read) {
      if (r === null) continue;
      this.sum -= this.lengths.get(r.guildId) ?? 0;
      this.lengths.delete(r.guildId);
      if (r.n > 0) {
        this.lengths.set(r.guildId, r.n);
        this.sum += r.n;
      }
    }
  }
}
