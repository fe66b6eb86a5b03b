import { describe, expect, it } from 'vitest';
import { parseTimestamp } from '../../../src/playback/timestamp.ts';

describe('parseTimestamp', () => {
  it.each([
    ['83', 83_000],
    ['0', 0],
    ['1:23', 83_000],
    ['01:02:03', 3_723_000],
    ['1h2m3s', 3_723_000],
    ['90s', 90_000],
    ['2m', 120_000],
    [' 1:05 ', 65_000],
  ])('reads %j as %d ms', (text, ms) => {
    expect(parseTimestamp(text)).toBe(ms);
  });

  it.each(['', 'abc', '1:75', '1::2', '-5', '1.5', '1:2:3:4', 'h'])(
    'refuses %j with a plain message',
    (text) => {
      expect(() => parseTimestamp(text)).toThrow(/is not a time: write it like 1:23 or 83/);
    },
  );
});
