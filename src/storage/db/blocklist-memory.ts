import {
  type BlockEntry,
  type BlocklistRepository,
  blocklistFull,
  checkBlockEntries,
  checkBlockEntry,
  compareEntries,
  MAX_BLOCK_ENTRIES,
  type StoredBlockEntry,
} from './blocklist.ts';
import { parseGuildId } from './validate.ts';

/** Block lists in this process's memory, for tests of the services that read them. */
export class MemoryBlocklistRepository implements BlocklistRepository {
  private readonly guilds = new Map<string, Map<string, StoredBlockEntry>>();

  async list(guildId: string): Promise<StoredBlockEntry[]> {
    const entries = this.guilds.get(parseGuildId(guildId));
    return entries ? [...entries.values()].map((e) => ({ ...e })).sort(compareEntries) : [];
  }

  async add(guildId: string, entries: BlockEntry[]): Promise<{ added: number; existing: number }> {
    const id = parseGuildId(guildId);
    const checked = checkBlockEntries(entries);
    const current = this.guilds.get(id) ?? new Map<string, StoredBlockEntry>();
    const fresh = checked.filter((e) => !current.has(key(e)));
    if (current.size + fresh.length > MAX_BLOCK_ENTRIES) throw blocklistFull(current.size, fresh.length);
    for (const e of fresh) current.set(key(e), e);
    this.guilds.set(id, current);
    return { added: fresh.length, existing: entries.length - fresh.length };
  }

  async remove(guildId: string, entry: BlockEntry): Promise<boolean> {
    const checked = checkBlockEntry(entry);
    return this.guilds.get(parseGuildId(guildId))?.delete(key(checked)) ?? false;
  }
}

function key(e: StoredBlockEntry): string {
  return `${e.kind}\u0000${e.normalized}`;
}
