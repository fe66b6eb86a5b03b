import type { Clock } from '../core/clock.ts';
import { type LrcLine, parseLrc } from './lrc.ts';
import type { LrclibClient, LrclibRecord } from './lrclib.ts';

/** A song's lyrics as the front ends use them. */
export interface Lyrics {
  /** LRCLIB's record id: page buttons and the overlay find the same record again by it. */
  id: number;
  title: string;
  artist: string;
  album: string | null;
  durationMs: number | null;
  instrumental: boolean;
  /** The words without times (from the synced ones when only those exist); null when instrumental. */
  plain: string | null;
  /** Timed lines, when LRCLIB has them. */
  synced: LrcLine[] | null;
}

/** What is known of the song to find lyrics for (a queued track, or what the overlay shows). */
export interface TrackRef {
  title: string;
  artist: string | null;
  album: string | null;
  durationMs: number | null;
}

export interface LyricsServiceDeps {
  client: Pick<LrclibClient, 'get' | 'getById' | 'search'>;
  clock: Clock;
  /** How long a found record is kept. Default 6 h. */
  ttlMs?: number;
  /** How long "LRCLIB has nothing" is kept. Default 10 min. */
  missTtlMs?: number;
  /** Entries kept at most (the oldest go first). Default 1,000. */
  maxEntries?: number;
}

/** LRCLIB matches a duration within ±2 s; a search result further off than this is another recording. */
const DURATION_SLACK_S = 5;

/**
 * Finds lyrics for a track or for words through LRCLIB, and keeps answers (found and not found) for a
 * while, so that an overlay reloading, page buttons and several members asking cost one request.
 * Failures are not kept. @throws LyricsUnavailableError from every method when LRCLIB is down.
 */
export class LyricsService {
  private readonly deps: LyricsServiceDeps;
  private readonly cache = new Map<string, { value: Lyrics | null; until: number }>();
  private readonly inFlight = new Map<string, Promise<Lyrics | null>>();

  constructor(deps: LyricsServiceDeps) {
    this.deps = deps;
  }

  /**
   * Lyrics for a track: by its signature when the artist is known, else (or when that finds nothing)
   * the best search result for "artist title", preferring one of about the same duration with synced lines.
   */
  forTrack(track: TrackRef): Promise<Lyrics | null> {
    const { title, artist } = cleanTrack(track);
    const durationS = track.durationMs == null ? null : Math.round(track.durationMs / 1000);
    const key = `t:${norm(title)}|${norm(artist ?? '')}|${durationS ?? ''}`;
    return this.cached(key, async () => {
      if (artist) {
        const found = await this.deps.client.get({ track: title, artist, album: track.album, durationS });
        if (found) return found;
      }
      return best(await this.deps.client.search(artist ? `${artist} ${title}` : title), durationS);
    });
  }

  /** The best match for words someone typed. */
  search(query: string): Promise<Lyrics | null> {
    return this.cached(`q:${norm(query)}`, async () => best(await this.deps.client.search(query), null));
  }

  /** The record with this id (page buttons). */
  byId(id: number): Promise<Lyrics | null> {
    return this.cached(`i:${id}`, () => this.deps.client.getById(id));
  }

  private cached(key: string, load: () => Promise<LrclibRecord | null>): Promise<Lyrics | null> {
    const now = this.deps.clock.now();
    const hit = this.cache.get(key);
    if (hit && hit.until > now) return Promise.resolve(hit.value);
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const promise = load()
      .then((record) => {
        const value = record ? toLyrics(record) : null;
        this.remember(key, value);
        if (value) this.remember(`i:${value.id}`, value);
        return value;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }

  private remember(key: string, value: Lyrics | null): void {
    const ttl = value ? (this.deps.ttlMs ?? 6 * 3_600_000) : (this.deps.missTtlMs ?? 600_000);
    this.cache.delete(key);
    this.cache.set(key, { value, until: this.deps.clock.now() + ttl });
    const max = this.deps.maxEntries ?? 1_000;
    while (this.cache.size > max) this.cache.delete(this.cache.keys().next().value!);
  }
}

function toLyrics(r: LrclibRecord): Lyrics {
  const synced = r.syncedLyrics ? parseLrc(r.syncedLyrics) : null;
  const timed = synced && synced.length > 0 ? synced : null;
  const plain =
    r.plainLyrics?.trim() ||
    (timed
      ? timed
          .map((l) => l.text)
          .join('\n')
          .trim()
      : '') ||
    null;
  return {
    id: r.id,
    title: r.trackName,
    artist: r.artistName,
    album: r.albumName ?? null,
    durationMs: r.duration == null ? null : Math.round(r.duration * 1000),
    instrumental: r.instrumental || (!plain && !timed),
    plain,
    synced: timed,
  };
}

/** The first result of about the right duration, one with synced lines first; else the first. */
function best(records: LrclibRecord[], durationS: number | null): LrclibRecord | null {
  const near =
    durationS == null
      ? records
      : records.filter((r) => r.duration == null || Math.abs(r.duration - durationS) <= DURATION_SLACK_S);
  return near.find((r) => r.syncedLyrics) ?? near[0] ?? null;
}

/**
 * Video titles carry noise LRCLIB does not know: "(Official Video)", "[Lyrics]", "ft. Someone", and
 * "Artist - Title" with the uploader (or "Artist - Topic") as the artist.
 */
export function cleanTrack(track: Pick<TrackRef, 'title' | 'artist'>): {
  title: string;
  artist: string | null;
} {
  let title = track.title
    .replace(
      /\s*[([][^)\]]*\b(official|video|audio|lyrics?|visuali[sz]er|hd|4k|remaster(ed)?|mv|feat|ft)\b[^)\]]*[)\]]/gi,
      '',
    )
    .replace(/\s+(ft\.?|feat\.?|featuring)\s.*$/i, '')
    .trim();
  let artist = track.artist?.replace(/\s+-\s+Topic$/i, '').trim() || null;
  const dash = /^(.+?)\s+[-–—]\s+(.+)$/.exec(title);
  if (dash && (!artist || norm(dash[1]!) === norm(artist) || /vevo$/i.test(artist))) {
    artist = dash[1]!.trim();
    title = dash[2]!.trim();
  }
  if (artist && /vevo$/i.test(artist)) artist = artist.replace(/vevo$/i, '').trim() || null;
  return { title: title || track.title, artist };
}

function norm(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}
