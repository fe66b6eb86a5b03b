import { UserError } from '../core/errors.ts';
import { type Logger, silentLogger } from '../core/logger.ts';
import type { Track, TrackInput } from '../core/track.ts';
import type { PlayableStream } from '../playback/ports.ts';
import { type SpotifyTrack, toTrackInput } from '../spotify/catalog.ts';
import { parseSpotifyRef } from '../spotify/links.ts';
import type { SpotifyService } from '../spotify/service.ts';
import type { SpotifyMode } from '../storage/db/guild-settings.ts';
import type { Provider, ProviderHealth, ResolveOptions } from './provider.ts';
import { type MatchWanted, matchOnYouTube, type YouTubeMatch } from './spotify-match.ts';

/** What the provider reads of a guild's Spotify catalog (the linked account's token). */
export type SpotifyCatalog = Pick<
  SpotifyService,
  'getTrack' | 'getAlbumTracks' | 'getPlaylistTracks' | 'search'
>;

/** Handed over by the composition root once the Spotify service exists (it needs the database). */
export interface SpotifyConnection {
  catalog: SpotifyCatalog;
  /** The guild's Spotify mode now: its setting, else device when an account is linked, else voice. */
  mode(guildId: string): Promise<SpotifyMode>;
}

export interface SpotifyProviderOptions {
  /** The YouTube provider: the search finds the match, `open` plays it. */
  youtube: Required<Pick<Provider, 'search'>> & Pick<Provider, 'open'>;
  logger?: Logger;
}

/** Tracks matched at the same time while an album or playlist is queued in voice mode. */
const MATCH_CONCURRENCY = 3;
/** Matches remembered for items queued without one (device mode, then voice). */
const CACHE_SIZE = 500;
const YOUTUBE_ID = /^[A-Za-z0-9_-]{11}$/;

/**
 * Spotify links (`open.spotify.com/track|album|playlist/...`, `spotify:` URIs) and searches, read with
 * the guild's linked account. Items are queued as Spotify tracks (provider `spotify`, URI
 * `spotify:track:<id>`) in both modes. In `voice` mode each track is matched to a YouTube video when
 * it is queued, and the match is kept in the item's metadata (`youtube_id`, `youtube_title`, `match`);
 * in `device` mode items are queued as they are (the device player plays them on Spotify). Opening an
 * item plays its YouTube match in voice, matching it then if it was queued without one.
 */
export class SpotifyProvider implements Provider {
  readonly name = 'spotify';
  private readonly youtube: SpotifyProviderOptions['youtube'];
  private readonly logger: Logger;
  private connection: SpotifyConnection | null = null;
  private readonly matches = new Map<string, YouTubeMatch>();

  constructor(options: SpotifyProviderOptions) {
    this.youtube = options.youtube;
    this.logger = options.logger ?? silentLogger();
  }

  /** Connects the guilds' Spotify catalog; until then links and searches say Spotify is off. */
  connect(connection: SpotifyConnection): void {
    this.connection = connection;
  }

  canResolve(url: URL): boolean {
    return parseSpotifyRef(url.href) !== null;
  }

  /**
   * A track, an album's tracks or a playlist's tracks (at most `limit`), in order.
   * @throws UserError UNAVAILABLE (Spotify off), SPOTIFY_NOT_LINKED, NOT_FOUND (nothing matched on
   *   YouTube in voice mode), INVALID_INPUT, UPSTREAM_ERROR
   */
  async resolve(url: URL, options: ResolveOptions): Promise<TrackInput[]> {
    const ref = parseSpotifyRef(url.href);
    if (!ref) throw new UserError('INVALID_URL', 'That is not a Spotify track, album or playlist link.');
    const { catalog, mode, guildId } = await this.scope(options.guildId);
    const limit = Math.max(1, Math.floor(options.limit));
    const tracks =
      ref.kind === 'track'
        ? [await catalog.getTrack(guildId, ref.id)]
        : ref.kind === 'album'
          ? await catalog.getAlbumTracks(guildId, ref.id, limit)
          : await catalog.getPlaylistTracks(guildId, ref.id, limit, options.onTotal);
    return this.queueable(tracks, mode);
  }

  /** Spotify's search, with the guild's account. @throws as {@link resolve} */
  async search(query: string, limit: number, options: { guildId?: string } = {}): Promise<TrackInput[]> {
    const { catalog, mode, guildId } = await this.scope(options.guildId);
    return this.queueable(await catalog.search(guildId, query, limit), mode);
  }

