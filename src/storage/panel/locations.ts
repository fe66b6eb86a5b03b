import type { RedisConnection } from '../queue/redis-client.ts';

/** Where a guild's control panel message is. */
export interface PanelLocation {
  channelId: string;
  messageId: string;
}

/** Each guild's one control panel message, kept across restarts. */
export interface PanelLocations {
  get(guildId: string): Promise<PanelLocation | null>;
  set(guildId: string, location: PanelLocation): Promise<void>;
  delete(guildId: string): Promise<void>;
}

export class MemoryPanelLocations implements PanelLocations {
  private readonly panels = new Map<string, PanelLocation>();

  async get(guildId: string): Promise<PanelLocation | null> {
    return this.panels.get(guildId) ?? null;
  }

  async set(guildId: string, location: PanelLocation): Promise<void> {
    this.panels.set(guildId, { ...location });
  }

  async delete(guildId: string): Promise<void> {
    this.panels.delete(guildId);
  }
}

/** The panel's place in Redis, `ns:{guildId}:panel` (JSON), in the guild's slot; it does not expire. */
export class RedisPanelLocations implements PanelLocations {
  private readonly redis: RedisConnection;
  private readonly namespace: string;

  constructor(redis: RedisConnection, namespace: string) {
    this.redis = redis;
    this.namespace = namespace;
  }

  private key(guildId: string): string {
    return `${this.namespace}:{${guildId}}:panel`;
  }

  async get(guildId: string): Promise<PanelLocation | null> {
    const raw = await this.redis.get(this.key(guildId));
    if (!raw) return null;
    try {
      const parsed = JSON.parse(raw) as Partial<PanelLocation>;
      if (typeof parsed.channelId === 'string' && typeof parsed.messageId === 'string')
        return { channelId: parsed.channelId, messageId: parsed.messageId };
    } catch {
      // A value that is not ours: as if there were no panel; the next /panel writes a good one.
    }
    return null;
  }

  async set(guildId: string, location: PanelLocation): Promise<void> {
    await this.redis.set(
      this.key(guildId),
      JSON.stringify({ channelId: location.channelId, messageId: location.messageId }),
    );
  }

  async delete(guildId: string): Promise<void> {
    await this.redis.del(this.key(guildId));
  }
}
