import { at, bearer, emptyInfo, type MetadataParser, num, str } from './types.ts';

/**
 * Any JSON API, without code: `GET {api_endpoint}` (Bearer key if set) and `metadata_path` maps fields,
 * as `title=data.song.title;artist=data.song.artist;album=...;thumbnail_url=...;duration_seconds=...`
 * (dotted paths, array indexes as numbers). Without a title the answer counts as nothing playing.
 */
export const generic: MetadataParser = {
  provider: 'json',
  request: (s) => ({ url: s.apiEndpoint, headers: bearer(s) }),
  parse: (json, station) => {
    const map = parseMapping(station.metadataPath);
    const title = str(at(json, map.title ?? 'title'));
    if (!title) return null;
    return {
      ...emptyInfo(),
      title,
      artist: map.artist ? str(at(json, map.artist)) : str(at(json, 'artist')),
      album: map.album ? str(at(json, map.album)) : null,
      thumbnail_url: map.thumbnail_url ? str(at(json, map.thumbnail_url)) : null,
      duration_seconds: map.duration_seconds ? num(at(json, map.duration_seconds)) : null,
      genre: map.genre ? str(at(json, map.genre)) : null,
    };
  },
};

const FIELDS = ['title', 'artist', 'album', 'thumbnail_url', 'duration_seconds', 'genre'] as const;

/** "title=a.b;artist=c" -> { title: 'a.b', artist: 'c' }. @throws Error naming an unknown field */
export function parseMapping(text: string | null): Partial<Record<(typeof FIELDS)[number], string>> {
  const out: Partial<Record<(typeof FIELDS)[number], string>> = {};
  for (const part of (text ?? '')
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [field, path] = part.split('=').map((p) => p.trim());
    if (!field || !path || !(FIELDS as readonly string[]).includes(field)) {
      throw new Error(`json provider: "${part}" is not one of ${FIELDS.join(', ')} = a path`);
    }
    out[field as (typeof FIELDS)[number]] = path;
  }
  return out;
}
