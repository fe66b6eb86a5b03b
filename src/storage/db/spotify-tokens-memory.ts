import type { SpotifyAccount, SpotifyTokenRepository, SpotifyTokens } from './spotify-tokens.ts';
import { parseGuildId } from './validate.ts';

/** Linked Spotify accounts in this process's memory, for tests of the services that use them. */
export class MemorySpotifyTokenRepository implements SpotifyTokenRepository {
  private readonly rows = new Map<string, SpotifyAccount>();

  async get(guildId: string): Promise<SpotifyAccount | null> {
    const row = this.rows.get(parseGuildId(guildId));
    return row ? { ...row } : null;
  }

  async link(account: SpotifyAccount): Promise<void> {
    const id = parseGuildId(account.guildId);
    this.rows.set(id, { ...account, guildId: id });
  }

  async updateTokens(guildId: string, tokens: SpotifyTokens): Promise<boolean> {
    const id = parseGuildId(guildId);
    const row = this.rows.get(id);
    if (!row) return false;
    this.rows.set(id, { ...row, ...tokens });
    return true;
  }

  async setDevice(guildId: string, deviceId: string | null): Promise<boolean> {
    const id = parseGuildId(guildId);
    const row = this.rows.get(id);
    if (!row) return false;
    this.rows.set(id, { ...row, deviceId });
    return true;
  }

  async delete(guildId: string): Promise<boolean> {
    return this.rows.delete(parseGuildId(guildId));
  }
}
