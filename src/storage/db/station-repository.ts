import { and, eq, sql } from 'drizzle-orm';
import type { Database } from './connection.ts';
import { redacted } from './errors.ts';
import { musicProviderConfig } from './schema.ts';
import {
  byName,
  fromStored,
  parseStation,
  parseStationName,
  type Station,
  type StationInput,
  type StationRepository,
  toStoredConfig,
} from './stations.ts';
import { parseGuildId } from './validate.ts';

const t = musicProviderConfig;

/** Radio stations in the music_provider_config table, the station JSON in `config`. */
export class PgStationRepository implements StationRepository {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  async list(guildId: string): Promise<Station[]> {
    const id = parseGuildId(guildId);
    const rows = await this.db.select().from(t).where(eq(t.communityId, id)).catch(redacted);
    return rows.map(fromStored).sort(byName);
  }

  async get(guildId: string, name: string): Promise<Station | null> {
    const id = parseGuildId(guildId);
    const [row] = await this.db
      .select()
      .from(t)
      .where(and(eq(t.communityId, id), eq(t.name, parseStationName(name))))
      .catch(redacted);
    return row ? fromStored(row) : null;
  }

  async upsert(guildId: string, input: StationInput): Promise<Station> {
    const id = parseGuildId(guildId);
    const station = parseStation(input);
    const values = {
      providerType: station.provider,
      config: toStoredConfig(station),
      isEnabled: station.enabled,
    };
    const [row] = await this.db
      .insert(t)
      .values({ ...values, communityId: id, name: station.name })
      .onConflictDoUpdate({ target: [t.communityId, t.name], set: { ...values, updatedAt: sql`now()` } })
      .returning()
      .catch(redacted);
    if (!row) throw new Error(`music_provider_config upsert returned no row for guild ${id}`);
    return fromStored(row);
  }

  async remove(guildId: string, name: string): Promise<boolean> {
    const id = parseGuildId(guildId);
    const deleted = await this.db
      .delete(t)
      .where(and(eq(t.communityId, id), eq(t.name, parseStationName(name))))
      .returning({ id: t.id })
      .catch(redacted);
    return deleted.length > 0;
  }
}
