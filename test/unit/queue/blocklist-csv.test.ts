import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors.ts';
import { CSV_MAX_BYTES, CSV_MAX_ENTRIES, parseBlocklistCsv } from '../../../src/queue/blocklist-csv.ts';

function refusal(input: string | Uint8Array): UserError {
  try {
    parseBlocklistCsv(input, 'artist');
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return err as UserError;
  }
  throw new Error('expected the file to be refused');
}

describe('block-list CSV import', () => {
  it('reads type,value lines, one-value lines of the default type, quotes, a header and a BOM', () => {
    const csv = [
      '\uFEFFtype,value',
      'artist,Beyoncé',
      'keyword,"nightcore, sped up"',
      'track,https://youtu.be/dQw4w9WgXcQ',
      '',
      '"Earth, Wind & Fire"',
      'ABBA',
      'KEYWORD , "say ""hi"""',
    ].join('\r\n');
    expect(parseBlocklistCsv(csv, 'artist')).toEqual([
      { kind: 'artist', value: 'Beyoncé' },
      { kind: 'keyword', value: 'nightcore, sped up' },
      { kind: 'track', value: 'https://youtu.be/dQw4w9WgXcQ' },
      { kind: 'artist', value: 'Earth, Wind & Fire' },
      { kind: 'artist', value: 'ABBA' },
      { kind: 'keyword', value: 'say "hi"' },
    ]);
  });

  it('gives one-value lines the type the import names', () => {
    expect(parseBlocklistCsv('remix\nlive version\n', 'keyword')).toEqual([
      { kind: 'keyword', value: 'remix' },
      { kind: 'keyword', value: 'live version' },
    ]);
  });

  it('refuses the whole file at the first bad line, naming it', () => {
    const cases: [string, number, RegExp][] = [
      ['artist,ABBA\nsong,Halo\n', 2, /"song" is not a type/],
      ['artist,ABBA\nDaft Punk, Random Access Memories\n', 2, /quote a value that has a comma/],
      ['artist,ABBA\nartist,"unclosed\n', 2, /quote is not closed/],
      ['artist,ABBA\n\nkeyword,a\n', 3, /nearly every song/],
      ['artist,ABBA\nkeyword,\n', 2, /empty keyword/],
      ['artist,ABBA\nartist,x,y\n', 2, /3 columns/],
      ['artist,bad\u0001name\n', 1, /control characters/],
    ];
    for (const [csv, line, message] of cases) {
      const err = refusal(csv);
      expect(err.code, csv).toBe('INVALID_INPUT');
      expect(err.details).toEqual({ line });
      expect(err.message).toMatch(new RegExp(`^Line ${line}: `));
      expect(err.message).toMatch(message);
      expect(err.message).toMatch(/Nothing was imported\.$/);
    }
  });

  it(`refuses a file over ${CSV_MAX_BYTES / 1024} KB before reading it`, () => {
    const err = refusal(Buffer.alloc(CSV_MAX_BYTES + 1, 'a'));
    expect(err.code).toBe('PAYLOAD_TOO_LARGE');
    expect(err.message).toMatch(/the most an import takes is 256 KB/);
  });

  it(`refuses a file with more than ${CSV_MAX_ENTRIES} entries, naming the line past the cap`, () => {
    const csv = Array.from({ length: CSV_MAX_ENTRIES + 1 }, (_, i) => `keyword,word${i}`).join('\n');
    const err = refusal(csv);
    expect(err.code).toBe('PAYLOAD_TOO_LARGE');
    expect(err.details).toMatchObject({ line: CSV_MAX_ENTRIES + 1 });
    expect(parseBlocklistCsv(csv.split('\n').slice(0, CSV_MAX_ENTRIES).join('\n'), 'artist')).toHaveLength(
      CSV_MAX_ENTRIES,
    );
  });

  it('refuses bytes that are not UTF-8, and a file with no entries', () => {
    expect(refusal(Uint8Array.from([0x61, 0x72, 0xff, 0xfe, 0x0a])).message).toMatch(/not UTF-8/);
    expect(refusal('\n\n  \n').message).toMatch(/no entries/);
    expect(refusal('type,value\n').message).toMatch(/no entries/);
  });
});
