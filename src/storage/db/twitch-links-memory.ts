import { UserError } from '../../core/errors.ts';
import type { TwitchLink, TwitchLinkRepository } from './twitch-links.ts';
import { parseGuildId } from './validate.ts';

/** Guilds' Twitch links in this process's memory (no database configured, and tests). */
export class MemoryTwitchLinkRepository implements TwitchLinkRepository {
  private readonly rows = new Map<string, TwitchLink>();

  async get(guildId: string): Promise<TwitchLink | null> {
    const row = this.rows.get(parseGuildId(guildId));
    return row ? structuredClone(row) : null;
  }

  async all(): Promise<TwitchLink[]> {
    return [...this.rows.values()].map((row) => structuredClone(row));
  }

  async save(link: Omit<TwitchLink, 'paused'>): Promise<TwitchLink> {
    const id = parseGuildId(link.guildId);
    for (const row of this.rows.values()) {
      if (row.channel === link.channel && row.guildId !== id) {
        throw new UserError(
          'CONFLICT',
          `The Twitch channel ${link.channel} is already linked to another server; unlink it there first.`,
        );
      }
    }
    const row: TwitchLink = { ...structuredClone(link), guildId: id, paused: null };
    this.rows.set(id, row);
    return structuredClone(row);
  }

  async pause(guildId: string, reason: string, at: number): Promise<boolean> {
    const row = this.rows.get(parseGuildId(guildId));
    if (!row) return false;
    row.paused = { reason: reason.slice(0, 500), at };
    return true;
  }

  async delete(guildId: string): Promise<boolean> {
    return this.rows.delete(parseGuildId(guildId));
  }
}
