import { at, bearer, emptyInfo, joinUrl, type MetadataParser, str } from './types.ts';

/** Pretzel: `GET {api_endpoint}/current` with a Bearer key; `track.name`, `track.artist.name`, `track.album.name`, `track.album.image_url`. */
export const pretzel: MetadataParser = {
  provider: 'pretzel',
  request: (s) => ({ url: joinUrl(s.apiEndpoint, 'current'), headers: bearer(s) }),
  parse: (json) => {
    const track = at(json, 'track');
    if (track === undefined || track === null) return null;
    if (typeof track !== 'object') throw new Error('pretzel: "track" is not an object');
    return {
      ...emptyInfo(),
      title: str(at(track, 'name')),
      artist: str(at(track, 'artist.name')),
      album: str(at(track, 'album.name')),
      thumbnail_url: str(at(track, 'album.image_url')),
    };
  },
};
