import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { Innertube, Platform, type Types } from 'youtubei.js';
import { containerOf, peek } from './sniff.ts';
import { classifyYouTubeMessage, toFailure, YouTubeFailure } from './youtube-errors.ts';
import { evaluatePlayerScript, type FormatFacts, pickAudioFormat } from './youtube-format.ts';
import type { VideoFacts } from './youtube-map.ts';
import { nodeToFacts } from './youtube-nodes.ts';

type Client = 'ANDROID_VR' | 'TV' | 'WEB' | 'MWEB' | 'WEB_EMBEDDED' | 'IOS';

export interface InnertubeOptions {
  /** A `Cookie` header from a signed-in browser session (`YOUTUBE_COOKIE`). */
  cookie?: string | undefined;
  /** A session-bound Proof of Origin token (`YOUTUBE_PO_TOKEN`), minted for `visitorData`. */
  poToken?: string | undefined;
  /** The visitor data the PO token was minted for (`YOUTUBE_VISITOR_DATA`). */
  visitorData?: string | undefined;
  /** InnerTube clients to try, in order, for the audio. */
  clients?: Client[];
  /** Where youtubei.js sends its requests (tests point it at a fake InnerTube). */
  fetch?: typeof fetch;
  /**
   * Load YouTube's player script at start (default true): the TV and WEB clients' URLs are
   * signed and cannot be used without it. Tests turn it off.
   */
  retrievePlayer?: boolean;
  /** Build the session locally instead of asking YouTube for it (tests; default false). */
  localSession?: boolean;
}

export interface OpenedAudio {
  stream: Readable;
  type: 'webm/opus' | 'arbitrary';
  client: string;
  release(): void;
}

/**
 * YouTube through youtubei.js (LuanRT/YouTube.js), the InnerTube client that is maintained and
 * follows YouTube's changes (player script deciphering, PO tokens, SABR). play-dl's YouTube code
 * has not been updated since 2023 and fails on today's player, so it is used for SoundCloud only.
 *
 * The session is created on first use and kept. Audio is tried with each client in turn: without
 * an account the Android VR client answers with plain URLs and rarely asks for a PO token; with
 * cookies or a PO token the WEB client goes first, as those are bound to a web session.
 */
export class InnertubeExtractor {
  private readonly options: InnertubeOptions;
  private readonly clients: Client[];
  private session: Promise<Innertube> | null = null;

  constructor(options: InnertubeOptions = {}) {
    this.options = options;
    const signedIn = Boolean(options.cookie || options.poToken);
    this.clients = options.clients ?? (signedIn ? ['WEB', 'TV', 'ANDROID_VR'] : ['ANDROID_VR', 'TV', 'WEB']);
    // youtubei.js ships no evaluator for the player script; this is the library's documented hook.
    Platform.shim.eval = (data: Types.BuildScriptResult) => evaluatePlayerScript(data);
  }

  /** @throws YouTubeFailure */
  async search(query: string, limit: number): Promise<VideoFacts[]> {
    const yt = await this.innertube();
    try {
      const results = await yt.search(query, { type: 'video' });
      return results.videos
        .map((node) => nodeToFacts(node))
        .filter((v): v is VideoFacts => v !== null)
        .slice(0, limit);
    } catch (err) {
      throw toFailure(err);
    }
  }

  /** Title, channel and duration of one video. @throws YouTubeFailure */
  async video(videoId: string): Promise<VideoFacts> {
    const yt = await this.innertube();
    let info: Awaited<ReturnType<Innertube['getBasicInfo']>>;
    try {
      info = await yt.getBasicInfo(videoId, { client: this.clients[0] });
    } catch (err) {
      throw toFailure(err);
    }
    const basic = info.basic_info;
    // A bot check still comes with the video's details; the audio is another matter (see open()).
    if (!basic.title)
      throw playabilityFailure(info.playability_status) ?? new YouTubeFailure('unavailable', 'no details');
    return {
      id: videoId,
      title: basic.title,
      channel: basic.author ?? basic.channel?.name,
      channelId: basic.channel_id ?? basic.channel?.id,
      durationMs: basic.duration ? basic.duration * 1000 : null,
      live: Boolean(basic.is_live),
    };
  }

