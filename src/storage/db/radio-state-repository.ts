import { eq, sql } from 'drizzle-orm';
import type { Database } from './connection.ts';
import { redacted } from './errors.ts';
import {
  byGuildId,
  parseRadioMode,
  parseRadioState,
  type RadioMode,
  type RadioState,
  type RadioStateRepository,
} from './radio-state.ts';
import { musicRadioState } from './schema.ts';
import { parseGuildId } from './validate.ts';

const t = musicRadioState;
type Row = typeof t.$inferSelect;

/** Guild modes in the music_radio_state table. */
export class PgRadioStateRepository implements RadioStateRepository {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  async get(guildId: string): Promise<RadioState | null> {
    const id = parseGuildId(guildId);
    const [row] = await this.db.select().from(t).where(eq(t.communityId, id)).catch(redacted);
    return row ? fromRow(row) : null;
  }

  async save(input: RadioState): Promise<void> {
    const state = parseRadioState(input);
    const values = {
      mode: state.mode,
      previousMode: state.previousMode,
      musicPausedOnSwitch: state.musicPausedOnSwitch,
      switchedAt: state.switchedAt === null ? null : new Date(state.switchedAt),
      currentStationName: state.stationName,
      currentStationUrl: state.stationUrl,
      voiceChannelId: state.voiceChannelId ?? null,
    };
    await this.db
      .insert(t)
      .values({ ...values, communityId: state.guildId })
      .onConflictDoUpdate({ target: t.communityId, set: { ...values, updatedAt: sql`now()` } })
      .catch(redacted);
  }

  async listByMode(mode: RadioMode): Promise<RadioState[]> {
    const rows = await this.db
      .select()
      .from(t)
      .where(eq(t.mode, parseRadioMode(mode)))
      .catch(redacted);
    return rows.map(fromRow).sort(byGuildId);
  }
}

function fromRow(row: Row): RadioState {
  return {
    guildId: row.communityId,
    mode: parseRadioMode(row.mode),
    previousMode: row.previousMode === null ? null : parseRadioMode(row.previousMode),
    musicPausedOnSwitch: row.musicPausedOnSwitch === true,
    switchedAt: row.switchedAt?.toISOString() ?? null,
    stationName: row.currentStationName,
    stationUrl: row.currentStationUrl,
    ...(row.voiceChannelId ? { voiceChannelId: row.voiceChannelId } : {}),
  };
}
