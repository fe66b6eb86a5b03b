import { describe, expect, it } from 'vitest';
import { lineAt, lrcTime, parseLrc } from '../../../src/lyrics/lrc.ts';
import { cleanTrack } from '../../../src/lyrics/service.ts';

describe('LRC parser', () => {
  it('reads time tags with hundredths, thousandths and none, in time order', () => {
    const lines = parseLrc('[00:12.34]second\n[00:01.5]first\n[01:02]third\n[00:20.125]between');
    expect(lines).toEqual([
      { ms: 1_500, text: 'first' },
      { ms: 12_340, text: 'second' },
      { ms: 20_125, text: 'between' },
      { ms: 62_000, text: 'third' },
    ]);
  });

  it('repeats a line with several time tags at each of its times', () => {
    const lines = parseLrc('[00:10.00][00:50.00]chorus\n[00:30.00]verse');
    expect(lines).toEqual([
      { ms: 10_000, text: 'chorus' },
      { ms: 30_000, text: 'verse' },
      { ms: 50_000, text: 'chorus' },
    ]);
  });

  it('applies [offset:] (positive shows lyrics sooner), never below zero', () => {
    expect(parseLrc('[offset:+500]\n[00:02.00]a\n[00:00.20]b')).toEqual([
      { ms: 0, text: 'b' },
      { ms: 1_500, text: 'a' },
    ]);
    expect(parseLrc('[offset:-250]\n[00:01.00]a')).toEqual([{ ms: 1_250, text: 'a' }]);
  });

  it('skips ID tags, untimed text and word tags; keeps empty lines as pauses; reads CRLF', () => {
    const text =
      '[ar:Someone]\r\n[ti:Song]\r\nno tag here\r\n[00:01.00]<00:01.00>word <00:01.50>by word\r\n[00:03.00]\r\n';
    expect(parseLrc(text)).toEqual([
      { ms: 1_000, text: 'word by word' },
      { ms: 3_000, text: '' },
    ]);
  });

  it('keeps the order of lines with the same time', () => {
    expect(parseLrc('[00:05.00]one\n[00:05.00]two').map((l) => l.text)).toEqual(['one', 'two']);
  });

  it('finds the line sung at a position: -1 before the first, the last one after the end', () => {
    const lines = parseLrc('[00:01.00]a\n[00:05.00]b\n[00:09.00]c');
    expect(lineAt(lines, 0)).toBe(-1);
    expect(lineAt(lines, 999)).toBe(-1);
    expect(lineAt(lines, 1_000)).toBe(0);
    expect(lineAt(lines, 4_999)).toBe(0);
    expect(lineAt(lines, 5_000)).toBe(1);
    expect(lineAt(lines, 60_000)).toBe(2);
    expect(lineAt([], 5_000)).toBe(-1);
  });

  it('writes times as m:ss.cc', () => {
    expect(lrcTime(62_345)).toBe('1:02.34');
    expect(lrcTime(0)).toBe('0:00.00');
  });
});

describe('track names for LRCLIB', () => {
  it('takes noise out of video titles and the artist out of "Artist - Title"', () => {
    expect(
      cleanTrack({
        title: 'Rick Astley - Never Gonna Give You Up (Official Music Video)',
        artist: 'Rick Astley',
      }),
    ).toEqual({
      title: 'Never Gonna Give You Up',
      artist: 'Rick Astley',
    });
    expect(cleanTrack({ title: 'Daft Punk - One More Time [HD]', artist: null })).toEqual({
      title: 'One More Time',
      artist: 'Daft Punk',
    });
    expect(cleanTrack({ title: 'Song ft. Guest', artist: 'Band - Topic' })).toEqual({
      title: 'Song',
      artist: 'Band',
    });
  });

  it('drops a featuring credit in brackets', () => {
    expect(cleanTrack({ title: 'Song (feat. Guest) [Lyric Video]', artist: 'Band' })).toEqual({
      title: 'Song',
      artist: 'Band',
    });
  });

  it('keeps a title with a dash when the artist is someone else', () => {
    expect(cleanTrack({ title: 'Part One - Part Two', artist: 'Composer' })).toEqual({
      title: 'Part One - Part Two',
      artist: 'Composer',
    });
  });
});
