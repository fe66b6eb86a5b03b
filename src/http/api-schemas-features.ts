import { z } from 'zod';
import { count, isoTime, snowflake, trackOut } from './api-schemas.ts';

/*
 * The `data` of the REST answers of the streamer and listener features (block lists, lyrics, saved
 * playlists, Twitch), beside the core ones in api-schemas.ts; the catalog reads both.
 */

const blockKind = z.enum(['track', 'artist', 'keyword']);

export const blocklistOut = z.object({
  community_id: snowflake,
  total: count,
  entries: z.array(z.object({ type: blockKind, value: z.string() })),
});

export const blocklistAddOut = z.object({
  added: z.boolean(),
  entry: z.object({ type: blockKind, value: z.string() }),
  total: count,
});

export const blocklistRemoveOut = z.object({ removed: z.literal(true), total: count });

export const blocklistImportOut = z.object({ added: count, existing: count, total: count });

export const lyricsOut = z.object({
  lrclib_id: z.int().describe("LRCLIB's record id"),
  track_name: z.string(),
  artist_name: z.string(),
  album_name: z.string().nullable(),
  duration_ms: count.nullable(),
  instrumental: z.boolean().describe('true: the song has no words (plain_lyrics and synced_lyrics are null)'),
  plain_lyrics: z.string().nullable(),
  synced_lyrics: z
    .array(z.object({ time_ms: count, text: z.string() }))
    .nullable()
    .describe('Lines with the time they start, in order; null when LRCLIB has no synced lyrics'),
  for_playing: z.boolean().describe('Found for the playing song (no ?q=)'),
});

export const overlayLyricsOut = z.object({
  track: z
    .object({ name: z.string(), artist: z.string().nullable() })
    .nullable()
    .describe('What the overlay shows now'),
  instrumental: z.boolean(),
  lines: z.array(z.object({ ms: count, text: z.string() })).describe('Synced lines; empty when none'),
});

export const playlistSummaryOut = z.object({
  name: z.string(),
  scope: z.enum(['guild', 'member']),
  owner_user_id: snowflake.nullable().describe("the member's id for a personal playlist"),
  created_by_user_id: z.string().describe("a user id, or 'guild' when the API saved it without one"),
  track_count: z.int().min(1),
  duration_ms: count,
  created_at: isoTime,
});
export const playlistsOut = z.object({ playlists: z.array(playlistSummaryOut) });
export const playlistOut = playlistSummaryOut.extend({ tracks: z.array(trackOut) });
export const playlistSavedOut = z.object({
  playlist: playlistSummaryOut,
  left_out_count: count
    .nullable()
    .describe('tracks past the 500-track cap; null: an imported playlist went on past it (count unknown)'),
  left_out_at_least: count,
});
export const playlistDeletedOut = z.object({ deleted: playlistSummaryOut });
export const playlistLoadedOut = z.object({
  playlist: playlistSummaryOut,
  queued_count: z.int().min(1),
  first_position: z.int().min(1),
  not_queued_count: count,
  not_queued_reason: z.object({ code: z.string(), message: z.string() }).nullable(),
  playback: z.enum(['voice', 'device', 'waiting-for-voice']),
});

const chatWord = z.string().describe("a chat command word, typed after '!'");

export const twitchStatusOut = z.object({
  community_id: snowflake,
  linked: z.boolean(),
  channel: z.string().nullable(),
  commands: z
    .object({ request: chatWord, vote_up: chatWord, vote_down: chatWord, song: chatWord, queue: chatWord })
    .nullable(),
  state: z
    .enum([
      'connecting',
      'connected',
      'reconnecting',
      'stopped',
      'auth-failed',
      'paused',
      'not-linked',
      'off',
    ])
    .describe(
      'paused: Twitch refused the bot token (PUT the link again to retry); off: another process reads the chat',
    ),
  paused_reason: z.string().nullable(),
  bot_account: z.string(),
});
