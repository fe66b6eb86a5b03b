import { z } from 'zod';

/*
 * The `data` of each REST answer as zod schemas, for the OpenAPI document (src/http/api-catalog.ts).
 * They describe what the wire functions (wireItem, wireState, wireStation, ...) build; the OpenAPI
 * tests check real answers against them, so a field that changes on one side fails there.
 */

export const snowflake = z.string().regex(/^\d{17,20}$/);
export const isoTime = z.string().describe('ISO 8601 time');
export const count = z.int().min(0);

export const trackOut = z.object({
  track_id: z.string(),
  name: z.string(),
  artist: z.string().nullable(),
  album: z.string().nullable(),
  album_art_url: z.string().nullable(),
  duration_ms: count.nullable().describe('null for a live stream'),
  provider: z.string(),
  uri: z.string(),
});

export const itemOut = z.object({
  id: z.uuid(),
  track: trackOut,
  requested_by_user_id: z.string(),
  source: z.enum(['discord', 'twitch']),
  requested_by_name: z.string().nullable(),
  requested_at: isoTime,
  votes: z.int(),
  position: z.int().min(1).nullable().describe('1-based among queued items; null when not queued'),
  status: z.enum(['queued', 'playing', 'played', 'skipped']),
});

export const queueOut = z.object({ items: z.array(itemOut), now_playing: itemOut.nullable() });

export const addOut = z.object({
  queue_item: itemOut,
  queue_position: z.int().min(1),
  estimated_wait_ms: count,
  queued_count: z.int().min(1),
  not_queued_count: count,
  not_queued_reason: z.object({ code: z.string(), message: z.string() }).nullable(),
  playback: z.enum(['voice', 'device', 'waiting-for-voice']),
});

export const voteOut = z.object({
  queue_item_id: z.uuid(),
  new_votes: z.int(),
  new_position: z.int().min(1),
  moved_positions: z.int().describe('positive: moved up'),
});

export const clearOut = z.object({ removed: count });
export const skipOut = z.object({ now_playing: itemOut.nullable() });
export const removedItemOut = z.object({ removed: itemOut });

export const historyOut = z.object({
  items: z.array(itemOut.extend({ started_at: isoTime.nullable(), ended_at: isoTime.nullable() })),
});

export const statsOut = z.object({
  counts: z.object({ queued: count, playing: count, played: count, skipped: count, removed: count }),
  added: count,
  votes: count,
  total_played_ms: count,
  average_played_ms: z.number().min(0).nullable(),
  unique_requesters: count,
  top_requesters: z.array(z.object({ user_id: z.string(), count })),
  top_tracks: z.array(
    z.object({
      key: z.string(),
      name: z.string(),
      artist: z.string().nullable(),
      provider: z.string(),
      plays: count,
    }),
  ),
});

const eqGain = z.int().min(-12).max(12);
const filterFields = {
  preset: z.enum(['bassboost', 'nightcore', 'vaporwave', '8d', 'karaoke']).nullable().describe('null: none'),
  eq: z.object({ bass: eqGain, mid: eqGain, treble: eqGain }).describe('gains in dB; all 0: no equaliser'),
  speed: z.number().positive().describe('how fast songs play (nightcore 1.25, vaporwave 0.8, else 1)'),
  label: z.string().describe('what people see, e.g. "nightcore ×1.25" or "off"'),
};
const filterState = z.object(filterFields);
export const filterOut = z.object({ community_id: snowflake, ...filterFields });

export const playerStateOut = z.object({
  community_id: snowflake,
  state: z.string().describe('idle, connecting, starting, playing or paused'),
  is_playing: z.boolean(),
  is_paused: z.boolean(),
  position_ms: count.nullable(),
  volume: z.int().min(0).max(100).nullable(),
  filter: filterState,
  loop: z.enum(['off', 'track', 'queue']),
  voice_channel_id: z.string().nullable(),
  current_queue_item: itemOut.nullable(),
});

export const nowPlayingOut = itemOut.extend({
  position_ms: count.nullable(),
  paused: z.boolean(),
  filter: filterState,
});

export const settingsOut = z.object({
  community_id: snowflake,
  dj_role_id: z.string().nullable(),
  vote_skip_ratio: z.number().min(0).max(1),
  max_queue_length: z.int().nullable(),
  max_per_user: z.int().nullable(),
  default_volume: z.int().min(0).max(100),
  stay_in_voice: z.boolean(),
  spotify_mode: z.enum(['device', 'voice']).nullable(),
  overlay_key_set: z.boolean(),
  request_access: z.enum(['everyone', 'role', 'dj']),
  request_role_id: z.string().nullable(),
  max_track_seconds: count,
  allow_live: z.boolean(),
  request_cooldown_seconds: count,
  allowed_sources: z.array(z.enum(['youtube', 'soundcloud', 'spotify', 'http'])),
  queue_order: z.enum(['votes', 'fair']),
});

