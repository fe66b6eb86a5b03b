import { eq, sql } from 'drizzle-orm';
import { UserError } from '../../core/errors.ts';
import type { Database } from './connection.ts';
import { DatabaseError, redacted } from './errors.ts';
import { twitchLinks } from './schema.ts';
import {
  type ChatCommandWords,
  chatCommandsSchema,
  type TwitchLink,
  type TwitchLinkRepository,
} from './twitch-links.ts';
import { parseGuildId } from './validate.ts';

const t = twitchLinks;

function channelTaken(channel: string): UserError {
  return new UserError(
    'CONFLICT',
    `The Twitch channel ${channel} is already linked to another server; unlink it there first.`,
  );
}

function toLink(row: typeof t.$inferSelect): TwitchLink {
  const commands = chatCommandsSchema.safeParse(row.commands);
  return {
    guildId: row.guildId,
    channel: row.channel,
    commands: commands.success ? commands.data : (chatCommandsSchema.parse({}) as ChatCommandWords),
    paused: row.pausedReason !== null ? { reason: row.pausedReason, at: row.pausedAt?.getTime() ?? 0 } : null,
  };
}

/** Guilds' Twitch links in the twitch_links table. */
export class PgTwitchLinkRepository implements TwitchLinkRepository {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  async get(guildId: string): Promise<TwitchLink | null> {
    const id = parseGuildId(guildId);
    const [row] = await this.db.select().from(t).where(eq(t.guildId, id)).catch(redacted);
    return row ? toLink(row) : null;
  }

  async all(): Promise<TwitchLink[]> {
    return (await this.db.select().from(t).catch(redacted)).map(toLink);
  }

  async save(link: Omit<TwitchLink, 'paused'>): Promise<TwitchLink> {
    const id = parseGuildId(link.guildId);
    const values = { channel: link.channel, commands: link.commands, pausedReason: null, pausedAt: null };
    const [other] = await this.db.select().from(t).where(eq(t.channel, link.channel)).catch(redacted);
    if (other && other.guildId !== id) throw channelTaken(link.channel);
    const [row] = await this.db
      .insert(t)
      .values({ ...values, guildId: id })
      .onConflictDoUpdate({ target: t.guildId, set: { ...values, updatedAt: sql`now()` } })
      .returning()
      .catch(redacted)
      .catch((err: unknown) => {
        // Another guild took the channel between the check and the write.
        if (err instanceof DatabaseError && err.code === '23505') throw channelTaken(link.channel);
        throw err;
      });
    return toLink(row!);
  }

  async pause(guildId: string, reason: string, at: number): Promise<boolean> {
    const id = parseGuildId(guildId);
    const updated = await this.db
      .update(t)
      .set({ pausedReason: reason.slice(0, 500), pausedAt: new Date(at), updatedAt: sql`now()` })
      .where(eq(t.guildId, id))
      .returning({ guildId: t.guildId })
      .catch(redacted);
    return updated.length > 0;
  }

  async delete(guildId: string): Promise<boolean> {
    const id = parseGuildId(guildId);
    const deleted = await this.db
      .delete(t)
      .where(eq(t.guildId, id))
      .returning({ guildId: t.guildId })
      .catch(redacted);
    return deleted.length > 0;
  }
}
