import type { Clock } from '../core/clock.ts';
import { UserError } from '../core/errors.ts';
import type { EventBus } from '../core/events.ts';
import type { QueueItem } from '../core/track.ts';
import type { QueueStore } from '../storage/queue/store.ts';
import { announce } from './announce.ts';
import type { QueueEvent } from './events.ts';
import { checkGuild, checkItem, notQueued } from './validate.ts';

export interface QueueLifecycleDeps {
  store: Pick<QueueStore, 'start' | 'finish'>;
  bus: Pick<EventBus<QueueEvent>, 'publish'>;
  clock: Clock;
}

/**
 * The status lifecycle of a guild's items: queued -> playing -> played | skipped, at most one
 * playing per guild. The queue service delegates to it; the player drives it.
 */
export class QueueLifecycle {
  private readonly deps: QueueLifecycleDeps;

  constructor(deps: QueueLifecycleDeps) {
    this.deps = deps;
  }

  /**
   * Marks an item (by default the next one) playing.
   * @throws UserError QUEUE_EMPTY, ITEM_NOT_FOUND, CONFLICT (something is already playing)
   */
  async markPlaying(guildId: string, itemId?: string): Promise<QueueItem> {
    checkGuild(guildId);
    if (itemId !== undefined) checkItem(itemId);
    const outcome = await this.deps.store.start(guildId, itemId ?? null, this.isoNow());
    if (!outcome.ok) {
      if (outcome.reason === 'QUEUE_EMPTY') throw new UserError('QUEUE_EMPTY', 'The queue is empty.');
      if (outcome.reason === 'ALREADY_PLAYING')
        throw new UserError('CONFLICT', 'Something is already playing.');
      throw notQueued();
    }
    announce(this.deps.bus, { type: 'item.started', guildId, item: outcome.item }, 'start');
    return outcome.item;
  }

  /**
   * Ends the playing item as played or skipped (recorded in history and stats). Returns it, or null
   * when nothing was playing. @throws UserError INVALID_INPUT (a bad played time)
   */
  async finish(guildId: string, status: 'played' | 'skipped', playedMs?: number): Promise<QueueItem | null> {
    checkGuild(guildId);
    if (playedMs !== undefined && (!Number.isFinite(playedMs) || playedMs < 0)) {
      throw new UserError('INVALID_INPUT', 'The played time must be a positive number of milliseconds.');
    }
    const item = await this.deps.store.finish(guildId, status, this.isoNow(), playedMs ?? null);
    if (item) announce(this.deps.bus, { type: 'item.finished', guildId, item }, 'finish');
    return item;
  }

  private isoNow(): string {
    return new Date(this.deps.clock.now()).toISOString();
  }
}
