import type { NowPlayingInfo } from '../icy.ts';

/** What a station's metadata API fetcher gets: the station's saved settings. */
export interface StationApi {
  apiEndpoint: string;
  apiKey: string | null;
  metadataPath: string | null;
  customHeaders: Record<string, string>;
}

/**
 * One station metadata API: the request to make and how to read its answer. Each lives in its own
 * small file, so that a corrected response shape is a one-file change.
 */
export interface MetadataParser {
  readonly provider: string;
  request(station: StationApi): { url: string; headers: Record<string, string> };
  /** Reads the JSON answer; null when it holds no current track. @throws Error on a malformed answer */
  parse(json: unknown, station: StationApi): Omit<NowPlayingInfo, 'updated_at'> | null;
}

export function emptyInfo(): Omit<NowPlayingInfo, 'updated_at'> {
  return {
    title: null,
    artist: null,
    album: null,
    duration_seconds: null,
    bitrate: null,
    codec: null,
    genre: null,
    thumbnail_url: null,
  };
}

/** Follows a dotted path ("a.b.0.c") into parsed JSON; undefined when any step is missing. */
export function at(json: unknown, path: string): unknown {
  let value: unknown = json;
  for (const key of path.split('.').filter(Boolean)) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

export function str(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() || null;
  if (typeof value === 'number') return String(value);
  return null;
}

export function num(value: unknown): number | null {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}

export function bearer(station: StationApi): Record<string, string> {
  return {
    accept: 'application/json',
    ...(station.apiKey ? { authorization: `Bearer ${station.apiKey}` } : {}),
    ...station.customHeaders,
  };
}

export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
