import { z } from 'zod';
import { UserError } from '../../core/errors.ts';
import { alphanumericCount, foldText } from '../../core/fold.ts';
import { isPlainLine } from '../../core/text.ts';

/** What a block-list entry matches: a track (by link or provider id), an artist, or a keyword. */
export const blockKindSchema = z.enum(['track', 'artist', 'keyword']);
export type BlockKind = z.infer<typeof blockKindSchema>;
export const BLOCK_KINDS: readonly BlockKind[] = blockKindSchema.options;

export interface BlockEntry {
  kind: BlockKind;
  /** As the admin typed it. */
  value: string;
}

export interface StoredBlockEntry extends BlockEntry {
  /** Its matching form ({@link foldText}); unique per guild and kind. */
  normalized: string;
}

/** Longest entry, in characters. */
export const MAX_BLOCK_VALUE_LENGTH = 200;
/** Most entries one guild keeps, all kinds together. */
export const MAX_BLOCK_ENTRIES = 10_000;

/**
 * An entry checked and folded. Refused: empty or blank text, control characters, more than
 * {@link MAX_BLOCK_VALUE_LENGTH} characters, and an entry that would match (nearly) everything:
 * fewer than two letters or digits ("a", "-", "  ").
 * @throws UserError INVALID_INPUT saying why, in plain words
 */
export function checkBlockEntry(entry: BlockEntry): StoredBlockEntry {
  const value = entry.value.trim();
  if (!BLOCK_KINDS.includes(entry.kind)) {
    throw new UserError(
      'INVALID_INPUT',
      `Unknown block-list type "${entry.kind}": use track, artist or keyword.`,
    );
  }
  if (value === '')
    throw new UserError('INVALID_INPUT', `An empty ${entry.kind} would block every song; give some text.`);
  if (!isPlainLine(value)) {
    throw new UserError(
      'INVALID_INPUT',
      `The ${entry.kind} "${value.slice(0, 40)}" has control characters or broken Unicode.`,
    );
  }
  if (value.length > MAX_BLOCK_VALUE_LENGTH) {
    throw new UserError(
      'INVALID_INPUT',
      `The ${entry.kind} is ${value.length} characters long; the most is ${MAX_BLOCK_VALUE_LENGTH}.`,
    );
  }
  const normalized = foldText(value);
  if (alphanumericCount(normalized) < 2) {
    throw new UserError(
      'INVALID_INPUT',
      `The ${entry.kind} "${value}" would match nearly every song: it needs at least two letters or digits.`,
    );
  }
  return { kind: entry.kind, value, normalized };
}

/** Where a guild's block lists live (blocklist_entries). */
export interface BlocklistRepository {
  /** The guild's entries, by kind then value. @throws UserError INVALID_INPUT (guild id) */
  list(guildId: string): Promise<StoredBlockEntry[]>;
  /**
   * Adds entries in one transaction: all or none. An entry already on the list is counted in
   * `existing`, not an error.
   * @throws UserError INVALID_INPUT (an entry, see {@link checkBlockEntry}), CONFLICT (the guild's
   *   list would pass {@link MAX_BLOCK_ENTRIES})
   */
  add(guildId: string, entries: BlockEntry[]): Promise<{ added: number; existing: number }>;
  /** Removes an entry (matched by its folded form); false when it was not on the list. */
  remove(guildId: string, entry: BlockEntry): Promise<boolean>;
}

/** The refusal when a guild's block list would grow past its cap. */
export function blocklistFull(current: number, adding: number): UserError {
  return new UserError(
    'CONFLICT',
    `The block list would hold ${current + adding} entries; the most is ${MAX_BLOCK_ENTRIES}. Remove some first.`,
    { current, adding, max: MAX_BLOCK_ENTRIES },
  );
}

/** Entries checked, with duplicates inside the batch dropped (the first one kept). */
export function checkBlockEntries(entries: BlockEntry[]): StoredBlockEntry[] {
  const seen = new Set<string>();
  const out: StoredBlockEntry[] = [];
  for (const entry of entries) {
    const checked = checkBlockEntry(entry);
    const key = `${checked.kind}\u0000${checked.normalized}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(checked);
  }
  return out;
}

export function compareEntries(a: StoredBlockEntry, b: StoredBlockEntry): number {
  return (
    BLOCK_KINDS.indexOf(a.kind) - BLOCK_KINDS.indexOf(b.kind) ||
    (a.normalized < b.normalized ? -1 : a.normalized > b.normalized ? 1 : 0)
  );
}
