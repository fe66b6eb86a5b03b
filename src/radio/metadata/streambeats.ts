import { at, bearer, emptyInfo, joinUrl, type MetadataParser, num, str } from './types.ts';

/** StreamBeats: `GET {api_endpoint}/now-playing`; `track.name`, `track.artist`, `track.album`, `track.duration`, `track.cover_art`. */
export const streambeats: MetadataParser = {
  provider: 'streambeats',
  request: (s) => ({ url: joinUrl(s.apiEndpoint, 'now-playing'), headers: bearer(s) }),
  parse: (json) => {
    const track = at(json, 'track');
    if (track === undefined || track === null) return null;
    if (typeof track !== 'object') throw new Error('streambeats: "track" is not an object');
    return {
      ...emptyInfo(),
      title: str(at(track, 'name')),
      artist: str(at(track, 'artist')),
      album: str(at(track, 'album')),
      duration_seconds: num(at(track, 'duration')),
      thumbnail_url: str(at(track, 'cover_art')),
    };
  },
};
