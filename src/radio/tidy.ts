import { tidyText } from '../core/text.ts';
import type { NowPlayingInfo } from './icy.ts';

/**
 * The most graphemes a song's title, artist, album or genre keeps. A stream's ICY title is whatever the
 * station sends (4,000 characters have been seen); 256 is far beyond any real title (the overlay and
 * Discord show less) and keeps every copy of it (events, overlay frames, API answers) small.
 */
export const MAX_TEXT_GRAPHEMES = 256;
const MAX_CODEC = 32;
const MAX_URL = 2048;

type Info = Partial<Omit<NowPlayingInfo, 'updated_at'>>;

/**
 * What a stream or a station API says is playing, made fit to keep and show: text tidied and cut
 * ({@link tidyText}), an artwork link kept only when it is an http(s) URL of sane length, numbers only
 * when finite and not negative. Fields left out (undefined) stay out.
 */
export function tidyInfo(info: Info): Info {
  const out: Info = {};
  const text = (value: string | null | undefined, max: number) =>
    value === undefined ? undefined : value === null ? null : tidyText(value, max);
  const number = (value: number | null | undefined) =>
    value === undefined ? undefined : value !== null && Number.isFinite(value) && value >= 0 ? value : null;
  const fields: Info = {
    title: text(info.title, MAX_TEXT_GRAPHEMES),
    artist: text(info.artist, MAX_TEXT_GRAPHEMES),
    album: text(info.album, MAX_TEXT_GRAPHEMES),
    genre: text(info.genre, MAX_TEXT_GRAPHEMES),
    codec: text(info.codec, MAX_CODEC),
    thumbnail_url:
      info.thumbnail_url === undefined
        ? undefined
        : typeof info.thumbnail_url === 'string' &&
            info.thumbnail_url.length <= MAX_URL &&
            /^https?:\/\/[^\s]+$/i.test(info.thumbnail_url)
          ? info.thumbnail_url
          : null,
    duration_seconds: number(info.duration_seconds),
    bitrate: number(info.bitrate),
  };
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  }
  return out;
}
