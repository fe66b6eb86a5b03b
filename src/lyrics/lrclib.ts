import { z } from 'zod';

/**
 * A client of LRCLIB's public API (https://lrclib.net/docs): no key; a User-Agent naming the app, as
 * LRCLIB asks. `GET /api/get` finds one record by a track's signature (track and artist required,
 * album and duration in seconds narrow it, ±2 s), `GET /api/get/{id}` one by id, `GET /api/search`
 * a list (at most 20) by `q` or by `track_name`/`artist_name`.
 */

/** One LRCLIB record, as it is on the wire. */
const recordSchema = z.object({
  id: z.number().int(),
  trackName: z.string(),
  artistName: z.string(),
  albumName: z.string().nullable().optional(),
  duration: z.number().nullable().optional(),
  instrumental: z.boolean().default(false),
  plainLyrics: z.string().nullable().optional(),
  syncedLyrics: z.string().nullable().optional(),
});

export type LrclibRecord = z.infer<typeof recordSchema>;

/** LRCLIB did not answer usefully (down, slow, an error status, a body that is not a record). */
export class LyricsUnavailableError extends Error {
  override readonly name = 'LyricsUnavailableError';
}

export interface LrclibOptions {
  /** `https://lrclib.net` or a mirror (LYRICS_API_URL); `/api/...` is appended. */
  baseUrl: string;
  userAgent: string;
  /** Per request, headers and body included. Default 8 s. */
  timeoutMs?: number;
}

/** A track's signature for `GET /api/get`. */
export interface TrackSignature {
  track: string;
  artist: string;
  album?: string | null;
  /** Seconds. */
  durationS?: number | null;
}

export class LrclibClient {
  private readonly base: string;
  private readonly userAgent: string;
  private readonly timeoutMs: number;

  constructor(options: LrclibOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.userAgent = options.userAgent;
    this.timeoutMs = options.timeoutMs ?? 8_000;
  }

  /** The record for a signature, or null (404). @throws LyricsUnavailableError */
  async get(sig: TrackSignature): Promise<LrclibRecord | null> {
    const q = new URLSearchParams({ track_name: sig.track, artist_name: sig.artist });
    if (sig.album) q.set('album_name', sig.album);
    if (sig.durationS != null) q.set('duration', String(Math.round(sig.durationS)));
    const body = await this.request(`/api/get?${q}`);
    return body === null ? null : this.record(body);
  }

  /** The record with this id, or null (404). @throws LyricsUnavailableError */
  async getById(id: number): Promise<LrclibRecord | null> {
    const body = await this.request(`/api/get/${encodeURIComponent(String(id))}`);
    return body === null ? null : this.record(body);
  }

  /** Records matching words (`q`), best first; empty when none. @throws LyricsUnavailableError */
  async search(query: string): Promise<LrclibRecord[]> {
    const body = await this.request(`/api/search?${new URLSearchParams({ q: query })}`);
    const parsed = z.array(z.unknown()).safeParse(body ?? []);
    if (!parsed.success)
      throw new LyricsUnavailableError('LRCLIB search answered something else than a list');
    // One malformed record does not spoil the others.
    return parsed.data.flatMap((r) => {
      const one = recordSchema.safeParse(r);
      return one.success ? [one.data] : [];
    });
  }

  private record(body: unknown): LrclibRecord {
    const parsed = recordSchema.safeParse(body);
    if (!parsed.success) throw new LyricsUnavailableError('LRCLIB answered something else than a record');
    return parsed.data;
  }

  /** The JSON body, or null for a 404. */
  private async request(path: string): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        headers: { 'user-agent': this.userAgent, accept: 'application/json' },
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
    } catch (err) {
      throw new LyricsUnavailableError(`LRCLIB did not answer: ${(err as Error).message}`, { cause: err });
    }
    if (res.status === 404) {
      await res.body?.cancel();
      return null;
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new LyricsUnavailableError(`LRCLIB answered ${res.status}`);
    }
    try {
      return await res.json();
    } catch (err) {
      throw new LyricsUnavailableError('LRCLIB answered with a body that is not JSON', { cause: err });
    }
  }
}
