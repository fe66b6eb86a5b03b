import { UserError } from '../core/errors.ts';
import { type Logger, silentLogger } from '../core/logger.ts';
import type { Track, TrackInput } from '../core/track.ts';
import type { PlayableStream } from '../playback/ports.ts';
import type { Provider, ProviderHealth, ResolveOptions } from './provider.ts';
import { YouTubeDataApi } from './youtube-data-api.ts';
import { failureToUserError, toFailure, type YouTubeFailure } from './youtube-errors.ts';
import { InnertubeExtractor, type InnertubeOptions, type OpenedAudio } from './youtube-innertube.ts';
import { type VideoFacts, videoTrack } from './youtube-map.ts';
import { isYouTubeUrl, parseYouTubeUrl } from './youtube-url.ts';
import { YtDlp } from './youtube-ytdlp.ts';

export interface YouTubeProviderOptions {
  /** `YOUTUBE_API_KEY`: metadata and search from the Data API v3 instead of youtubei.js. */
  apiKey?: string | undefined;
  /** `YOUTUBE_API_URL` (default https://www.googleapis.com/youtube/v3). */
  apiUrl?: string | undefined;
  /** `YOUTUBE_COOKIE`: a signed-in browser's Cookie header (age-restricted videos, bot checks). */
  cookie?: string | undefined;
  /** `YOUTUBE_PO_TOKEN` and `YOUTUBE_VISITOR_DATA`: a Proof of Origin token and its visitor data. */
  poToken?: string | undefined;
  visitorData?: string | undefined;
  /** `YTDLP_PATH`: the yt-dlp executable (default: `yt-dlp` on PATH). */
  ytDlpPath?: string | undefined;
  /** Lower-level youtubei.js settings (tests: a fake InnerTube through `fetch`). */
  innertube?: Omit<InnertubeOptions, 'cookie' | 'poToken' | 'visitorData'>;
  logger?: Logger;
}

const VIDEO_ID = /^[A-Za-z0-9_-]{11}$/;

/**
 * YouTube videos, playlists and search. Metadata comes from the Data API when a key is set (and
 * from youtubei.js when it is not, or when the quota is used up); audio comes from youtubei.js,
 * then from yt-dlp when YouTube refuses youtubei.js and yt-dlp is installed. Links are only read
 * for their video or playlist id: we never fetch a user's URL, so the SSRF guard has nothing to see.
 */
export class YouTubeProvider implements Provider {
  readonly name = 'youtube';
  private readonly dataApi: YouTubeDataApi | null;
  private readonly extractor: InnertubeExtractor;
  private readonly ytDlp: YtDlp;
  private readonly logger: Logger;
  private resolver: 'youtubei.js' | 'yt-dlp' = 'youtubei.js';
  private lastError: string | null = null;
  private lastOpenFailed = false;

  constructor(options: YouTubeProviderOptions = {}) {
    this.dataApi = options.apiKey
      ? new YouTubeDataApi({ apiKey: options.apiKey, baseUrl: options.apiUrl })
      : null;
    this.extractor = new InnertubeExtractor({
      ...options.innertube,
      cookie: options.cookie,
      poToken: options.poToken,
      visitorData: options.visitorData,
    });
    this.ytDlp = new YtDlp({
      path: options.ytDlpPath,
      cookie: options.cookie,
      onExit: (info) => this.logger.debug(info, 'yt-dlp exited'),
    });
    this.logger = options.logger ?? silentLogger();
  }

  canResolve(url: URL): boolean {
    return isYouTubeUrl(url);
  }

  /** @throws UserError INVALID_URL, NOT_FOUND, UPSTREAM_ERROR */
  async resolve(url: URL, options: ResolveOptions): Promise<TrackInput[]> {
    const link = parseYouTubeUrl(url);
    if (link.kind === 'video') return [await this.video(link.videoId, link.startMs)];
    const limit = Math.max(1, Math.floor(options.limit));
    const api = this.dataApi;
    if (api) {
      const tracks = await this.withApi(() => api.playlist(link.playlistId, limit, options.onTotal));
      if (tracks) return tracks;
    }
    return (await this.guard(() => this.extractor.playlist(link.playlistId, limit))).map((v) =>
      videoTrack(v),
    );
  }

  /** @throws UserError UPSTREAM_ERROR */
  async search(query: string, limit: number): Promise<TrackInput[]> {
    const api = this.dataApi;
    if (api) {
      const tracks = await this.withApi(() => api.search(query, limit));
      if (tracks) return tracks;
    }
    return (await this.guard(() => this.extractor.search(query, limit))).map((v) => videoTrack(v));
  }

