import { UserError } from '../core/errors.ts';
import {
  type BlockEntry,
  type BlockKind,
  blockKindSchema,
  checkBlockEntry,
} from '../storage/db/blocklist.ts';

/** Largest CSV file an import takes, in bytes. */
export const CSV_MAX_BYTES = 256 * 1024;
/** Most entries one import takes. */
export const CSV_MAX_ENTRIES = 5000;

/**
 * Reads a block-list CSV file (Songify users keep theirs as one). Each line is either `type,value`
 * (type: track, artist or keyword) or a single value, which takes `defaultKind`. Values may be quoted
 * as in RFC 4180 (`"Earth, Wind & Fire"`, `""` for a quote); a first line `type,value` is a header
 * and skipped; blank lines are skipped; a UTF-8 byte order mark is dropped. The file is refused
 * whole, naming the line, when any line is wrong: nothing of it is imported.
 * @throws UserError PAYLOAD_TOO_LARGE (over {@link CSV_MAX_BYTES} or {@link CSV_MAX_ENTRIES}),
 *   INVALID_INPUT (not UTF-8 text, a bad line, an entry that would match everything); details.line
 */
export function parseBlocklistCsv(input: Uint8Array | string, defaultKind: BlockKind): BlockEntry[] {
  const bytes = typeof input === 'string' ? Buffer.byteLength(input) : input.byteLength;
  if (bytes > CSV_MAX_BYTES) {
    throw new UserError(
      'PAYLOAD_TOO_LARGE',
      `The file is ${Math.ceil(bytes / 1024)} KB; the most an import takes is ${CSV_MAX_BYTES / 1024} KB. Nothing was imported.`,
      { bytes, max_bytes: CSV_MAX_BYTES },
    );
  }
  let text: string;
  if (typeof input === 'string') text = input;
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      throw new UserError(
        'INVALID_INPUT',
        'The file is not UTF-8 text (save it as CSV UTF-8). Nothing was imported.',
      );
    }
  }
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  const entries: BlockEntry[] = [];
  const lines = text.split(/\r\n|\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const fail = (why: string): never => {
      throw new UserError('INVALID_INPUT', `Line ${lineNo}: ${why} Nothing was imported.`, { line: lineNo });
    };
    const fields =
      splitCsvLine(line) ?? fail('a quote is not closed (write "" for a quote inside a quoted value).');
    let entry: BlockEntry;
    if (fields.length === 1) entry = { kind: defaultKind, value: fields[0]! };
    else {
      const type = fields[0]!.trim().toLowerCase();
      if (lineNo === firstLine(lines) && type === 'type' && fields[1]!.trim().toLowerCase() === 'value')
        continue;
      const kind = blockKindSchema.safeParse(type);
      if (!kind.success) {
        fail(
          `"${type.slice(0, 40)}" is not a type (use track, artist or keyword), or quote a value that has a comma.`,
        );
      }
      if (fields.length > 2)
        fail(`${fields.length} columns; write type,value (quote a value that has a comma).`);
      entry = { kind: kind.data!, value: fields[1]! };
    }
    try {
      checkBlockEntry(entry);
    } catch (err) {
      fail((err as Error).message);
    }
    entries.push(entry);
    if (entries.length > CSV_MAX_ENTRIES) {
      throw new UserError(
        'PAYLOAD_TOO_LARGE',
        `Line ${lineNo}: the file has more than ${CSV_MAX_ENTRIES} entries, the most an import takes. Nothing was imported.`,
        { line: lineNo, max_entries: CSV_MAX_ENTRIES },
      );
    }
  }
  if (entries.length === 0)
    throw new UserError('INVALID_INPUT', 'The file has no entries. Nothing was imported.');
  return entries;
}

function firstLine(lines: string[]): number {
  return lines.findIndex((l) => l.trim() !== '') + 1;
}

/** The fields of one CSV line (RFC 4180 quoting, no line breaks inside a field); null: an unclosed quote. */
function splitCsvLine(line: string): string[] | null {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    while (line[i] === ' ') i++;
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) return null;
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += line[i++];
      }
      while (i < line.length && line[i] !== ',') field += line[i++];
    } else {
      while (i < line.length && line[i] !== ',') field += line[i++];
    }
    fields.push(field);
    if (i >= line.length) return fields;
    i++; // the comma
  }
}
