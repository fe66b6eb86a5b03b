import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One video resource as the Data API v3 returns it from /videos (the fields we fill in). */
export interface ApiVideo {
  kind: 'youtube#video';
  id: string;
  snippet: {
    title: string;
    channelTitle: string;
    channelId: string;
    liveBroadcastContent: 'none' | 'live' | 'upcoming';
    [key: string]: unknown;
  };
  contentDetails: { duration: string; [key: string]: unknown };
  status: { privacyStatus: 'public' | 'unlisted' | 'private'; embeddable: boolean; [key: string]: unknown };
}

const FIXTURE = new URL('../../fixtures/youtube/data-api-videos.json', import.meta.url);

/**
 * A YouTube Data API v3 server on a local port, answering as Google's does: `/youtube/v3/search`,
 * `/youtube/v3/videos` (ISO 8601 durations) and `/youtube/v3/playlistItems` (50 a page with
 * `nextPageToken`), Google's error envelope for a bad key, a used-up quota or an unknown playlist.
 * It starts with the videos of test/fixtures/youtube/data-api-videos.json.
 */
export class FakeYouTubeDataApi {
  readonly apiKey: string;
  /** Every request, as `path?query` (tests check what was asked, e.g. quota use). */
  readonly requests: URL[] = [];
  /** When true every call answers 403 quotaExceeded, as after 10,000 units in a day. */
  quotaExceeded = false;
  private readonly server: Server;
  private readonly videos = new Map<string, ApiVideo>();
  private readonly playlists = new Map<string, string[]>();

  private constructor(apiKey: string) {
    this.apiKey = apiKey;
    const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { items: ApiVideo[] };
    for (const video of fixture.items) this.videos.set(video.id, video);
    this.server = createServer((req, res) => this.handle(req, res));
  }

  static async start(apiKey = 'test-api-key'): Promise<FakeYouTubeDataApi> {
    const fake = new FakeYouTubeDataApi(apiKey);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** The base URL to give as YOUTUBE_API_URL. */
  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/youtube/v3`;
  }

  /** Adds a public video of `seconds` length (its title defaults to "Video <id>"). */
  addVideo(id: string, seconds: number, title = `Video ${id}`): void {
    this.videos.set(id, {
      kind: 'youtube#video',
      id,
      snippet: { title, channelTitle: 'Test Channel', channelId: 'UCtest', liveBroadcastContent: 'none' },
      contentDetails: { duration: `PT${Math.floor(seconds / 60)}M${seconds % 60}S` },
      status: { privacyStatus: 'public', embeddable: true },
    });
  }

  /** A playlist of these video ids; ids with no video stand for deleted entries. */
  addPlaylist(id: string, videoIds: string[]): void {
    this.playlists.set(id, videoIds);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    this.requests.push(url);
    const [status, body] = this.answer(url);
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify(body));
  }

  /** The status and JSON body Google would send for this request. */
  private answer(url: URL): [number, unknown] {
    const q = url.searchParams;
    if (q.get('key') !== this.apiKey)
      return error(400, 'keyInvalid', 'API key not valid. Please pass a valid API key.');
    if (this.quotaExceeded)
      return error(
        403,
        'quotaExceeded',
        'The request cannot be completed because you have exceeded your quota.',
      );
    const max = Math.min(Number(q.get('maxResults') ?? 5), 50);
    switch (url.pathname) {
      case '/youtube/v3/search': {
        const words = (q.get('q') ?? '').toLowerCase().split(/\s+/).filter(Boolean);
        const hits = [...this.videos.values()]
          .filter((v) => words.every((w) => v.snippet.title.toLowerCase().includes(w)))
          .slice(0, max);
        return ok({
          kind: 'youtube#searchListResponse',
          regionCode: 'US',
          pageInfo: { totalResults: hits.length, resultsPerPage: max },
          items: hits.map((v) => ({
            kind: 'youtube#searchResult',
            id: { kind: 'youtube#video', videoId: v.id },
            snippet: { title: v.snippet.title, channelTitle: v.snippet.channelTitle },
          })),
        });
      }
      case '/youtube/v3/videos': {
        const ids = (q.get('id') ?? '').split(',').filter(Boolean);
        if (ids.length > 50) return error(400, 'invalidParameter', 'Too many ids.');
        const items = ids.flatMap((id) => this.videos.get(id) ?? []);
        return ok({
          kind: 'youtube#videoListResponse',
          items,
          pageInfo: { totalResults: items.length },
        });
      }
      case '/youtube/v3/playlistItems': {
        const list = this.playlists.get(q.get('playlistId') ?? '');
        if (!list)
          return error(404, 'playlistNotFound', 'The playlist identified with the request cannot be found.');
        const start = Number(q.get('pageToken')?.replace('page-', '') ?? 0);
        const page = list.slice(start, start + max);
        return ok({
          kind: 'youtube#playlistItemListResponse',
          ...(start + max < list.length ? { nextPageToken: `page-${start + max}` } : {}),
          pageInfo: { totalResults: list.length, resultsPerPage: max },
          items: page.map((videoId, i) => ({
            kind: 'youtube#playlistItem',
            id: `item-${start + i}`,
            contentDetails: { videoId },
          })),
        });
      }
      default:
        return error(404, 'notFound', 'Not Found');
    }
  }
}

function ok(body: unknown): [number, unknown] {
  return [200, body];
}

/** Google's error envelope. */
function error(code: number, reason: string, message: string): [number, unknown] {
  return [
    code,
    { error: { code, message, errors: [{ message, domain: 'youtube.quota', reason }], status: 'ERROR' } },
  ];
}
