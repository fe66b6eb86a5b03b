import type { GuildAccess, GuildState } from './memory-guilds.ts';
import type { DevicePlayback, PlaybackSnapshot, QueueStore } from './store.ts';

type RecordKind = 'playback' | 'device';

/**
 * The in-memory store's records beside the queue: message links and where playback is. They live
 * in the guild's state, so they expire with it as the Redis keys do.
 */
export class MemoryRecords
  implements
    Pick<
      QueueStore,
      | 'linkMessage'
      | 'itemForMessage'
      | 'savePlayback'
      | 'playbackSnapshots'
      | 'saveDevicePlayback'
      | 'devicePlaybacks'
    >
{
  private readonly guilds: GuildAccess;

  constructor(guilds: GuildAccess) {
    this.guilds = guilds;
  }

  async linkMessage(guildId: string, messageId: string, itemId: string): Promise<void> {
    this.guilds.write(guildId).messages.set(messageId, itemId);
  }

  async itemForMessage(guildId: string, messageId: string): Promise<string | null> {
    return this.guilds.read(guildId)?.messages.get(messageId) ?? null;
  }

  async savePlayback(guildId: string, snapshot: PlaybackSnapshot | null): Promise<void> {
    this.save(guildId, 'playback', snapshot);
  }

  async playbackSnapshots(): Promise<PlaybackSnapshot[]> {
    return this.all('playback');
  }

  async saveDevicePlayback(guildId: string, record: DevicePlayback | null): Promise<void> {
    this.save(guildId, 'device', record);
  }

  async devicePlaybacks(): Promise<DevicePlayback[]> {
    return this.all('device');
  }

  /** Forgetting only reads: it neither creates a guild's state nor pushes back its expiry. */
  private save<K extends RecordKind>(guildId: string, kind: K, value: GuildState[K]): void {
    if (value) this.guilds.write(guildId)[kind] = structuredClone(value);
    else {
      const g = this.guilds.read(guildId);
      if (g) g[kind] = null;
    }
  }

  private all<K extends RecordKind>(kind: K): NonNullable<GuildState[K]>[] {
    const out: NonNullable<GuildState[K]>[] = [];
    for (const id of this.guilds.ids()) {
      const record = this.guilds.read(id)?.[kind];
      if (record) out.push(structuredClone(record));
    }
    return out;
  }
}
