import { UserError } from '../core/errors.ts';
import { parseBlocklistCsv } from '../queue/blocklist-csv.ts';
import {
  type BlockEntry,
  type BlockKind,
  checkBlockEntry,
  type StoredBlockEntry,
} from '../storage/db/blocklist.ts';
import { type DjRoleOf, defineAction } from './define.ts';
import type { BlocklistPort } from './ports.ts';

export interface BlocklistActionsDeps {
  blocklist: BlocklistPort;
  djRoleOf: DjRoleOf;
}

/** What an import did. */
export interface BlocklistImport {
  /** Entries new to the list. */
  added: number;
  /** Entries already on it, or repeated in the file. */
  existing: number;
  /** Entries on the list after the import. */
  total: number;
}

/** A guild's block lists (tracks, artists, keywords), managed by DJs and admins. */
export function blocklistActions(deps: BlocklistActionsDeps) {
  const { blocklist, djRoleOf } = deps;
  const act = <I, O>(run: Parameters<typeof defineAction<I, O>>[2]) =>
    defineAction<I, O>('dj', djRoleOf, run);
  return {
    list: act<void, StoredBlockEntry[]>((call) => blocklist.list(call.guildId)),
    /** @throws UserError INVALID_INPUT (an entry that would match everything, ...), CONFLICT (list full) */
    add: act<BlockEntry, { added: boolean; entry: StoredBlockEntry; total: number }>(async (call, entry) => {
      const checked = checkBlockEntry(entry);
      const { added } = await blocklist.add(call.guildId, [checked]);
      const all = await blocklist.list(call.guildId);
      // An entry already there under other case or accents keeps the spelling it was added with.
      const stored =
        all.find((e) => e.kind === checked.kind && e.normalized === checked.normalized) ?? checked;
      return { added: added === 1, entry: stored, total: all.length };
    }),
    /** @throws UserError NOT_FOUND when the entry is not on the list */
    remove: act<BlockEntry, { total: number }>(async (call, entry) => {
      if (!(await blocklist.remove(call.guildId, entry))) {
        throw new UserError(
          'NOT_FOUND',
          `The ${entry.kind} "${entry.value.trim().slice(0, 100)}" is not on the block list.`,
        );
      }
      return { total: (await blocklist.list(call.guildId)).length };
    }),
    /**
     * Imports a CSV file ({@link parseBlocklistCsv}): all of it in one transaction, or nothing.
     * @throws UserError INVALID_INPUT / PAYLOAD_TOO_LARGE naming the line, CONFLICT (list full)
     */
    import: act<{ csv: Uint8Array | string; defaultKind: BlockKind }, BlocklistImport>(
      async (call, input) => {
        const entries = parseBlocklistCsv(input.csv, input.defaultKind);
        const { added, existing } = await blocklist.add(call.guildId, entries);
        return { added, existing, total: (await blocklist.list(call.guildId)).length };
      },
    ),
  };
}

export type BlocklistActions = ReturnType<typeof blocklistActions>;
