/** What a Spotify link or URI points at. */
export interface SpotifyRef {
  kind: 'track' | 'album' | 'playlist';
  /** Base62 id, 22 characters. */
  id: string;
}

const KINDS = new Set(['track', 'album', 'playlist']);
const ID = /^[A-Za-z0-9]{22}$/;

/**
 * Reads `spotify:track:<id>` URIs and `https://open.spotify.com/[intl-xx/]track/<id>?si=...` links
 * (album and playlist too); null for anything else, including short `spotify.link` links.
 */
export function parseSpotifyRef(input: string): SpotifyRef | null {
  const text = input.trim();
  const uri = /^spotify:(track|album|playlist):([A-Za-z0-9]{22})$/.exec(text);
  if (uri) return { kind: uri[1] as SpotifyRef['kind'], id: uri[2]! };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.hostname !== 'open.spotify.com' && url.hostname !== 'play.spotify.com') return null;
  const parts = url.pathname.split('/').filter(Boolean);
  if (parts[0]?.startsWith('intl-')) parts.shift();
  const [kind, id] = parts;
  if (!kind || !id || !KINDS.has(kind) || !ID.test(id)) return null;
  return { kind: kind as SpotifyRef['kind'], id };
}

/** `spotify:track:<id>` */
export function trackUri(id: string): string {
  return `spotify:track:${id}`;
}

/** Whether a value is a playable track URI as the player routes take it. */
export function isTrackUri(uri: string): boolean {
  return /^spotify:track:[A-Za-z0-9]{22}$/.test(uri);
}