  /**
   * Opens the audio: youtubei.js first, yt-dlp when YouTube refused it. A `t=` start from the link
   * is the seek unless the player asks for a position of its own (a resume).
   * @throws UserError INVALID_INPUT, NOT_FOUND, UPSTREAM_ERROR naming the cause
   */
  async open(track: Track, options: { seekMs?: number } = {}): Promise<PlayableStream> {
    if (!VIDEO_ID.test(track.id)) throw new UserError('INVALID_INPUT', 'That is not a YouTube video id.');
    const audio = await this.openAudio(track.id);
    const start = typeof track.metadata.start_ms === 'number' ? track.metadata.start_ms : undefined;
    const seekMs = options.seekMs ?? start;
    let closed = false;
    return {
      stream: audio.stream,
      type: audio.type,
      live: track.durationMs === null,
      ...(seekMs ? { seekMs } : {}),
      close: () => {
        if (closed) return;
        closed = true;
        audio.release();
      },
    };
  }

  health(): ProviderHealth {
    return {
      ok: !this.lastOpenFailed,
      detail: {
        resolver: this.resolver,
        metadata: this.dataApi ? 'data-api' : 'youtubei.js',
        last_error: this.lastError,
        yt_dlp: { available: this.ytDlp.available, path: this.ytDlp.path, running: this.ytDlp.running },
      },
    };
  }

  /** yt-dlp processes left running (tests wait for zero after a close). */
  ytDlpIdle(): Promise<void> {
    return this.ytDlp.idle();
  }

  private async openAudio(videoId: string): Promise<OpenedAudio> {
    let first: YouTubeFailure;
    try {
      const audio = await this.extractor.open(videoId);
      this.succeeded('youtubei.js');
      return audio;
    } catch (err) {
      first = toFailure(err);
    }
    this.logger.warn(
      { videoId, cause: first.kind, err: first.message },
      'youtubei.js could not open the audio',
    );
    if (first.retryable && this.ytDlp.available) {
      try {
        const audio = await this.ytDlp.open(videoId);
        this.succeeded('yt-dlp');
        return audio;
      } catch (err) {
        const second = toFailure(err);
        this.logger.warn(
          { videoId, cause: second.kind, err: second.message },
          'yt-dlp could not open the audio',
        );
        // yt-dlp's own words are clearer unless it failed for no reason we can name.
        if (second.kind !== 'other' && second.kind !== 'network') first = second;
      }
    }
    // A private or removed video says nothing about the resolvers' health.
    if (first.retryable) this.lastOpenFailed = true;
    this.lastError = `${first.kind}: ${first.message}`.slice(0, 300);
    throw failureToUserError(first);
  }

  private succeeded(resolver: 'youtubei.js' | 'yt-dlp'): void {
    this.resolver = resolver;
    this.lastOpenFailed = false;
  }

  private async video(videoId: string, startMs: number | null): Promise<TrackInput> {
    const api = this.dataApi;
    if (api) {
      const tracks = await this.withApi(() => api.videos([videoId]));
      if (tracks?.[0]) return withStart(tracks[0], startMs);
      if (tracks) throw new UserError('NOT_FOUND', 'YouTube does not know that video (or it is private).');
    }
    let facts: VideoFacts;
    try {
      facts = await this.extractor.video(videoId);
    } catch (err) {
      const failure = toFailure(err);
      if (!failure.retryable || !this.ytDlp.available) throw this.failed(failure);
      facts = await this.ytDlp.info(videoId).catch((e: unknown) => {
        throw this.failed(toFailure(e).kind === 'other' ? failure : toFailure(e));
      });
    }
    return videoTrack(facts, startMs);
  }

  /** A Data API call; null (use youtubei.js instead) when the API itself failed, not the request. */
  private async withApi(call: () => Promise<TrackInput[]>): Promise<TrackInput[] | null> {
    try {
      return await call();
    } catch (err) {
      if (err instanceof UserError && err.code === 'UPSTREAM_ERROR') {
        this.lastError = `data-api: ${err.message}`;
        this.logger.warn({ err: err.message }, 'YouTube Data API failed; using youtubei.js');
        return null;
      }
      throw err;
    }
  }

  private async guard<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      throw this.failed(toFailure(err));
    }
  }

  private failed(failure: YouTubeFailure): UserError {
    this.lastError = `${failure.kind}: ${failure.message}`.slice(0, 300);
    return failureToUserError(failure);
  }
}

function withStart(track: TrackInput, startMs: number | null): TrackInput {
  if (!startMs) return track;
  return { ...track, metadata: { ...track.metadata, start_ms: startMs } };
}