  /** The first `limit` videos of a playlist, following continuations. @throws YouTubeFailure */
  async playlist(playlistId: string, limit: number): Promise<VideoFacts[]> {
    const yt = await this.innertube();
    try {
      let page = await yt.getPlaylist(playlistId);
      const found: VideoFacts[] = [];
      for (;;) {
        for (const node of page.items) {
          const facts = nodeToFacts(node);
          if (facts && !found.some((f) => f.id === facts.id)) found.push(facts);
        }
        if (found.length >= limit || !page.has_continuation) break;
        page = await page.getContinuation();
      }
      return found.slice(0, limit);
    } catch (err) {
      throw toFailure(err);
    }
  }

  /**
   * Opens the audio, trying each client until one gives a stream whose first bytes arrive (a 403
   * from the media server shows there, not before).
   * @throws YouTubeFailure with the cause of the most telling failure
   */
  async open(videoId: string): Promise<OpenedAudio> {
    const yt = await this.innertube();
    let worst: YouTubeFailure | null = null;
    for (const client of this.clients) {
      try {
        return await this.openWith(yt, videoId, client);
      } catch (err) {
        const failure = toFailure(err);
        if (!failure.retryable) throw failure;
        if (!worst || rank(failure) > rank(worst)) worst = failure;
      }
    }
    throw worst ?? new YouTubeFailure('no_audio', 'no client gave audio');
  }

  private async openWith(yt: Innertube, videoId: string, client: Client): Promise<OpenedAudio> {
    const info = await yt.getBasicInfo(videoId, { client });
    const blocked = playabilityFailure(info.playability_status);
    if (blocked) throw blocked;
    if (info.basic_info.is_live)
      throw new YouTubeFailure('no_audio', 'live streams are played through yt-dlp only');
    const formats = (info.streaming_data?.adaptive_formats ?? []) as unknown as FormatFacts[];
    const chosen = pickAudioFormat(formats);
    if (!chosen) throw new YouTubeFailure('no_audio', `the ${client} client offered no audio format`);
    const web = await info.download({ itag: chosen.itag, type: 'audio' });
    const source = Readable.fromWeb(web as unknown as WebReadableStream<Uint8Array>);
    const { head, stream } = await peek(source, 4096);
    if (head.length === 0) {
      source.destroy();
      throw new YouTubeFailure('no_audio', `the ${client} client's audio was empty`);
    }
    return {
      stream,
      type: containerOf(head) === 'webm/opus' ? 'webm/opus' : 'arbitrary',
      client,
      release: () => {
        source.destroy();
        stream.destroy();
      },
    };
  }

  private innertube(): Promise<Innertube> {
    this.session ??= Innertube.create({
      ...(this.options.cookie ? { cookie: this.options.cookie } : {}),
      ...(this.options.poToken ? { po_token: this.options.poToken } : {}),
      ...(this.options.visitorData ? { visitor_data: this.options.visitorData } : {}),
      ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
      retrieve_player: this.options.retrievePlayer ?? true,
      generate_session_locally: this.options.localSession ?? false,
    }).catch((err: unknown) => {
      this.session = null;
      throw toFailure(err);
    });
    return this.session;
  }
}

/** A playability status other than OK, as a failure with its cause. */
export function playabilityFailure(
  status: { status?: string; reason?: string; error_screen?: unknown } | undefined,
): YouTubeFailure | null {
  if (!status?.status || status.status === 'OK') return null;
  const screen = status.error_screen as { reason?: { toString(): string } } | null | undefined;
  const reason = status.reason || screen?.reason?.toString() || status.status;
  let kind = classifyYouTubeMessage(reason);
  if (kind === 'other' && status.status === 'LOGIN_REQUIRED') kind = 'login_required';
  if (kind === 'other' && (status.status === 'UNPLAYABLE' || status.status === 'ERROR')) kind = 'unavailable';
  return new YouTubeFailure(kind, `${status.status}: ${reason}`);
}

/** Which failure says most about the cause, when every client failed. */
function rank(failure: YouTubeFailure): number {
  return ['other', 'network', 'no_audio', 'login_required', 'region', 'age_restricted', 'bot_check'].indexOf(
    failure.kind,
  );
}
