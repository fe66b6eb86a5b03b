import { and, eq, inArray, sql } from 'drizzle-orm';
import { trackSchema } from '../../core/track.ts';
import type { Database } from './connection.ts';
import { redacted } from './errors.ts';
import {
  byOwnerAndName,
  durationOf,
  type Playlist,
  type PlaylistOwner,
  type PlaylistRepository,
  type PlaylistSummary,
  parseOwner,
  parsePlaylistName,
  parsePlaylistTracks,
  playlistCap,
  playlistExists,
  playlistLimit,
} from './playlists.ts';
import { savedPlaylists } from './schema.ts';
import { parseGuildId } from './validate.ts';

const t = savedPlaylists;

const summaryColumns = {
  name: t.name,
  owner: t.owner,
  createdBy: t.createdBy,
  trackCount: t.trackCount,
  durationMs: t.durationMs,
  createdAt: t.createdAt,
};

type SummaryRow = { [K in keyof typeof summaryColumns]: (typeof t.$inferSelect)[K] };

/** Saved playlists in the saved_playlists table, the tracks as a JSONB array in play order. */
export class PgPlaylistRepository implements PlaylistRepository {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  async list(guildId: string, memberId: string | null): Promise<PlaylistSummary[]> {
    const id = parseGuildId(guildId);
    const owners = memberId === null ? ['guild'] : ['guild', parseOwner(memberId)];
    const rows = await this.db
      .select(summaryColumns)
      .from(t)
      .where(and(eq(t.guildId, id), inArray(t.owner, owners)))
      .catch(redacted);
    return rows.map(fromSummaryRow).sort(byOwnerAndName);
  }

  async get(guildId: string, owner: PlaylistOwner, name: string): Promise<Playlist | null> {
    const [row] = await this.db
      .select()
      .from(t)
      .where(this.match(guildId, owner, name))
      .catch(redacted);
    if (!row) return null;
    // Rows are written by `create` only; a row that no longer reads as tracks is a bug to see.
    const tracks = trackSchema.array().parse(row.tracks);
    return { ...fromSummaryRow(row), tracks };
  }

  async create(
    guildId: string,
    input: { owner: PlaylistOwner; name: string; createdBy: string; tracks: unknown },
  ): Promise<Playlist> {
    const id = parseGuildId(guildId);
    const owner = parseOwner(input.owner);
    const name = parsePlaylistName(input.name);
    const createdBy = parseOwner(input.createdBy);
    const tracks = parsePlaylistTracks(input.tracks);
    const cap = playlistCap(owner);
    const row = await this.db
      .transaction(async (tx) => {
        // One writer per guild and owner at a time, so that two saves cannot both pass the cap.
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`playlists:${id}:${owner}`}))`);
        const [taken] = await tx
          .select({ name: t.name })
          .from(t)
          .where(and(eq(t.guildId, id), eq(t.owner, owner), eq(sql`lower(${t.name})`, name.toLowerCase())));
        if (taken) {
          throw playlistExists(taken.name);
        }
        const [counted] = await tx
          .select({ n: sql<number>`count(*)::int` })
          .from(t)
          .where(and(eq(t.guildId, id), eq(t.owner, owner)));
        if ((counted?.n ?? 0) >= cap) {
          throw playlistLimit(owner);
        }
        const [inserted] = await tx
          .insert(t)
          .values({
            guildId: id,
            owner,
            name,
            createdBy,
            tracks,
            trackCount: tracks.length,
            durationMs: durationOf(tracks),
          })
          .returning();
        return inserted;
      })
      .catch(redacted);
    if (!row) throw new Error(`saved_playlists insert returned no row for guild ${id}`);
    return { ...fromSummaryRow(row), tracks };
  }

  async remove(guildId: string, owner: PlaylistOwner, name: string): Promise<boolean> {
    const deleted = await this.db
      .delete(t)
      .where(this.match(guildId, owner, name))
      .returning({ id: t.id })
      .catch(redacted);
    return deleted.length > 0;
  }

  private match(guildId: string, owner: PlaylistOwner, name: string) {
    return and(
      eq(t.guildId, parseGuildId(guildId)),
      eq(t.owner, parseOwner(owner)),
      eq(sql`lower(${t.name})`, parsePlaylistName(name).toLowerCase()),
    );
  }
}

function fromSummaryRow(row: SummaryRow): PlaylistSummary {
  return {
    name: row.name,
    owner: row.owner,
    createdBy: row.createdBy,
    trackCount: row.trackCount,
    durationMs: row.durationMs,
    createdAt: row.createdAt.toISOString(),
  };
}
