import { UserError } from '../core/errors.ts';
import type { TrackInput } from '../core/track.ts';
import type { SpotifyWebApi } from './client.ts';

/** A Spotify track's metadata, as the queue and the YouTube matcher need it. */
export interface SpotifyTrack {
  id: string;
  /** `spotify:track:<id>` */
  uri: string;
  title: string;
  artists: string[];
  album: string | null;
  artworkUrl: string | null;
  durationMs: number;
  /** Absent from album track listings (simplified tracks). */
  isrc: string | null;
  /** The open.spotify.com page. */
  url: string | null;
}

/** The Web API's track object (full or simplified), the fields read here. */
export interface ApiTrack {
  id?: string | null;
  uri?: string;
  type?: string;
  name?: string;
  duration_ms?: number;
  is_local?: boolean;
  artists?: { name?: string }[];
  album?: ApiAlbum;
  external_ids?: { isrc?: string };
  external_urls?: { spotify?: string };
}

interface ApiAlbum {
  name?: string;
  images?: { url?: string; width?: number | null }[];
}

interface Paging<T> {
  items?: T[];
  next?: string | null;
  total?: number;
}

/** A playlist entry: `item` since the 2026 rename of /tracks to /items, `track` before. */
interface PlaylistEntry {
  is_local?: boolean;
  item?: ApiTrack | null;
  track?: ApiTrack | null;
}

type Api = Pick<SpotifyWebApi, 'request'>;

/** Entries a page: Spotify's maximum for album and playlist listings. */
const PAGE = 50;
/** Search results at most per call (the Web API's limit for apps in development mode). */
export const SEARCH_LIMIT = 10;

/** Maps a Web API track; null for local files, episodes and tracks without an id. */
export function fromApiTrack(t: ApiTrack | null | undefined, album?: ApiAlbum): SpotifyTrack | null {
  if (!t || t.is_local || !t.id || (t.type !== undefined && t.type !== 'track') || !t.name) return null;
  const images = [...((t.album ?? album)?.images ?? [])].filter((i) => typeof i.url === 'string');
  // The largest image is first; a mid-size one is enough for an embed or the overlay.
  const image = images.find((i) => (i.width ?? 0) <= 640) ?? images[0];
  return {
    id: t.id,
    uri: t.uri ?? `spotify:track:${t.id}`,
    title: t.name,
    artists: (t.artists ?? []).map((a) => a.name).filter((n): n is string => typeof n === 'string'),
    album: (t.album ?? album)?.name ?? null,
    artworkUrl: image?.url ?? null,
    durationMs: t.duration_ms ?? 0,
    isrc: t.external_ids?.isrc ?? null,
    url: t.external_urls?.spotify ?? null,
  };
}

/** @throws UserError NOT_FOUND, SPOTIFY_NOT_LINKED, UPSTREAM_ERROR (see SpotifyWebApi.request) */
export async function getTrack(api: Api, guildId: string, id: string): Promise<SpotifyTrack> {
  const track = fromApiTrack(
    await api.request<ApiTrack>(guildId, { method: 'GET', path: `/tracks/${enc(id)}` }),
  );
  if (!track) throw new UserError('NOT_FOUND', 'That Spotify track cannot be played.');
  return track;
}

/** The album's tracks in order, at most `limit`. @throws as {@link getTrack} */
export async function getAlbumTracks(
  api: Api,
  guildId: string,
  id: string,
  limit: number,
): Promise<SpotifyTrack[]> {
  const album = await api.request<ApiAlbum & { tracks?: Paging<ApiTrack> }>(guildId, {
    method: 'GET',
    path: `/albums/${enc(id)}`,
  });
  const info = { name: album?.name, images: album?.images ?? [] };
  const first = album?.tracks?.items ?? [];
  const raw = await pages(api, guildId, `/albums/${enc(id)}/tracks`, limit, first, album?.tracks?.next);
  return raw
    .map((t) => fromApiTrack(t, info))
    .filter((t): t is SpotifyTrack => t !== null)
    .slice(0, limit);
}

/**
 * The playlist's playable tracks in order, at most `limit`; `onTotal` hears how many entries it has.
 * @throws as {@link getTrack}
 */
export async function getPlaylistTracks(
  api: Api,
  guildId: string,
  id: string,
  limit: number,
  onTotal?: (total: number) => void,
): Promise<SpotifyTrack[]> {
  const entries = await pages<PlaylistEntry>(
    api,
    guildId,
    `/playlists/${enc(id)}/items`,
    limit,
    [],
    undefined,
    onTotal,
  );
  return entries
    .map((e) => (e.is_local ? null : fromApiTrack(e.item ?? e.track)))
    .filter((t): t is SpotifyTrack => t !== null)
    .slice(0, limit);
}

/** Tracks for a search, best first, at most 10. @throws as {@link getTrack} */
export async function searchTracks(
  api: Api,
  guildId: string,
  query: string,
  limit: number,
): Promise<SpotifyTrack[]> {
  const q = query.trim();
  if (!q) throw new UserError('INVALID_INPUT', 'Say what to search for.');
  const answer = await api.request<{ tracks?: Paging<ApiTrack> }>(guildId, {
    method: 'GET',
    path: '/search',
    query: { q: q.slice(0, 200), type: 'track', limit: Math.max(1, Math.min(limit, SEARCH_LIMIT)) },
  });
  return (answer?.tracks?.items ?? [])
    .map((t) => fromApiTrack(t))
    .filter((t): t is SpotifyTrack => t !== null);
}

/** A queue track for a Spotify track: provider `spotify`, the URI, the ISRC in the metadata. */
export function toTrackInput(t: SpotifyTrack): TrackInput {
  const artwork = t.artworkUrl && t.artworkUrl.length <= 300 ? t.artworkUrl : null;
  return {
    id: t.id,
    title: cut(t.title, 200),
    artist: t.artists.length ? cut(t.artists.join(', '), 100) : null,
    album: t.album ? cut(t.album, 100) : null,
    artworkUrl: artwork,
    durationMs: t.durationMs || null,
    provider: 'spotify',
    uri: t.uri,
    metadata: { isrc: t.isrc, ...(t.url && t.url.length <= 200 && { spotify_url: t.url }) },
  };
}

/** Pages of `path` (after `first`, when it came with a parent object) until `limit` entries or the end. */
async function pages<T>(
  api: Api,
  guildId: string,
  path: string,
  limit: number,
  first: T[],
  firstNext: string | null | undefined,
  onTotal?: (total: number) => void,
): Promise<T[]> {
  const out = [...first];
  let told = false;
  let more = first.length === 0 || Boolean(firstNext);
  while (more && out.length < limit) {
    const page = await api.request<Paging<T>>(guildId, {
      method: 'GET',
      path,
      query: { limit: PAGE, offset: out.length },
    });
    const items = page?.items ?? [];
    if (!told && typeof page?.total === 'number') onTotal?.(page.total);
    told = true;
    out.push(...items);
    more = Boolean(page?.next) && items.length > 0;
  }
  return out;
}

function enc(id: string): string {
  if (!/^[A-Za-z0-9]{1,64}$/.test(id)) throw new UserError('INVALID_INPUT', 'That is not a Spotify id.');
  return id;
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
