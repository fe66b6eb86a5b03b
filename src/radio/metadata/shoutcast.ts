import { splitStreamTitle } from '../icy.ts';
import { at, emptyInfo, type MetadataParser, num, str } from './types.ts';

/**
 * Shoutcast v2: `GET {api_endpoint}/stats?sid={metadata_path or 1}&json=1`; `songtitle`
 * ("Artist - Title"), `servergenre`, `bitrate`, `content`.
 */
export const shoutcast: MetadataParser = {
  provider: 'shoutcast',
  request: (s) => {
    const url = new URL(s.apiEndpoint);
    if (!url.pathname.endsWith('/stats')) url.pathname = `${url.pathname.replace(/\/+$/, '')}/stats`;
    url.searchParams.set('sid', s.metadataPath ?? '1');
    url.searchParams.set('json', '1');
    return { url: url.href, headers: { accept: 'application/json', ...s.customHeaders } };
  },
  parse: (json) => {
    if (json === null || typeof json !== 'object') throw new Error('shoutcast: answer is not an object');
    const song = str(at(json, 'songtitle'));
    if (!song) return null;
    const { artist, title } = splitStreamTitle(song);
    const content = str(at(json, 'content'));
    return {
      ...emptyInfo(),
      title,
      artist,
      genre: str(at(json, 'servergenre')),
      bitrate: num(at(json, 'bitrate')),
      codec: content ? content.replace(/^(audio|application)\//, '') : null,
    };
  },
};
