import { describe, expect, it } from 'vitest';
import { isPlainLine, isSafeText, tidyText } from '../../../src/core/text.ts';
import { tidyInfo } from '../../../src/radio/tidy.ts';

describe('text safety', () => {
  it('refuses NUL and lone surrogates, and keeps every real character', () => {
    for (const bad of ['a\u0000', '\ud800', 'x\udc00y', '\ud83d']) expect(isSafeText(bad), bad).toBe(false);
    for (const good of ['', 'Björk – Jóga', '👩‍👩‍👧', '日本語', 'tab\there', 'line\nbreak']) {
      expect(isSafeText(good), good).toBe(true);
    }
    expect(isPlainLine('line\nbreak')).toBe(false);
    expect(isPlainLine('a\u0085b')).toBe(false);
    expect(isPlainLine('Night & Day 👩‍👩‍👧')).toBe(true);
  });
});

describe('tidyText', () => {
  it('cuts by graphemes, never inside an emoji or an accented letter, and marks the cut', () => {
    const family = '👩‍👩‍👧';
    expect(tidyText(family.repeat(10), 4)).toBe(`${family.repeat(3)}…`);
    expect(tidyText('e\u0301'.repeat(10), 3)).toBe('e\u0301e\u0301…');
    expect(tidyText('abc', 3)).toBe('abc');
    expect(tidyText('abcd', 3)).toBe('ab…');
  });

  it('drops control characters, turns line breaks into spaces and repairs lone surrogates', () => {
    expect(tidyText('  a\r\nb\u0000c\u0007\t d  ', 50)).toBe('a bc d');
    expect(tidyText('x\ud800y', 10)).toBe('x\ufffdy');
    expect(tidyText(' \u0000 ', 10)).toBeNull();
  });
});

describe('tidyInfo', () => {
  it('keeps only what is sane and leaves absent fields absent', () => {
    expect(
      tidyInfo({
        title: 'T'.repeat(5_000),
        artist: null,
        thumbnail_url: 'javascript:alert(1)',
        bitrate: Number.NaN,
        duration_seconds: -3,
      }),
    ).toEqual({
      title: `${'T'.repeat(255)}…`,
      artist: null,
      thumbnail_url: null,
      bitrate: null,
      duration_seconds: null,
    });
    expect(tidyInfo({ thumbnail_url: 'https://img.test/a.jpg', codec: 'mp3' })).toEqual({
      thumbnail_url: 'https://img.test/a.jpg',
      codec: 'mp3',
    });
  });
});
