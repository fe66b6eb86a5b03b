import { and, count, eq, sql } from 'drizzle-orm';
import {
  type BlockEntry,
  type BlocklistRepository,
  blockKindSchema,
  blocklistFull,
  checkBlockEntries,
  checkBlockEntry,
  compareEntries,
  MAX_BLOCK_ENTRIES,
  type StoredBlockEntry,
} from './blocklist.ts';
import type { Database } from './connection.ts';
import { redacted } from './errors.ts';
import { blocklistEntries } from './schema.ts';
import { parseGuildId } from './validate.ts';

const t = blocklistEntries;

/** Rows per INSERT (4 parameters each, well under PostgreSQL's 65,535). */
const CHUNK = 1000;

/** Block lists in the blocklist_entries table. */
export class PgBlocklistRepository implements BlocklistRepository {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  async list(guildId: string): Promise<StoredBlockEntry[]> {
    const id = parseGuildId(guildId);
    const rows = await this.db
      .select({ kind: t.kind, value: t.value, normalized: t.normalized })
      .from(t)
      .where(eq(t.guildId, id))
      .catch(redacted);
    return rows.map((r) => ({ ...r, kind: blockKindSchema.parse(r.kind) })).sort(compareEntries);
  }

  async add(guildId: string, entries: BlockEntry[]): Promise<{ added: number; existing: number }> {
    const id = parseGuildId(guildId);
    const checked = checkBlockEntries(entries);
    const added = await this.db
      .transaction(async (tx) => {
        // One writer per guild at a time, so that the cap holds under concurrent imports.
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`blocklist:${id}`}))`);
        let inserted = 0;
        for (let i = 0; i < checked.length; i += CHUNK) {
          const rows = await tx
            .insert(t)
            .values(checked.slice(i, i + CHUNK).map((e) => ({ guildId: id, ...e })))
            .onConflictDoNothing({ target: [t.guildId, t.kind, t.normalized] })
            .returning({ id: t.id });
          inserted += rows.length;
        }
        const [row] = await tx.select({ n: count() }).from(t).where(eq(t.guildId, id));
        const total = Number(row?.n ?? 0);
        // Throwing rolls the whole batch back.
        if (total > MAX_BLOCK_ENTRIES) throw blocklistFull(total - inserted, inserted);
        return inserted;
      })
      .catch(redacted);
    return { added, existing: entries.length - added };
  }

  async remove(guildId: string, entry: BlockEntry): Promise<boolean> {
    const id = parseGuildId(guildId);
    const checked = checkBlockEntry(entry);
    const rows = await this.db
      .delete(t)
      .where(and(eq(t.guildId, id), eq(t.kind, checked.kind), eq(t.normalized, checked.normalized)))
      .returning({ id: t.id })
      .catch(redacted);
    return rows.length > 0;
  }
}
