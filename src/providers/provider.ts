import type { Track, TrackInput } from '../core/track.ts';
import type { PlayableStream } from '../playback/ports.ts';

export interface ProviderHealth {
  ok: boolean;
  detail?: unknown;
}

export interface ResolveOptions {
  limit: number;
  guildId?: string;
  /**
   * Told how many tracks a playlist holds in all, when the provider learns it on the way (the first
   * page of a YouTube Data API or Spotify playlist says): an import says how many it left out.
   */
  onTotal?: (total: number) => void;
}

/** One source of music: resolves links (and maybe searches) to tracks, and opens their audio. */
export interface Provider {
  readonly name: string;
  /** Whether this provider handles the link. */
  canResolve(url: URL): boolean;
  /**
   * A link to one track, or a playlist (at most `limit` tracks). `guildId`: the guild that asks, for
   * providers whose catalog belongs to a guild (Spotify reads it with the guild's linked account).
   * @throws UserError
   */
  resolve(url: URL, options: ResolveOptions): Promise<TrackInput[]>;
  /** Search by words; providers that cannot search leave it out. */
  search?(query: string, limit: number, options?: { guildId?: string }): Promise<TrackInput[]>;
  /** Opens the track's audio. @throws UserError */
  open(track: Track, options: { seekMs?: number }): Promise<PlayableStream>;
  health(): ProviderHealth;
}
