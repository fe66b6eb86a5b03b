import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../../src/discord/limits.ts';
import {
  LYRICS_PAGE_CHARS,
  lyricsPages,
  lyricsReply,
  parseLyricsButton,
} from '../../../src/discord/lyrics.ts';
import type { Lyrics } from '../../../src/lyrics/service.ts';

const song = (over: Partial<Lyrics> = {}): Lyrics => ({
  id: 987_654_321,
  title: 'Song',
  artist: 'Artist',
  album: null,
  durationMs: 200_000,
  instrumental: false,
  plain: 'one\ntwo',
  synced: [
    { ms: 1_000, text: 'one' },
    { ms: 2_500, text: '' },
  ],
  ...over,
});

describe('/lyrics pages', () => {
  it('packs whole lines into pages within the embed description limit, every line once, in order', () => {
    const lines = Array.from({ length: 500 }, (_, i) => `line ${i} ${'x'.repeat(i % 70)}`);
    const pages = lyricsPages(song({ plain: lines.join('\n') }), false);
    expect(pages.length).toBeGreaterThan(3);
    for (const p of pages) expect(p.length).toBeLessThanOrEqual(LYRICS_PAGE_CHARS);
    expect(pages.join('\n').split('\n')).toEqual(lines.map((l) => l.trim()));
  });

  it('cuts a single line longer than a page, escapes markdown, and shows times and pauses when synced', () => {
    const [page] = lyricsPages(song({ plain: 'a'.repeat(10_000) }), false);
    expect(page!.length).toBeLessThanOrEqual(LYRICS_PAGE_CHARS);
    expect(lyricsPages(song({ plain: '*bold* _it_' }), false)).toEqual(['\\*bold\\* \\_it\\_']);
    expect(lyricsPages(song(), true)).toEqual(['`0:01.00` one\n`0:02.50` ♪']);
  });

  it('falls back to plain when synced lines are asked for and missing, and says so', () => {
    const reply = lyricsReply(
      { lyrics: song({ synced: null }), forPlaying: true },
      { synced: true, page: 0 },
    );
    expect(reply.embeds![0]!.toJSON()).toMatchObject({
      description: 'one\ntwo',
      footer: { text: 'Page 1/1 · no synced lyrics: plain · LRCLIB' },
    });
    expect(reply.components).toEqual([]);
  });

  it('gives page buttons custom ids within the limit that read back to the page they open', () => {
    const long = song({
      plain: Array.from({ length: 400 }, (_, i) => `line ${i} of a long song`).join('\n'),
    });
    const reply = lyricsReply({ lyrics: long, forPlaying: false }, { synced: false, page: 1 });
    const buttons = reply.components![0]!.toJSON().components as { custom_id: string; disabled?: boolean }[];
    for (const b of buttons) expect(b.custom_id.length).toBeLessThanOrEqual(LIMITS.customId);
    expect(buttons.map((b) => parseLyricsButton(b.custom_id))).toEqual([
      { id: long.id, synced: false, page: 0 },
      { id: long.id, synced: false, page: 2 },
    ]);
    expect(parseLyricsButton('lyrics:abc:p:1:next')).toBeNull();
    expect(parseLyricsButton('vote:up:x')).toBeNull();
  });

  it('answers an instrumental privately, in words', () => {
    expect(
      lyricsReply(
        { lyrics: song({ instrumental: true, plain: null, synced: null }), forPlaying: true },
        { synced: false, page: 0 },
      ),
    ).toEqual({
      ephemeral: true,
      content: '**Song — Artist** is an instrumental: there are no lyrics to show.',
    });
  });
});
