import { at, bearer, emptyInfo, joinUrl, type MetadataParser, num, str } from './types.ts';

/**
 * Epidemic Sound: `GET {api_endpoint}/v4/streams/{metadata_path = stream id}` with a Bearer key;
 * `current_track.title`, `current_track.artist.name`, `current_track.album.name`, `current_track.duration` (s).
 */
export const epidemic: MetadataParser = {
  provider: 'epidemic',
  request: (s) => {
    if (!s.metadataPath) throw new Error('epidemic: metadata_path must hold the stream id');
    return {
      url: joinUrl(s.apiEndpoint, `v4/streams/${encodeURIComponent(s.metadataPath)}`),
      headers: bearer(s),
    };
  },
  parse: (json) => {
    const track = at(json, 'current_track');
    if (track === undefined || track === null) return null;
    if (typeof track !== 'object') throw new Error('epidemic: "current_track" is not an object');
    return {
      ...emptyInfo(),
      title: str(at(track, 'title')),
      artist: str(at(track, 'artist.name')),
      album: str(at(track, 'album.name')),
      duration_seconds: num(at(track, 'duration')),
    };
  },
};
