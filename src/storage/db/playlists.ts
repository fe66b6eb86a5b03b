import { z } from 'zod';
import { UserError } from '../../core/errors.ts';
import { plainLine } from '../../core/text.ts';
import { type Track, trackSchema } from '../../core/track.ts';
import { parseInput } from './validate.ts';

/**
 * The caps on saved playlists. One playlist holds what a long evening plays, and stays one row of
 * at most ~500 KB (a stored track is under 1 KB, src/core/track.ts); a guild keeps as many playlists
 * as an autocomplete list can page through comfortably, a member a few of their own.
 */
export const PLAYLIST_LIMITS = {
  /** Tracks in one playlist; a longer queue, history or imported playlist is cut there. */
  tracks: 500,
  /** The guild's own playlists. */
  perGuild: 100,
  /** Personal playlists of one member in one guild. */
  perMember: 25,
  /** Characters in a name: an autocomplete choice's value holds 100. */
  nameLength: 100,
} as const;

/** 'guild': the guild's playlist; else the member id that owns it. */
export type PlaylistOwner = 'guild' | (string & {});

/** A playlist as listed: without its tracks. */
export interface PlaylistSummary {
  name: string;
  /** 'guild', or the member's id. */
  owner: PlaylistOwner;
  createdBy: string;
  trackCount: number;
  /** Total known duration (live streams count 0). */
  durationMs: number;
  /** ISO 8601. */
  createdAt: string;
}

export interface Playlist extends PlaylistSummary {
  /** In play order. */
  tracks: Track[];
}

/**
 * A playlist's name: one line, no control characters or broken Unicode, 1-100 characters after
 * trimming (what an autocomplete choice's value holds). Unique per owner, ignoring case.
 */
export const playlistNameSchema = plainLine().trim().min(1).max(PLAYLIST_LIMITS.nameLength);

/** @throws UserError INVALID_INPUT */
export function parsePlaylistName(name: unknown): string {
  return parseInput(playlistNameSchema, name, 'playlist name');
}

const ownerSchema = z.union([z.literal('guild'), z.string().regex(/^\d{17,20}$/, 'must be a user id')]);

/** @throws UserError INVALID_INPUT */
export function parseOwner(owner: unknown): PlaylistOwner {
  return parseInput(ownerSchema, owner, 'playlist owner');
}

/** Tracks as the queue stores them, at most {@link PLAYLIST_LIMITS.tracks}. @throws UserError INVALID_INPUT */
export function parsePlaylistTracks(tracks: unknown): Track[] {
  return parseInput(
    z.array(trackSchema).min(1, 'a playlist needs at least one track').max(PLAYLIST_LIMITS.tracks),
    tracks,
    'playlist tracks',
  );
}

/** How many playlists `owner` may keep in one guild. */
export function playlistCap(owner: PlaylistOwner): number {
  return owner === 'guild' ? PLAYLIST_LIMITS.perGuild : PLAYLIST_LIMITS.perMember;
}

/** Saved playlists per guild and per member (saved_playlists). */
export interface PlaylistRepository {
  /**
   * The guild's playlists and, with `memberId`, that member's own, sorted by name.
   * @throws UserError INVALID_INPUT for a bad guild or member id.
   */
  list(guildId: string, memberId: string | null): Promise<PlaylistSummary[]>;
  /**
   * The owner's playlist of that name (case ignored), or null.
   * @throws UserError INVALID_INPUT
   */
  get(guildId: string, owner: PlaylistOwner, name: string): Promise<Playlist | null>;
  /**
   * Saves a new playlist.
   * @throws UserError INVALID_INPUT, PLAYLIST_EXISTS (the owner has one of that name),
   *   PLAYLIST_LIMIT (the owner has as many as {@link playlistCap} allows)
   */
  create(
    guildId: string,
    playlist: { owner: PlaylistOwner; name: string; createdBy: string; tracks: unknown },
  ): Promise<Playlist>;
  /**
   * Deletes the owner's playlist of that name; resolves whether it existed.
   * @throws UserError INVALID_INPUT
   */
  remove(guildId: string, owner: PlaylistOwner, name: string): Promise<boolean>;
}

/** Playlists sorted the same way by every implementation: the guild's first, then by name. */
export function byOwnerAndName(a: PlaylistSummary, b: PlaylistSummary): number {
  if ((a.owner === 'guild') !== (b.owner === 'guild')) return a.owner === 'guild' ? -1 : 1;
  return a.name.localeCompare(b.name, 'en', { sensitivity: 'base' });
}

/** The total duration of tracks (live streams count 0). */
export function durationOf(tracks: readonly Pick<Track, 'durationMs'>[]): number {
  return tracks.reduce((ms, t) => ms + (t.durationMs ?? 0), 0);
}

/** The refusal of a second playlist of one name (`taken`: the name as it was saved). */
export function playlistExists(taken: string): UserError {
  return new UserError('PLAYLIST_EXISTS', `There is already a playlist named "${taken}".`);
}

/** The refusal of one playlist more than {@link playlistCap} allows. */
export function playlistLimit(owner: PlaylistOwner): UserError {
  const cap = playlistCap(owner);
  return new UserError(
    'PLAYLIST_LIMIT',
    owner === 'guild'
      ? `This server has ${cap} playlists, the most it can keep; delete one first.`
      : `You have ${cap} playlists of your own here, the most you can keep; delete one first.`,
  );
}
