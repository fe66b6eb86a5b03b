import { UserError } from '../core/errors.ts';
import type { TrackInput } from '../core/track.ts';

/** The fields of play-dl's `SoundCloudTrack` we read. */
export interface SoundCloudTrackLike {
  type: 'track' | 'playlist' | 'user';
  fetched: boolean;
  id: number;
  name?: string;
  permalink?: string;
  durationInMs?: number;
  thumbnail?: string | null;
  user?: { name?: string; thumbnail?: string } | null;
  publisher?: { artist?: string } | null;
}

/** The fields of play-dl's `SoundCloudPlaylist` we read. */
export interface SoundCloudPlaylistLike {
  type: 'playlist';
  id: number;
  name?: string;
  tracksCount?: number;
  tracks: SoundCloudTrackLike[];
}

export type SoundCloudLink = { kind: 'track' | 'set'; url: string } | { kind: 'short'; url: string };

const HOSTS = new Set(['soundcloud.com', 'www.soundcloud.com', 'm.soundcloud.com']);
const SHORT_HOST = 'on.soundcloud.com';
/** First path segments that are SoundCloud pages, not user names. */
const RESERVED = new Set([
  'discover',
  'search',
  'stream',
  'upload',
  'you',
  'charts',
  'pages',
  'settings',
  'messages',
  'notifications',
  'feed',
  'people',
]);
const SEGMENT = /^[A-Za-z0-9_-]{1,255}$/;

export function isSoundCloudUrl(url: URL): boolean {
  const host = url.hostname.toLowerCase();
  return (url.protocol === 'https:' || url.protocol === 'http:') && (HOSTS.has(host) || host === SHORT_HOST);
}

/**
 * Reads a SoundCloud link: `/user/track` (with `/s-token` for a private share) and
 * `/user/sets/name`, made canonical (https://soundcloud.com, no query or fragment); an
 * `on.soundcloud.com` share link is returned as `short`, to be followed first.
 * @throws UserError INVALID_URL for profiles, pages and anything else
 */
export function parseSoundCloudUrl(url: URL): SoundCloudLink {
  if (!isSoundCloudUrl(url)) throw new UserError('INVALID_URL', 'That is not a SoundCloud link.');
  if (url.hostname.toLowerCase() === SHORT_HOST) {
    if (!/^\/[A-Za-z0-9]{1,64}\/?$/.test(url.pathname))
      throw new UserError('INVALID_URL', 'That SoundCloud share link looks broken.');
    return { kind: 'short', url: `https://${SHORT_HOST}${url.pathname}` };
  }
  const segments = url.pathname.split('/').filter(Boolean);
  const bad = () => new UserError('INVALID_URL', 'That SoundCloud link is not a track or a playlist (set).');
  if (segments.length < 2 || !segments.every((s) => SEGMENT.test(s))) throw bad();
  if (RESERVED.has(segments[0]!.toLowerCase())) throw bad();
  const canonical = `https://soundcloud.com/${segments.join('/')}`;
  const secret = (s: string | undefined) => s === undefined || /^s-[A-Za-z0-9]+$/.test(s);
  if (segments[1] === 'sets') {
    if (segments.length >= 3 && segments.length <= 4 && secret(segments[3]))
      return { kind: 'set', url: canonical };
    throw bad();
  }
  const pages = [
    'likes',
    'tracks',
    'albums',
    'reposts',
    'followers',
    'following',
    'popular-tracks',
    'comments',
  ];
  if (segments.length <= 3 && !pages.includes(segments[1]!) && secret(segments[2]))
    return { kind: 'track', url: canonical };
  throw bad();
}

/** A play-dl track as a queue track, cut to the stored item's limits. */
export function soundCloudTrack(track: SoundCloudTrackLike): TrackInput | null {
  if (!track.fetched || !track.permalink || !track.name || track.permalink.length > 300) return null;
  const artwork = track.thumbnail || track.user?.thumbnail || null;
  const duration = Number(track.durationInMs);
  return {
    id: String(track.id),
    title: clip(track.name, 200) || `SoundCloud track ${track.id}`,
    artist: clip(track.publisher?.artist || track.user?.name, 100) || null,
    album: null,
    artworkUrl: artwork && /^https:\/\//.test(artwork) && artwork.length <= 300 ? artwork : null,
    durationMs: duration > 0 && duration <= 7 * 24 * 3600 * 1000 ? Math.round(duration) : null,
    provider: 'soundcloud',
    uri: track.permalink,
    metadata: {},
  };
}

function clip(text: string | null | undefined, max: number): string {
  const clean = (text ?? '').replace(/\s+/g, ' ').trim();
  return clean.length <= max ? clean : Array.from(clean).slice(0, max).join('').slice(0, max).trim();
}
