import { at, emptyInfo, joinUrl, type MetadataParser, num, str } from './types.ts';

/** Monstercat: `GET {api_endpoint}/api/now-playing` with `X-API-Key`; `title`, `artist`, `album`, `duration`, `genre`, `image_url`. */
export const monstercat: MetadataParser = {
  provider: 'monstercat',
  request: (s) => ({
    url: joinUrl(s.apiEndpoint, 'api/now-playing'),
    headers: {
      accept: 'application/json',
      ...(s.apiKey ? { 'x-api-key': s.apiKey } : {}),
      ...s.customHeaders,
    },
  }),
  parse: (json) => {
    if (json === null || typeof json !== 'object') throw new Error('monstercat: answer is not an object');
    if (!str(at(json, 'title'))) return null;
    return {
      ...emptyInfo(),
      title: str(at(json, 'title')),
      artist: str(at(json, 'artist')),
      album: str(at(json, 'album')),
      duration_seconds: num(at(json, 'duration')),
      genre: str(at(json, 'genre')),
      thumbnail_url: str(at(json, 'image_url')),
    };
  },
};
