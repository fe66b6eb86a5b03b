import type { Clock } from '../core/clock.ts';
import type { DevicePlayback, PlaybackSnapshot, QueueStore } from '../storage/queue/store.ts';
import { checkGuild, checkItem } from './validate.ts';

/** The store methods that keep a guild's side records (message links, where playback is). */
export type RecordStore = Pick<
  QueueStore,
  | 'linkMessage'
  | 'itemForMessage'
  | 'savePlayback'
  | 'playbackSnapshots'
  | 'saveDevicePlayback'
  | 'devicePlaybacks'
>;

/**
 * A guild's records beside its queue: which Discord message shows which item (its reactions vote),
 * and where playback is (the voice player's snapshot, the Spotify device's item), so that a
 * restarted process picks up where it was. They expire with the guild's queue.
 */
export class QueueRecords {
  private readonly store: RecordStore;
  private readonly clock: Clock;

  constructor(store: RecordStore, clock: Clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Links a Discord message to a queue item. @throws UserError INVALID_INPUT */
  async linkMessage(guildId: string, messageId: string, itemId: string): Promise<void> {
    checkGuild(guildId);
    checkItem(itemId);
    await this.store.linkMessage(guildId, messageId, itemId);
  }

  /** The item a message was linked to, or null. @throws UserError INVALID_INPUT */
  async itemForMessage(guildId: string, messageId: string): Promise<string | null> {
    checkGuild(guildId);
    return this.store.itemForMessage(guildId, messageId);
  }

  /** Saves (or, with null, forgets) a guild's voice playback, stamped now. @throws UserError INVALID_INPUT */
  async savePlayback(
    guildId: string,
    snapshot: Omit<PlaybackSnapshot, 'guildId' | 'savedAt'> | null,
  ): Promise<void> {
    checkGuild(guildId);
    await this.store.savePlayback(
      guildId,
      snapshot ? { ...snapshot, guildId, savedAt: this.isoNow() } : null,
    );
  }

  playbackSnapshots(): Promise<PlaybackSnapshot[]> {
    return this.store.playbackSnapshots();
  }

  /** Records (or, with null, forgets) the item a guild plays on its Spotify device. @throws UserError INVALID_INPUT */
  async saveDevicePlayback(guildId: string, itemId: string | null): Promise<void> {
    checkGuild(guildId);
    const record = itemId ? { guildId, itemId, savedAt: this.isoNow() } : null;
    await this.store.saveDevicePlayback(guildId, record);
  }

  devicePlaybacks(): Promise<DevicePlayback[]> {
    return this.store.devicePlaybacks();
  }

  private isoNow(): string {
    return new Date(this.clock.now()).toISOString();
  }
}
