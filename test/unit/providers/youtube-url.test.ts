import { describe, expect, it } from 'vitest';
import { isYouTubeUrl, parseTimestamp, parseYouTubeUrl } from '../../../src/providers/youtube-url.ts';

const parse = (link: string) => parseYouTubeUrl(new URL(link));
const ID = 'dQw4w9WgXcQ';

describe('YouTube links to a video', () => {
  it.each([
    `https://www.youtube.com/watch?v=${ID}`,
    `https://youtube.com/watch?v=${ID}&feature=share`,
    `http://m.youtube.com/watch?app=desktop&v=${ID}`,
    `https://youtu.be/${ID}`,
    `https://youtu.be/${ID}?si=AbCdEfGh`,
    `https://www.youtube.com/shorts/${ID}`,
    `https://youtube.com/shorts/${ID}?feature=share`,
    `https://music.youtube.com/watch?v=${ID}&list=OLAK5uy_kVn8R1eTsnnU8xLXQTh2XDX1eVAsUMjyk`,
    `https://www.youtube.com/embed/${ID}`,
    `https://www.youtube-nocookie.com/embed/${ID}?start=10`,
    `https://www.youtube.com/live/${ID}`,
    `https://www.youtube.com/watch?v=${ID}&list=RD${ID}&start_radio=1`,
  ])('%s is the video', (link) => {
    expect(parse(link)).toMatchObject({ kind: 'video', videoId: ID });
  });

  it.each([
    [`https://www.youtube.com/watch?v=${ID}&t=90`, 90_000],
    [`https://youtu.be/${ID}?t=90s`, 90_000],
    [`https://www.youtube.com/watch?v=${ID}&t=1m30s`, 90_000],
    [`https://www.youtube.com/watch?v=${ID}&t=1h2m3s`, 3_723_000],
    [`https://www.youtube.com/embed/${ID}?start=42`, 42_000],
    [`https://www.youtube.com/watch?v=${ID}#t=2m`, 120_000],
    [`https://www.youtube.com/watch?v=${ID}`, null],
    [`https://www.youtube.com/watch?v=${ID}&t=0`, null],
    [`https://www.youtube.com/watch?v=${ID}&t=soon`, null],
  ])('%s starts at %s ms', (link, startMs) => {
    expect(parse(link)).toEqual({ kind: 'video', videoId: ID, startMs });
  });
});

describe('YouTube links to a playlist', () => {
  it.each([
    [
      'https://www.youtube.com/playlist?list=PLFgquLnL59alCl_2TQvOiD5Vgm1hCaGSI',
      'PLFgquLnL59alCl_2TQvOiD5Vgm1hCaGSI',
    ],
    [
      'https://music.youtube.com/playlist?list=OLAK5uy_kVn8R1eTsnnU8xLXQTh2XDX1eVAsUMjyk',
      'OLAK5uy_kVn8R1eTsnnU8xLXQTh2XDX1eVAsUMjyk',
    ],
    [
      'https://www.youtube.com/watch?list=PLFgquLnL59alCl_2TQvOiD5Vgm1hCaGSI',
      'PLFgquLnL59alCl_2TQvOiD5Vgm1hCaGSI',
    ],
  ])('%s is playlist %s', (link, playlistId) => {
    expect(parse(link)).toEqual({ kind: 'playlist', playlistId });
  });
});

describe('links that are not a video or a playlist', () => {
  it.each([
    ['https://www.youtube.com/', 'not a video or a playlist'],
    ['https://www.youtube.com/@RickAstleyYT', 'not a video or a playlist'],
    ['https://www.youtube.com/channel/UCuAXFkgsw1L7xaCfnd5JJOw', 'not a video or a playlist'],
    ['https://www.youtube.com/feed/trending', 'not a video or a playlist'],
    ['https://www.youtube.com/watch?v=short', 'malformed video id'],
    [`https://www.youtube.com/watch?v=${ID}x`, 'malformed video id'],
    ['https://youtu.be/', 'not a video or a playlist'],
    ['https://www.youtube.com/shorts/', 'not a video or a playlist'],
    ['https://www.youtube.com/playlist', 'no playlist id'],
    ['https://www.youtube.com/playlist?list=WL', 'no playlist id'],
    [`https://www.youtube.com/playlist?list=RD${ID}`, 'no playlist id'],
  ])('%s is refused (%s)', (link, words) => {
    expect(() => parse(link)).toThrow(
      expect.objectContaining({ code: 'INVALID_URL', message: expect.stringContaining(words) }),
    );
  });

  it('only claims YouTube hosts', () => {
    expect(isYouTubeUrl(new URL(`https://www.youtube.com/watch?v=${ID}`))).toBe(true);
    expect(isYouTubeUrl(new URL('https://music.youtube.com/'))).toBe(true);
    expect(isYouTubeUrl(new URL(`https://youtube.com.evil.example/watch?v=${ID}`))).toBe(false);
    expect(isYouTubeUrl(new URL(`https://notyoutube.com/watch?v=${ID}`))).toBe(false);
    expect(isYouTubeUrl(new URL(`ftp://youtube.com/watch?v=${ID}`))).toBe(false);
    expect(() => parse(`https://example.com/watch?v=${ID}`)).toThrow(
      expect.objectContaining({ code: 'INVALID_URL' }),
    );
  });
});

describe('timestamps', () => {
  it.each([
    ['75', 75_000],
    ['75s', 75_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1:15', 75_000],
    ['1:00:01', 3_601_000],
    ['', null],
    ['-5', null],
    ['1m75x', null],
    ['99999999', null],
  ])('%j is %s ms', (raw, ms) => {
    expect(parseTimestamp(raw)).toBe(ms);
  });
});
