import { UserError } from '../core/errors.ts';

/** What a YouTube link points at: one video (maybe from a timestamp) or a whole playlist. */
export type YouTubeLink =
  | { kind: 'video'; videoId: string; startMs: number | null }
  | { kind: 'playlist'; playlistId: string };

const HOSTS = new Set([
  'youtube.com',
  'www.youtube.com',
  'm.youtube.com',
  'music.youtube.com',
  'youtu.be',
  'www.youtu.be',
  'youtube-nocookie.com',
  'www.youtube-nocookie.com',
]);

const VIDEO_ID = /^[A-Za-z0-9_-]{11}$/;
/** Real playlist ids: PL..., OLAK5uy_... (albums), UU... (uploads), FL..., and so on. */
const PLAYLIST_ID = /^[A-Za-z0-9_-]{10,64}$/;
/** Paths whose next segment is the video id. */
const ID_PATHS = new Set(['shorts', 'embed', 'live', 'v', 'e']);

export function isYouTubeUrl(url: URL): boolean {
  return (url.protocol === 'https:' || url.protocol === 'http:') && HOSTS.has(url.hostname.toLowerCase());
}

export function watchUrl(videoId: string): string {
  return `https://www.youtube.com/watch?v=${videoId}`;
}

/**
 * Reads a YouTube link: watch, youtu.be, shorts, embed, live and music.youtube.com links to a video
 * (with `t=`/`start=` as where to start), and `/playlist?list=` links. A watch link that also carries
 * `list=` is the video alone (people paste those by accident far more often than they mean the
 * list); automatic mixes (`RD...`) and personal lists (`LL`, `WL`) cannot be read without an account
 * and are ignored the same way.
 * @throws UserError INVALID_URL for a YouTube link that is neither a video nor a playlist
 */
export function parseYouTubeUrl(url: URL): YouTubeLink {
  if (!isYouTubeUrl(url)) throw new UserError('INVALID_URL', 'That is not a YouTube link.');
  const host = url.hostname.toLowerCase();
  const segments = url.pathname.split('/').filter(Boolean);
  let videoId: string | null = null;
  if (host.endsWith('youtu.be')) {
    videoId = segments[0] ?? null;
  } else if (segments[0] === 'watch' || segments.length === 0) {
    videoId = url.searchParams.get('v');
  } else if (segments[0] && ID_PATHS.has(segments[0])) {
    videoId = segments[1] ?? null;
  } else if (segments[0] === 'playlist') {
    const list = url.searchParams.get('list');
    if (list && isReadablePlaylist(list)) return { kind: 'playlist', playlistId: list };
    throw new UserError('INVALID_URL', 'That YouTube playlist link has no playlist id I can read.');
  }
  if (videoId !== null) {
    if (!VIDEO_ID.test(videoId))
      throw new UserError(
        'INVALID_URL',
        'That YouTube link has a malformed video id (11 characters expected).',
      );
    return { kind: 'video', videoId, startMs: startOf(url) };
  }
  const list = url.searchParams.get('list');
  if (segments[0] === 'watch' && list && isReadablePlaylist(list))
    return { kind: 'playlist', playlistId: list };
  throw new UserError('INVALID_URL', 'That YouTube link is not a video or a playlist.');
}

function isReadablePlaylist(id: string): boolean {
  return PLAYLIST_ID.test(id) && !id.startsWith('RD') && id !== 'LL' && id !== 'WL';
}

/** `t=`/`start=` in the query or the fragment: seconds (`90`, `90s`), `1h2m3s` or `1:02:03`. */
function startOf(url: URL): number | null {
  const fragment = new URLSearchParams(url.hash.replace(/^#/, ''));
  const raw =
    url.searchParams.get('t') ?? url.searchParams.get('start') ?? fragment.get('t') ?? fragment.get('start');
  return raw === null ? null : parseTimestamp(raw);
}

/** A YouTube timestamp in milliseconds, or null when it is not one (YouTube ignores those too). */
export function parseTimestamp(raw: string): number | null {
  const text = raw.trim().toLowerCase();
  let seconds: number;
  const units = /^(?:(\d{1,3})h)?(?:(\d{1,4})m)?(?:(\d{1,6})s?)?$/.exec(text);
  const clock = /^(?:(\d{1,3}):)?(\d{1,2}):(\d{2})$/.exec(text);
  if (text && units && (units[1] || units[2] || units[3])) {
    seconds = Number(units[1] ?? 0) * 3600 + Number(units[2] ?? 0) * 60 + Number(units[3] ?? 0);
  } else if (clock) {
    seconds = Number(clock[1] ?? 0) * 3600 + Number(clock[2]) * 60 + Number(clock[3]);
  } else {
    return null;
  }
  return seconds > 0 && seconds <= 7 * 24 * 3600 ? seconds * 1000 : null;
}