const playMode = z.enum(['music', 'radio', 'none']);

export const modeOut = z.object({
  community_id: snowflake,
  active_mode: playMode,
  previous_mode: playMode.nullable(),
  music_paused_on_switch: z.boolean(),
  switched_at: isoTime.nullable(),
  current_station_name: z.string().nullable(),
  current_station_url: z.string().nullable(),
});

export const stationOut = z.object({
  name: z.string(),
  provider: z.string(),
  stream_url: z.string(),
  api_endpoint: z.string().nullable(),
  api_key: z.literal('********').nullable().describe('always masked'),
  metadata_path: z.string().nullable(),
  bitrate: z.int().nullable(),
  codec: z.string().nullable(),
  custom_headers: z.record(z.string(), z.literal('********')).describe('values always masked'),
  is_enabled: z.boolean(),
});

export const stationsOut = z.object({ stations: z.array(stationOut) });
export const stationDeletedOut = z.object({ deleted: z.string() });

const stationNowPlaying = z.object({
  title: z.string().nullable(),
  artist: z.string().nullable(),
  album: z.string().nullable(),
  duration_seconds: z.number().nullable(),
  bitrate: z.number().nullable(),
  codec: z.string().nullable(),
  genre: z.string().nullable(),
  thumbnail_url: z.string().nullable(),
  updated_at: isoTime,
});

export const radioOut = z.object({
  station: z.string().nullable(),
  provider: z.string().nullable(),
  state: z.enum(['connecting', 'playing', 'reconnecting', 'stopped']),
  reason: z.string().nullable(),
  in_voice: z.boolean(),
  now_playing: stationNowPlaying.nullable(),
});

const providerOut = z.object({
  name: z.string(),
  can_search: z.boolean(),
  healthy: z.boolean(),
  detail: z.unknown().describe('provider-specific: resolver, last error, yt-dlp'),
});

export const providersOut = z.object({ providers: z.array(providerOut) });
export { providerOut };

export const searchOut = z.object({
  provider: z.string(),
  query: z.string(),
  tracks: z.array(trackOut),
});

export const statusOut = z
  .object({
    service: z.literal('unified-music'),
    version: z.string(),
    uptime_seconds: count,
    running_as: z.enum(['bot', 'api-only']),
  })
  .catchall(z.unknown());

export const overlayKeyOut = z.object({ overlay_url: z.url(), key: z.string() });
export const deliveredOut = z.object({ delivered: z.literal(true) });

export const spotifyStatusOut = z.object({
  linked: z.boolean(),
  display_name: z.string().nullable(),
  devices: z.array(z.object({ id: z.string(), name: z.string(), type: z.string(), is_active: z.boolean() })),
  device_id: z.string().nullable(),
  configured: z.literal(false).optional().describe('present (false) when Spotify is not set up'),
});

export const spotifyLinkOut = z.object({ authorize_url: z.url(), expires_at: isoTime });
export const spotifyUnlinkOut = z.object({ linked: z.literal(false), removed: z.boolean() });

export const liveOut = z.object({ status: z.literal('ok') });

const component = z.object({ ok: z.boolean(), required: z.boolean(), detail: z.unknown() });
export const readyOut = z.object({ status: z.literal('ok'), components: z.record(z.string(), component) });

/** A frame the overlay socket sends: `{v, type, data, timestamp}` (docs/OVERLAY.md has each type's data). */
export const overlayFrame = z.object({
  v: z.literal(1),
  type: z.enum(['snapshot', 'now_playing', 'mode_change', 'radio_update', 'queue_update']),
  data: z.record(z.string(), z.unknown()),
  timestamp: isoTime,
});

/** Query strings. */
export const overlayLyricsQuery = z.object({ key: z.string().describe("The guild's overlay key") });

export const overlayArtworkQuery = z.object({
  key: z.string().describe("The guild's overlay key"),
  url: z.string().describe('The address of an image the overlay shows now (album art or station image)'),
});

export const overlayPageQuery = z.object({
  key: z.string().describe("The guild's overlay key (from /overlay in Discord or POST .../overlay/{id}/key)"),
  theme: z.enum(['dark', 'light']).optional(),
  layout: z.enum(['full', 'compact']).optional(),
  accent: z.string().optional().describe('A hex colour, e.g. ff5500'),
  max: z.int().min(1).max(25).optional().describe('Queued songs shown'),
});
export const socketQuery = z.object({ key: z.string().describe("The guild's overlay key") });
export const spotifyCallbackQuery = z.object({
  state: z.string().optional(),
  code: z.string().optional(),
  error: z.string().optional(),
});
