import type { Logger } from '../../core/logger.ts';
import type { GuildSnapshot } from './memory-guilds.ts';
import type { MemoryQueueStore } from './memory-store.ts';

/** How often a guild that is only read is copied again (a guild that changes is copied after each change). */
const READ_REFRESH_MS = 1_000;
/**
 * During a burst of changes, the next copy of a guild waits ten times as long as the last one took
 * (at most 200 ms): a short queue is copied again almost at once, a long one (a 500-song snapshot
 * takes ~6 ms, most of it parsing JSON on the event loop) costs at most a tenth of the loop.
 */
const SPACING = 10;
const MAX_SPACING_MS = 200;

/**
 * The queue store's local copy of the guilds it serves: the last state read from Redis, kept in an
 * in-memory store so that during a Redis outage reads of those guilds and votes on their items go on.
 * After a change made through this instance the guild is copied again (one snapshot at a time per
 * guild, spaced by its cost; changes made meanwhile are picked up by the next one); a guild that
 * is only read is copied at most once a second, which also picks up other instances' changes. A copy is only loaded while
 * `mayLoad()` says so: during an outage the copy is where votes are counted, and a late snapshot must
 * not overwrite them.
 */
export class LocalCopy {
  readonly store: MemoryQueueStore;
  private readonly source: { snapshot(guildId: string): Promise<GuildSnapshot> };
  private readonly mayLoad: () => boolean;
  private readonly logger: Logger;
  private readonly running = new Map<string, Promise<void>>();
  private readonly dirty = new Set<string>();
  private readonly copiedAt = new Map<string, number>();
  /** How long the last copy took (snapshot and load). */
  private costMs = 0;

  constructor(deps: {
    store: MemoryQueueStore;
    source: { snapshot(guildId: string): Promise<GuildSnapshot> };
    mayLoad: () => boolean;
    logger: Logger;
  }) {
    this.store = deps.store;
    this.source = deps.source;
    this.mayLoad = deps.mayLoad;
    this.logger = deps.logger;
  }

  /** Whether the copy holds state of the guild. */
  knows(guildId: string): boolean {
    return this.store.knows(guildId);
  }

  /** The guild changed on Redis: copy it again. */
  changed(guildId: string): void {
    this.dirty.add(guildId);
    if (!this.running.has(guildId)) this.running.set(guildId, this.copy(guildId));
  }

  /** The guild was read on Redis: copy it again unless the copy is recent. */
  read(guildId: string): void {
    const at = this.copiedAt.get(guildId);
    if (at === undefined || Date.now() - at > READ_REFRESH_MS || !this.knows(guildId)) this.changed(guildId);
  }

  /** Resolves when no copy is being taken (for tests and for an orderly shutdown). */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running.values());
  }

  private async copy(guildId: string): Promise<void> {
    try {
      while (this.dirty.delete(guildId)) {
        const wait =
          (this.copiedAt.get(guildId) ?? 0) + Math.min(this.costMs * SPACING, MAX_SPACING_MS) - Date.now();
        if (wait > 0) {
          await new Promise((resolve) => setTimeout(resolve, wait).unref());
          this.dirty.delete(guildId); // changes made meanwhile are in the snapshot below
        }
        const started = Date.now();
        const snapshot = await this.source.snapshot(guildId);
        if (!this.mayLoad()) return;
        this.store.load(guildId, snapshot);
        this.copiedAt.set(guildId, Date.now());
        this.costMs = Date.now() - started;
      }
    } catch (err) {
      // Redis went away meanwhile: the previous copy stays, which is what an outage is served from.
      this.logger.debug({ err: err instanceof Error ? err.message : String(err), guildId }, 'copy skipped');
    } finally {
      this.running.delete(guildId);
    }
  }
}
