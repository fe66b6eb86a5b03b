import { UserError } from '../core/errors.ts';
import type { Track, TrackInput } from '../core/track.ts';
import type { MediaAllowlist } from '../net/address-policy.ts';
import { safeFetch } from '../net/safe-fetch.ts';
import type { PlayableStream } from '../playback/ports.ts';
import type { Provider, ProviderHealth } from './provider.ts';
import {
  isSoundCloudUrl,
  parseSoundCloudUrl,
  type SoundCloudPlaylistLike,
  type SoundCloudTrackLike,
  soundCloudTrack,
} from './soundcloud-map.ts';
import { PlayDlSoundCloud, type SoundCloudApi } from './soundcloud-playdl.ts';

export interface SoundCloudProviderOptions {
  allowlist: MediaAllowlist;
  /** `SOUNDCLOUD_CLIENT_ID`; without it play-dl reads a public one from soundcloud.com at first use. */
  clientId?: string | undefined;
  /** The SoundCloud client (default play-dl); tests hand in one that answers from fixtures. */
  api?: SoundCloudApi;
}

/**
 * SoundCloud tracks, sets (playlists and albums) and search, through play-dl. Links are parsed
 * and made canonical here; SoundCloud's API is given the link, we never fetch it ourselves, except
 * `on.soundcloud.com` share links, which are followed through the SSRF guard.
 */
export class SoundCloudProvider implements Provider {
  readonly name = 'soundcloud';
  private readonly api: SoundCloudApi;
  private readonly allowlist: MediaAllowlist;
  private lastError: string | null = null;

  constructor(options: SoundCloudProviderOptions) {
    this.allowlist = options.allowlist;
    this.api = options.api ?? new PlayDlSoundCloud({ clientId: options.clientId });
  }

  canResolve(url: URL): boolean {
    return isSoundCloudUrl(url);
  }

  /** @throws UserError INVALID_URL, NOT_FOUND, UPSTREAM_ERROR */
  async resolve(url: URL, options: { limit: number }): Promise<TrackInput[]> {
    let link = parseSoundCloudUrl(url);
    if (link.kind === 'short') link = parseSoundCloudUrl(await this.follow(link.url));
    const found = await this.call(() => this.api.resolve(link.url));
    if (found.type === 'track') {
      const track = soundCloudTrack(found as SoundCloudTrackLike);
      if (!track) throw new UserError('NOT_FOUND', 'That SoundCloud track cannot be played.');
      return [track];
    }
    if (found.type !== 'playlist')
      throw new UserError('INVALID_URL', 'That SoundCloud link is not a track or a set.');
    return this.setTracks(found as SoundCloudPlaylistLike, Math.max(1, Math.floor(options.limit)));
  }

  /** @throws UserError UPSTREAM_ERROR */
  async search(query: string, limit: number): Promise<TrackInput[]> {
    const found = await this.call(() =>
      this.api.search(query.slice(0, 200), Math.min(Math.max(limit, 1), 50)),
    );
    return found.flatMap((t) => soundCloudTrack(t) ?? []).slice(0, limit);
  }

  /** @throws UserError NOT_FOUND, UPSTREAM_ERROR */
  async open(track: Track, options: { seekMs?: number } = {}): Promise<PlayableStream> {
    const found = await this.call(() => this.api.resolve(track.uri));
    if (found.type !== 'track') throw new UserError('NOT_FOUND', 'That SoundCloud track is gone.');
    const opened = await this.call(() => this.api.stream(found as SoundCloudTrackLike));
    let closed = false;
    return {
      stream: opened.stream,
      type: opened.type === 'ogg/opus' ? 'ogg/opus' : 'arbitrary',
      live: false,
      ...(options.seekMs ? { seekMs: options.seekMs } : {}),
      close: () => {
        if (closed) return;
        closed = true;
        opened.stream.destroy();
      },
    };
  }

  health(): ProviderHealth {
    return { ok: this.lastError === null, detail: { resolver: 'play-dl', last_error: this.lastError } };
  }

  /** The first `limit` tracks of a set; the ones SoundCloud sent as bare ids are fetched only if needed. */
  private async setTracks(set: SoundCloudPlaylistLike, limit: number): Promise<TrackInput[]> {
    let tracks = set.tracks;
    const whole = tracks.filter((t) => t.fetched).length;
    if (whole < Math.min(limit, tracks.length)) tracks = await this.call(() => this.api.fetchTracks(set));
    return tracks.flatMap((t) => soundCloudTrack(t) ?? []).slice(0, limit);
  }

  /** Follows an on.soundcloud.com share link (behind the SSRF guard) to the soundcloud.com page. */
  private async follow(short: string): Promise<URL> {
    const response = await safeFetch(short, { allowlist: this.allowlist, timeoutMs: 8_000 });
    response.body.destroy();
    const target = new URL(response.url);
    target.search = '';
    if (!isSoundCloudUrl(target) || target.hostname === 'on.soundcloud.com')
      throw new UserError('INVALID_URL', 'That SoundCloud share link does not lead to a track or a set.');
    return target;
  }

  /** play-dl's errors ("Got 404 from the request", network codes) in plain words. */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      const result = await fn();
      this.lastError = null;
      return result;
    } catch (err) {
      if (err instanceof UserError) throw err;
      const message = err instanceof Error ? err.message : String(err);
      const status = Number(/Got (\d{3})/.exec(message)?.[1] ?? 0);
      // A link to nothing is the member's problem, not SoundCloud's: health stays as it was.
      if (status !== 404) this.lastError = message.slice(0, 300);
      if (status === 404)
        throw new UserError(
          'NOT_FOUND',
          'SoundCloud has nothing at that link (it may be private or deleted).',
        );
      if (status === 401 || status === 403)
        throw new UserError(
          'UPSTREAM_ERROR',
          "SoundCloud refused the bot's client id; the bot owner can set SOUNDCLOUD_CLIENT_ID.",
        );
      if (status === 429)
        throw new UserError('UPSTREAM_ERROR', 'SoundCloud is rate-limiting this bot; try again in a minute.');
      throw new UserError(
        'UPSTREAM_ERROR',
        `SoundCloud could not be reached or failed (${message.slice(0, 120)}).`,
      );
    }
  }
}