  /**
   * Plays the item's YouTube match into voice: the recorded one, else one found now.
   * @throws UserError NOT_FOUND (no match), and the YouTube provider's errors
   */
  async open(track: Track, options: { seekMs?: number }): Promise<PlayableStream> {
    const recorded = track.metadata.youtube_id;
    let videoId = typeof recorded === 'string' && YOUTUBE_ID.test(recorded) ? recorded : null;
    if (!videoId) {
      const match = this.matches.get(track.id) ?? (await this.match(wantedOf(track)));
      if (!match) throw noMatch(track.title);
      this.remember(track.id, match);
      this.logger.info(
        { spotifyId: track.id, videoId: match.videoId, by: match.by },
        'matched a Spotify track on YouTube to play it',
      );
      videoId = match.videoId;
    }
    return this.youtube.open(
      {
        ...track,
        id: videoId,
        provider: 'youtube',
        uri: `https://www.youtube.com/watch?v=${videoId}`,
        metadata: {},
      },
      options,
    );
  }

  health(): ProviderHealth {
    return { ok: true, detail: { configured: this.connection !== null } };
  }

  private async scope(
    guildId: string | undefined,
  ): Promise<{ catalog: SpotifyCatalog; mode: SpotifyMode; guildId: string }> {
    const connection = this.connection;
    if (!connection) {
      throw new UserError(
        'UNAVAILABLE',
        'Spotify is not set up on this bot (its owner sets SPOTIFY_CLIENT_ID to turn it on).',
      );
    }
    if (!guildId) {
      throw new UserError(
        'INVALID_INPUT',
        "Spotify is read with a server's linked account: name the server.",
      );
    }
    return { catalog: connection.catalog, mode: await connection.mode(guildId), guildId };
  }

  /** Device mode: the tracks as they are. Voice mode: each with its YouTube match; unmatched ones are left out. */
  private async queueable(tracks: SpotifyTrack[], mode: SpotifyMode): Promise<TrackInput[]> {
    if (mode === 'device') return tracks.map(toTrackInput);
    const matched: (TrackInput | null)[] = new Array(tracks.length).fill(null);
    let next = 0;
    const worker = async () => {
      while (next < tracks.length) {
        const i = next++;
        const track = tracks[i]!;
        const match = await this.match({
          title: track.title,
          artists: track.artists,
          durationMs: track.durationMs,
          isrc: track.isrc,
        });
        if (match) {
          this.remember(track.id, match);
          matched[i] = withMatch(toTrackInput(track), match);
        } else this.logger.info({ spotifyId: track.id }, 'no YouTube video matches this Spotify track');
      }
    };
    await Promise.all(Array.from({ length: Math.min(MATCH_CONCURRENCY, tracks.length) }, worker));
    const found = matched.filter((t): t is TrackInput => t !== null);
    if (found.length === 0 && tracks.length > 0) throw noMatch(tracks.length === 1 ? tracks[0]!.title : null);
    return found;
  }

  private match(wanted: MatchWanted): Promise<YouTubeMatch | null> {
    return matchOnYouTube(wanted, (q, limit) => this.youtube.search(q, limit));
  }

  private remember(spotifyId: string, match: YouTubeMatch): void {
    this.matches.delete(spotifyId);
    this.matches.set(spotifyId, match);
    if (this.matches.size > CACHE_SIZE) this.matches.delete(this.matches.keys().next().value!);
  }
}

/** The queue track with its match recorded: 5 of the 8 metadata fields, every value under 200 characters. */
export function withMatch(track: TrackInput, match: YouTubeMatch): TrackInput {
  return {
    ...track,
    metadata: {
      ...track.metadata,
      youtube_id: match.videoId,
      youtube_title: match.title.length <= 100 ? match.title : `${match.title.slice(0, 99)}…`,
      match: match.by,
    },
  };
}

function wantedOf(track: Track): MatchWanted {
  const isrc = track.metadata.isrc;
  return {
    title: track.title,
    artists: track.artist ? [track.artist.split(', ')[0]!] : [],
    durationMs: track.durationMs,
    isrc: typeof isrc === 'string' ? isrc : null,
  };
}

function noMatch(title: string | null): UserError {
  return new UserError(
    'NOT_FOUND',
    title
      ? `I found no YouTube video of "${title.slice(0, 80)}" to play in voice (same song, same length).`
      : 'I found no YouTube video of these Spotify tracks to play in voice (same song, same length).',
  );
}
