import { UserError } from '../core/errors.ts';
import type { TrackInput } from '../core/track.ts';
import { parseIsoDuration, videoTrack } from './youtube-map.ts';

export const DEFAULT_DATA_API_URL = 'https://www.googleapis.com/youtube/v3';

interface ApiVideo {
  id?: string;
  snippet?: { title?: string; channelTitle?: string; channelId?: string; liveBroadcastContent?: string };
  contentDetails?: { duration?: string };
  status?: { embeddable?: boolean; privacyStatus?: string };
}
interface SearchResponse {
  items?: { id?: { kind?: string; videoId?: string } }[];
}
interface PlaylistItemsResponse {
  nextPageToken?: string;
  pageInfo?: { totalResults?: number };
  items?: { contentDetails?: { videoId?: string }; snippet?: { resourceId?: { videoId?: string } } }[];
}
interface ApiErrorBody {
  error?: { code?: number; message?: string; errors?: { reason?: string }[] };
}

/**
 * The YouTube Data API v3 (`YOUTUBE_API_KEY`), as the seed used it: `/search` finds ids, `/videos`
 * gives titles and ISO 8601 durations, `/playlistItems` pages through playlists (50 a page). Each
 * search costs 100 quota units and each other call 1, out of 10,000 a day by default.
 */
export class YouTubeDataApi {
  private readonly apiKey: string;
  private readonly baseUrl: string;
  private readonly timeoutMs: number;

  constructor(options: { apiKey: string; baseUrl?: string; timeoutMs?: number }) {
    this.apiKey = options.apiKey;
    this.baseUrl = (options.baseUrl ?? DEFAULT_DATA_API_URL).replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 8_000;
  }

  /** Videos for some words, in YouTube's order, with durations. @throws UserError */
  async search(query: string, limit: number): Promise<TrackInput[]> {
    const found = await this.get<SearchResponse>('search', {
      part: 'snippet',
      type: 'video',
      maxResults: String(clamp(limit, 1, 50)),
      q: query.slice(0, 200),
    });
    const ids = (found.items ?? []).map((item) => item.id?.videoId).filter((id): id is string => !!id);
    return this.videos(ids);
  }

  /** Tracks for these video ids, in the same order; ids YouTube does not know are left out. */
  async videos(ids: string[]): Promise<TrackInput[]> {
    const byId = new Map<string, TrackInput>();
    for (let i = 0; i < ids.length; i += 50) {
      const page = await this.get<{ items?: ApiVideo[] }>('videos', {
        part: 'snippet,contentDetails,status',
        id: ids.slice(i, i + 50).join(','),
        maxResults: '50',
      });
      for (const video of page.items ?? []) {
        if (!video.id || video.status?.privacyStatus === 'private') continue;
        const live = ['live', 'upcoming'].includes(video.snippet?.liveBroadcastContent ?? '');
        byId.set(
          video.id,
          videoTrack({
            id: video.id,
            title: video.snippet?.title,
            channel: video.snippet?.channelTitle,
            channelId: video.snippet?.channelId,
            durationMs: parseIsoDuration(video.contentDetails?.duration),
            live,
          }),
        );
      }
    }
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /**
   * The first `limit` playable videos of a playlist; `onTotal` hears how many entries it has in all.
   * @throws UserError NOT_FOUND for an unknown list
   */
  async playlist(
    playlistId: string,
    limit: number,
    onTotal?: (total: number) => void,
  ): Promise<TrackInput[]> {
    const ids: string[] = [];
    let pageToken: string | undefined;
    // Private and deleted entries are dropped by /videos, so read a little past the limit.
    const want = limit + Math.min(10, limit);
    do {
      const page = await this.get<PlaylistItemsResponse>('playlistItems', {
        part: 'contentDetails',
        playlistId,
        maxResults: '50',
        ...(pageToken ? { pageToken } : {}),
      });
      for (const item of page.items ?? []) {
        const id = item.contentDetails?.videoId ?? item.snippet?.resourceId?.videoId;
        if (id && !ids.includes(id)) ids.push(id);
      }
      if (!pageToken && typeof page.pageInfo?.totalResults === 'number')
        onTotal?.(page.pageInfo.totalResults);
      pageToken = page.nextPageToken;
    } while (pageToken && ids.length < want);
    return (await this.videos(ids.slice(0, want))).slice(0, limit);
  }

  private async get<T>(path: string, params: Record<string, string>): Promise<T> {
    const url = new URL(`${this.baseUrl}/${path}`);
    for (const [key, value] of Object.entries({ ...params, key: this.apiKey }))
      url.searchParams.set(key, value);
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const why = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
      throw new UserError('UPSTREAM_ERROR', `The YouTube Data API could not be reached (${why}).`);
    }
    const text = await response.text();
    if (!response.ok) throw apiError(response.status, text);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new UserError('UPSTREAM_ERROR', 'The YouTube Data API answered something that is not JSON.');
    }
  }
}

/** YouTube's error reasons in words a server owner can act on. */
function apiError(status: number, body: string): UserError {
  let parsed: ApiErrorBody = {};
  try {
    parsed = JSON.parse(body) as ApiErrorBody;
  } catch {
    parsed = {};
  }
  const reason = parsed.error?.errors?.[0]?.reason ?? '';
  if (reason === 'playlistNotFound' || reason === 'videoNotFound' || status === 404)
    return new UserError('NOT_FOUND', 'YouTube does not know that playlist or video (or it is private).');
  if (reason === 'quotaExceeded' || reason === 'dailyLimitExceeded')
    return new UserError(
      'UPSTREAM_ERROR',
      "The bot's YouTube Data API quota for today is used up; try again tomorrow.",
      {
        reason,
      },
    );
  if (reason === 'keyInvalid' || reason === 'keyExpired' || /api key/i.test(parsed.error?.message ?? ''))
    return new UserError('UPSTREAM_ERROR', "YouTube refused the bot's API key (YOUTUBE_API_KEY).", {
      reason,
    });
  return new UserError(
    'UPSTREAM_ERROR',
    `The YouTube Data API answered ${status}${reason ? ` (${reason})` : ''}.`,
    {
      status,
    },
  );
}

function clamp(n: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, Math.floor(n)));
}
