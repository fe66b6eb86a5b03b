import { splitStreamTitle } from '../icy.ts';
import { at, emptyInfo, type MetadataParser, num, str } from './types.ts';

/**
 * Icecast's `GET {api_endpoint}` (the server's `/status-json.xsl`): `icestats.source` is one object or
 * an array of them; the station's mount is chosen by `metadata_path` (e.g. "/live"), else the first.
 * Reads `title` (often "Artist - Title", else `artist` + `title`), `server_name`, `genre`, `bitrate`,
 * `server_type`.
 */
export const icecastStatus: MetadataParser = {
  provider: 'icecast',
  request: (s) => ({ url: s.apiEndpoint, headers: { accept: 'application/json', ...s.customHeaders } }),
  parse: (json, station) => {
    const raw = at(json, 'icestats');
    if (raw === undefined || raw === null || typeof raw !== 'object')
      throw new Error('icecast: no "icestats" object');
    const sources = at(raw, 'source');
    const list = Array.isArray(sources) ? sources : sources ? [sources] : [];
    const mount = station.metadataPath;
    const source =
      (mount ? list.find((s) => String(at(s, 'listenurl') ?? '').endsWith(mount)) : undefined) ?? list[0];
    if (!source) return null;
    const artist = str(at(source, 'artist'));
    const title = str(at(source, 'title'));
    const split = !artist && title ? splitStreamTitle(title) : { artist, title };
    const type = str(at(source, 'server_type'));
    return {
      ...emptyInfo(),
      title: split.title,
      artist: split.artist,
      genre: str(at(source, 'genre')),
      bitrate: num(at(source, 'bitrate')) ?? num(at(source, 'audio_bitrate')),
      codec: type ? type.replace(/^(audio|application)\//, '') : null,
    };
  },
};
