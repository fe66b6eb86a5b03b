import { foldText } from '../core/fold.ts';
import type { Track } from '../core/track.ts';
import type { StoredBlockEntry } from '../storage/db/blocklist.ts';

/**
 * Which block-list entry, if any, a track hits. Everything is compared folded (case- and
 * accent-insensitive, {@link foldText}):
 * - track: the entry is the track's provider id, `provider:id`, or a link to it (the link's scheme,
 *   `www.`/`m.` and a trailing slash aside; YouTube and Spotify links also by the id they carry);
 * - artist: the track's artist, one of its credited artists ("A, B & C feat. D"), or the "Artist - "
 *   that starts a title (YouTube uploads name their artist there);
 * - keyword: a whole word or phrase of the title, artist or album ("ass" does not block "classic").
 */
export function blockedBy(entries: readonly StoredBlockEntry[], track: Track): StoredBlockEntry | null {
  if (entries.length === 0) return null;
  const list = compiled(entries);
  for (const id of trackIds(track)) {
    const hit = list.tracks.get(id);
    if (hit) return hit;
  }
  for (const artist of artistsOf(track)) {
    const hit = list.artists.get(artist);
    if (hit) return hit;
  }
  const title = foldText(track.title);
  // "Artist - Title": every prefix before a " - " may be an artist.
  for (let at = title.indexOf(' - '); at !== -1; at = title.indexOf(' - ', at + 1)) {
    const hit = list.artists.get(title.slice(0, at));
    if (hit) return hit;
  }
  const text = [title, foldText(track.artist ?? ''), foldText(track.album ?? '')];
  for (const entry of list.keywords) {
    if (text.some((t) => containsWords(t, entry.normalized))) return entry;
  }
  return null;
}

interface Compiled {
  /** Every folded form a track entry names (the entry, a link's bare form and the id it carries). */
  tracks: Map<string, StoredBlockEntry>;
  artists: Map<string, StoredBlockEntry>;
  keywords: StoredBlockEntry[];
}

/**
 * A list's entries indexed once: a playlist's tracks are all checked against the list the add read,
 * so links are parsed once per list, not once per track (5,000 entries: 13 ms a track before).
 */
const cache = new WeakMap<readonly StoredBlockEntry[], Compiled>();

function compiled(entries: readonly StoredBlockEntry[]): Compiled {
  const known = cache.get(entries);
  if (known) return known;
  const out: Compiled = { tracks: new Map(), artists: new Map(), keywords: [] };
  for (const entry of entries) {
    if (entry.kind === 'track') {
      for (const form of [entry.normalized, ...linkIds(entry.normalized)]) {
        if (!out.tracks.has(form)) out.tracks.set(form, entry);
      }
    } else if (entry.kind === 'artist') {
      if (!out.artists.has(entry.normalized)) out.artists.set(entry.normalized, entry);
    } else out.keywords.push(entry);
  }
  cache.set(entries, out);
  return out;
}

/** The folded forms a track entry may name this track by. */
function trackIds(track: Track): Set<string> {
  const id = foldText(track.id);
  const ids = new Set([id, `${track.provider}:${id}`, bareLink(foldText(track.uri))]);
  for (const linked of linkIds(foldText(track.uri))) ids.add(linked);
  return ids;
}

/** A folded link without scheme, `www.`/`m.` and trailing slash. */
function bareLink(text: string): string {
  return text
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/^(www|m|music)\./, '')
    .replace(/\/+$/, '');
}

/** What a folded link names: itself (bare), and the provider id a YouTube or Spotify link carries. */
function linkIds(text: string): string[] {
  if (!/^https?:\/\//.test(text)) return [];
  const out = [bareLink(text)];
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return out;
  }
  const host = url.hostname.replace(/^(www|m|music)\./, '');
  const segments = url.pathname.split('/').filter(Boolean);
  if (host === 'youtube.com') {
    const v =
      url.searchParams.get('v') ?? (segments[0] === 'shorts' || segments[0] === 'live' ? segments[1] : null);
    if (v) out.push(v, `youtube:${v}`);
  } else if (host === 'youtu.be' && segments[0]) {
    out.push(segments[0], `youtube:${segments[0]}`);
  } else if (host === 'open.spotify.com') {
    const i = segments.indexOf('track');
    if (i !== -1 && segments[i + 1]) out.push(segments[i + 1]!, `spotify:${segments[i + 1]}`);
  }
  return out;
}

const SEPARATORS = /\s*(?:,|&|;|\/|\+|\bfeat\b\.?|\bft\b\.?|\bfeaturing\b|\bvs\b\.?)\s*/u;

function artistsOf(track: Track): Set<string> {
  const whole = foldText(track.artist ?? '');
  if (!whole) return new Set();
  return new Set([
    whole,
    ...whole
      .split(SEPARATORS)
      .map((a) => a.trim())
      .filter(Boolean),
  ]);
}

/** Whether `phrase` occurs in `text` as whole words (not inside a longer word). */
function containsWords(text: string, phrase: string): boolean {
  let from = 0;
  for (;;) {
    const at = text.indexOf(phrase, from);
    if (at === -1) return false;
    const before = at === 0 ? '' : text[at - 1]!;
    const after = text[at + phrase.length] ?? '';
    if (!isWordChar(before) && !isWordChar(after)) return true;
    from = at + 1;
  }
}

function isWordChar(c: string): boolean {
  return c !== '' && /[\p{L}\p{N}]/u.test(c);
}
