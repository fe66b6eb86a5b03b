import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local LRCLIB (https://lrclib.net/docs) over real HTTP on loopback, as strict as the real one
 * where the bot depends on it: `GET /api/get` wants `track_name` and `artist_name` (400 without),
 * matches a given `duration` within ±2 s and answers 404 `TrackNotFound` otherwise; `GET /api/get/{id}`;
 * `GET /api/search` wants `q` or `track_name` (400 without) and returns at most 20 records. Records
 * carry the real field names (`trackName`, `plainLyrics`, `syncedLyrics`, `instrumental`, ...).
 */
export interface FakeLrclibRecord {
  id: number;
  name: string;
  trackName: string;
  artistName: string;
  albumName: string;
  duration: number;
  instrumental: boolean;
  plainLyrics: string | null;
  syncedLyrics: string | null;
}

export interface FakeLrclibRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  userAgent: string | undefined;
}

/** `ok`: answers; `error`: 500 to everything; `hang`: accepts and never answers (a timeout). */
export type FakeLrclibMode = 'ok' | 'error' | 'hang';

export class FakeLrclib {
  readonly records: FakeLrclibRecord[] = [];
  readonly requests: FakeLrclibRequest[] = [];
  mode: FakeLrclibMode = 'ok';
  private nextId = 1000;
  private readonly server: Server;
  private readonly hanging = new Set<ServerResponse>();

  private constructor(server: Server) {
    this.server = server;
  }

  static async start(): Promise<FakeLrclib> {
    const server = createServer();
    const fake = new FakeLrclib(server);
    server.on('request', (req, res) => fake.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** The base URL to put in LYRICS_API_URL. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Adds a song; `duration` in seconds. */
  add(song: {
    track: string;
    artist: string;
    album?: string;
    duration: number;
    plain?: string | null;
    synced?: string | null;
    instrumental?: boolean;
  }): FakeLrclibRecord {
    const instrumental = song.instrumental ?? false;
    const record: FakeLrclibRecord = {
      id: this.nextId++,
      name: song.track,
      trackName: song.track,
      artistName: song.artist,
      albumName: song.album ?? song.track,
      duration: song.duration,
      instrumental,
      plainLyrics: instrumental ? null : (song.plain ?? null),
      syncedLyrics: instrumental ? null : (song.synced ?? null),
    };
    this.records.push(record);
    return record;
  }

  /** Requests to an API path (`/api/get`, `/api/search`, `/api/get/1000`). */
  calls(path: string): FakeLrclibRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://lrclib.local');
    const query = Object.fromEntries(url.searchParams);
    this.requests.push({
      method: req.method ?? '',
      path: url.pathname,
      query,
      userAgent: req.headers['user-agent'],
    });
    if (this.mode === 'hang') {
      this.hanging.add(res);
      res.on('close', () => this.hanging.delete(res));
      return;
    }
    const [status, body] = this.answer(req.method ?? '', url.pathname, query);
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  private answer(method: string, path: string, q: Record<string, string>): Answer {
    if (this.mode === 'error') return [500, { code: 500, name: 'InternalServerError', message: 'boom' }];
    if (method !== 'GET') return [405, { code: 405, name: 'MethodNotAllowed', message: 'GET only' }];
    if (path === '/api/get') return this.get(q);
    const byId = /^\/api\/get\/([^/]+)$/.exec(path);
    if (byId) {
      if (!/^\d+$/.test(byId[1]!)) return badRequest('id must be an integer');
      const record = this.records.find((r) => r.id === Number(byId[1]));
      return record ? [200, record] : NOT_FOUND;
    }
    if (path === '/api/search') return this.search(q);
    return [404, { code: 404, name: 'NotFound', message: 'Not found' }];
  }

  private get(q: Record<string, string>): Answer {
    if (!q.track_name?.trim() || !q.artist_name?.trim())
      return badRequest('track_name and artist_name are required');
    if (q.duration !== undefined && !Number.isFinite(Number(q.duration)))
      return badRequest('duration must be a number');
    const record = this.records.find(
      (r) =>
        same(r.trackName, q.track_name!) &&
        same(r.artistName, q.artist_name!) &&
        (q.duration === undefined || Math.abs(r.duration - Number(q.duration)) <= 2),
    );
    return record ? [200, record] : NOT_FOUND;
  }

  private search(q: Record<string, string>): Answer {
    if (!q.q?.trim() && !q.track_name?.trim()) return badRequest('q or track_name is required');
    const words = words_(q.q ?? [q.track_name, q.artist_name, q.album_name].filter(Boolean).join(' '));
    const found = this.records.filter((r) => {
      const hay = words_(`${r.trackName} ${r.artistName} ${r.albumName}`);
      return words.every((w) => hay.includes(w));
    });
    return [200, found.slice(0, 20)];
  }
}

type Answer = [status: number, body: unknown];

const NOT_FOUND: Answer = [
  404,
  { code: 404, name: 'TrackNotFound', message: 'Failed to find specified track' },
];

function badRequest(message: string): Answer {
  return [400, { code: 400, name: 'BadRequest', message }];
}

function words_(s: string): string[] {
  return s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}']+/u)
    .filter(Boolean);
}

function same(a: string, b: string): boolean {
  return words_(a).join(' ') === words_(b).join(' ');
}
