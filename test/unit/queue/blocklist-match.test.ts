import { describe, expect, it } from 'vitest';
import { foldText } from '../../../src/core/fold.ts';
import { trackSchema } from '../../../src/core/track.ts';
import { blockedBy } from '../../../src/queue/blocklist-match.ts';
import { type BlockEntry, checkBlockEntry } from '../../../src/storage/db/blocklist.ts';
import { track } from '../../support/tracks.ts';

const song = (overrides: Parameters<typeof track>[0]) => trackSchema.parse(track(overrides));
const entries = (...list: BlockEntry[]) => list.map(checkBlockEntry);
const hit = (list: BlockEntry[], t: ReturnType<typeof song>) => blockedBy(entries(...list), t)?.value ?? null;

describe('folding text for matching', () => {
  it('ignores case, accents, compatibility forms and extra whitespace', () => {
    expect(foldText('  Beyoncé  KNOWLES ')).toBe('beyonce knowles');
    expect(foldText('ｂｅｙｏｎｃｅ')).toBe('beyonce');
    expect(foldText('Motörhead')).toBe('motorhead');
    expect(foldText('İstanbul')).toBe('istanbul');
  });
});

describe('block-list matching', () => {
  const youtube = song({
    id: 'dQw4w9WgXcQ',
    provider: 'youtube',
    title: 'Rick Astley - Never Gonna Give You Up',
    artist: 'RickAstleyVEVO',
    uri: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
  });

  it('blocks a track by its provider id, provider:id, or any link to it', () => {
    for (const value of [
      'dQw4w9WgXcQ',
      'youtube:dQw4w9WgXcQ',
      'https://youtu.be/dQw4w9WgXcQ',
      'https://m.youtube.com/watch?v=dQw4w9WgXcQ&t=42',
      'http://youtube.com/watch?v=dQw4w9WgXcQ/',
      'https://www.youtube.com/shorts/dQw4w9WgXcQ',
    ]) {
      expect(hit([{ kind: 'track', value }], youtube), value).toBe(value);
    }
    expect(hit([{ kind: 'track', value: 'https://youtu.be/other12345' }], youtube)).toBeNull();
  });

  it('blocks a Spotify track by its open.spotify.com link', () => {
    const t = song({
      id: '4uLU6hMCjMI75M1A2tKUQC',
      provider: 'spotify',
      uri: 'spotify:track:4uLU6hMCjMI75M1A2tKUQC',
    });
    expect(
      hit(
        [{ kind: 'track', value: 'https://open.spotify.com/intl-de/track/4uLU6hMCjMI75M1A2tKUQC?si=x' }],
        t,
      ),
    ).not.toBeNull();
  });

  it('blocks an artist whatever the case and accents, also one of several credited, or the "Artist - " of a title', () => {
    const t = song({ title: 'Halo', artist: 'BEYONCE, Jay-Z & Kendrick Lamar feat. Nas' });
    expect(hit([{ kind: 'artist', value: 'Beyoncé' }], t)).toBe('Beyoncé');
    expect(hit([{ kind: 'artist', value: 'jay-z' }], t)).toBe('jay-z');
    expect(hit([{ kind: 'artist', value: 'Nas' }], t)).toBe('Nas');
    expect(hit([{ kind: 'artist', value: 'rick astley' }], youtube)).toBe('rick astley');
    expect(hit([{ kind: 'artist', value: 'Beyonc' }], t)).toBeNull();
  });

  it('blocks a keyword as whole words of the title, artist or album, not inside another word', () => {
    const t = song({ title: 'Classic Hits (NIGHTCORE Remix)', artist: 'Someone', album: 'Ça Ira' });
    expect(hit([{ kind: 'keyword', value: 'nightcore' }], t)).toBe('nightcore');
    expect(hit([{ kind: 'keyword', value: 'nightcore remix' }], t)).toBe('nightcore remix');
    expect(hit([{ kind: 'keyword', value: 'ca ira' }], t)).toBe('ca ira');
    expect(hit([{ kind: 'keyword', value: 'ass' }], t)).toBeNull();
    expect(hit([{ kind: 'keyword', value: 'hit' }], t)).toBeNull();
  });

  it('passes a track no entry names', () => {
    expect(blockedBy([], youtube)).toBeNull();
    expect(
      hit(
        [
          { kind: 'artist', value: 'ABBA' },
          { kind: 'keyword', value: 'polka' },
        ],
        youtube,
      ),
    ).toBeNull();
  });
});

describe('block-list entries', () => {
  it.each([
    ['empty', ''],
    ['blank', ' \t '],
    ['one letter', 'a'],
    ['one accented letter', ' É '],
    ['punctuation only', '*.*'],
  ])('refuses a keyword that would match everything: %s', (_what, value) => {
    expect(() => checkBlockEntry({ kind: 'keyword', value })).toThrow(/every song|nearly every song/);
  });

  it('refuses control characters and over-long values', () => {
    expect(() => checkBlockEntry({ kind: 'artist', value: 'bad\u0007name' })).toThrow(/control characters/);
    expect(() => checkBlockEntry({ kind: 'artist', value: 'x'.repeat(201) })).toThrow(/201 characters/);
  });
});
