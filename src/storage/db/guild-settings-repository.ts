import { eq, sql } from 'drizzle-orm';
import type { Database } from './connection.ts';
import { redacted } from './errors.ts';
import {
  defaultGuildSettings,
  type GuildSettings,
  type GuildSettingsPatch,
  type GuildSettingsRepository,
  parseGuildSettingsPatch,
  queueOrderSchema,
  requestAccessSchema,
  requestSourceSchema,
  spotifyModeSchema,
} from './guild-settings.ts';
import { guildSettings } from './schema.ts';
import { parseGuildId } from './validate.ts';

type Row = typeof guildSettings.$inferSelect;

/** Guild settings in the guild_settings table. */
export class PgGuildSettingsRepository implements GuildSettingsRepository {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  async get(guildId: string): Promise<GuildSettings> {
    const id = parseGuildId(guildId);
    const [row] = await this.db
      .select()
      .from(guildSettings)
      .where(eq(guildSettings.guildId, id))
      .catch(redacted);
    return row ? fromRow(row) : defaultGuildSettings(id);
  }

  async update(guildId: string, patch: GuildSettingsPatch): Promise<GuildSettings> {
    const id = parseGuildId(guildId);
    const changes = parseGuildSettingsPatch(patch);
    const [row] = await this.db
      .insert(guildSettings)
      .values({ ...changes, guildId: id })
      .onConflictDoUpdate({ target: guildSettings.guildId, set: { ...changes, updatedAt: sql`now()` } })
      .returning()
      .catch(redacted);
    if (!row) throw new Error(`guild_settings upsert returned no row for guild ${id}`);
    return fromRow(row);
  }
}

function fromRow(row: Row): GuildSettings {
  return {
    guildId: row.guildId,
    djRoleId: row.djRoleId,
    voteSkipRatio: row.voteSkipRatio,
    overlayKeyHash: row.overlayKeyHash,
    maxQueueLength: row.maxQueueLength,
    maxPerUser: row.maxPerUser,
    defaultVolume: row.defaultVolume,
    stayInVoice: row.stayInVoice,
    requestAccess: requestAccessSchema.parse(row.requestAccess),
    requestRoleId: row.requestRoleId,
    maxTrackSeconds: row.maxTrackSeconds,
    allowLive: row.allowLive,
    requestCooldownSeconds: row.requestCooldownSeconds,
    allowedSources: row.allowedSources.map((source) => requestSourceSchema.parse(source)),
    queueOrder: queueOrderSchema.parse(row.queueOrder),
    ...(row.spotifyMode !== null && { spotifyMode: spotifyModeSchema.parse(row.spotifyMode) }),
  };
}
