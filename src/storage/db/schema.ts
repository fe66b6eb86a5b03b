import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  integer,
  jsonb,
  pgTable,
  real,
  serial,
  text,
  timestamp,
  unique,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core';
import type { Track } from '../../core/track.ts';

/*
 * Guild ids are Discord snowflakes, kept as text everywhere (they do not fit a 53-bit JS number).
 * The seed names the guild `community_id`; its two tables keep that name.
 */

/** The shape of `music_provider_config.config`: the seed's station JSON, snake_case keys. */
export interface StoredStationConfig {
  name: string;
  stream_url: string;
  api_endpoint: string | null;
  api_key: string | null;
  metadata_path: string | null;
  bitrate: number | null;
  codec: string | null;
  custom_headers: Record<string, string>;
}

/** Radio stations per guild (the seed's table). */
export const musicProviderConfig = pgTable(
  'music_provider_config',
  {
    id: serial('id').primaryKey(),
    communityId: text('community_id').notNull(),
    providerType: varchar('provider_type', { length: 50 }).notNull(),
    name: text('name').notNull(),
    config: jsonb('config').$type<StoredStationConfig>().notNull(),
    isEnabled: boolean('is_enabled').default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).default(sql`now()`),
    updatedAt: timestamp('updated_at', { withTimezone: true }).default(sql`now()`),
  },
  // Not the seed's UNIQUE (community_id, provider_type): a guild may keep several stations of one type.
  (t) => [unique('music_provider_config_community_name_key').on(t.communityId, t.name)],
);

/** Each guild's music/radio mode, so that a restart restores it (the seed's table, with the mode fields). */
export const musicRadioState = pgTable('music_radio_state', {
  communityId: text('community_id').primaryKey(),
  /** 'music' | 'radio' | 'none' */
  mode: varchar('mode', { length: 20 }).notNull(),
  previousMode: varchar('previous_mode', { length: 20 }),
  musicPausedOnSwitch: boolean('music_paused_on_switch').default(false),
  switchedAt: timestamp('switched_at', { withTimezone: true }),
  currentStationName: text('current_station_name'),
  currentStationUrl: text('current_station_url'),
  /** Where the station played, so that a restart rejoins it (added in 0002). */
  voiceChannelId: text('voice_channel_id'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).default(sql`now()`),
});

/** Per-guild settings; a guild without a row uses the defaults. */
export const guildSettings = pgTable('guild_settings', {
  guildId: text('guild_id').primaryKey(),
  djRoleId: text('dj_role_id'),
  voteSkipRatio: real('vote_skip_ratio').notNull().default(0.5),
  overlayKeyHash: text('overlay_key_hash'),
  /** Null: the global default from the config. */
  maxQueueLength: integer('max_queue_length'),
  /** Null: the global default from the config. */
  maxPerUser: integer('max_per_user'),
  defaultVolume: integer('default_volume').notNull().default(100),
  /** 24/7: stay in the voice channel when the queue ends. */
  stayInVoice: boolean('stay_in_voice').notNull().default(false),
  /** 'device' | 'voice'; null: automatic (device once a Spotify account is linked, voice before). */
  spotifyMode: varchar('spotify_mode', { length: 10 }),
  /** Request rules (0003): 'everyone' | 'role' | 'dj'. */
  requestAccess: varchar('request_access', { length: 10 }).notNull().default('everyone'),
  requestRoleId: text('request_role_id'),
  /** 0: no cap. */
  maxTrackSeconds: integer('max_track_seconds').notNull().default(0),
  allowLive: boolean('allow_live').notNull().default(true),
  /** 0: no cooldown. */
  requestCooldownSeconds: integer('request_cooldown_seconds').notNull().default(0),
  /** Subset of youtube, soundcloud, spotify, http. */
  allowedSources: jsonb('allowed_sources')
    .$type<string[]>()
    .notNull()
    .default(sql`'["youtube","soundcloud","spotify","http"]'::jsonb`),
  /** 'votes' | 'fair' */
  queueOrder: varchar('queue_order', { length: 10 }).notNull().default('votes'),
  createdAt: timestamp('created_at', { withTimezone: true }).default(sql`now()`),
  updatedAt: timestamp('updated_at', { withTimezone: true }).default(sql`now()`),
});

/**
 * The Spotify account linked to each guild (one row per guild). `tokens` is the access and refresh
 * token sealed with AES-256-GCM under TOKEN_ENCRYPTION_KEY (src/spotify/token-cipher.ts): neither
 * token is ever stored in clear.
 */
export const spotifyAccounts = pgTable('spotify_accounts', {
  guildId: text('guild_id').primaryKey(),
  tokens: text('tokens').notNull(),
  /** When the access token expires. */
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  scope: text('scope').notNull().default(''),
  displayName: text('display_name'),
  /** The device chosen for playback; null: the account's active device. */
  deviceId: text('device_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).default(sql`now()`),
  updatedAt: timestamp('updated_at', { withTimezone: true }).default(sql`now()`),
});

/**
 * A guild's block lists (0003): one row per entry. `kind` is 'track' | 'artist' | 'keyword'; `value`
 * is what the admin typed, `normalized` its matching form (lower case, accents stripped), unique per
 * guild and kind.
 */
export const blocklistEntries = pgTable(
  'blocklist_entries',
  {
    id: serial('id').primaryKey(),
    guildId: text('guild_id').notNull(),
    kind: varchar('kind', { length: 10 }).notNull(),
    value: text('value').notNull(),
    normalized: text('normalized').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).default(sql`now()`),
  },
  (t) => [unique('blocklist_entries_guild_kind_value_key').on(t.guildId, t.kind, t.normalized)],
);

/**
 * Saved playlists: a guild's (`owner` = 'guild') or one member's in that guild (`owner` = their id).
 * `tracks` holds the queue's own track records (src/core/track.ts) in play order, at most
 * PLAYLIST_LIMITS.tracks of them (src/storage/db/playlists.ts). Names are unique per owner, ignoring case.
 */
export const savedPlaylists = pgTable(
  'saved_playlists',
  {
    id: serial('id').primaryKey(),
    guildId: text('guild_id').notNull(),
    /** 'guild' for the guild's playlists, else the member's id. */
    owner: text('owner').notNull(),
    name: text('name').notNull(),
    /** Who saved it (a guild playlist's creator may delete it besides DJs). */
    createdBy: text('created_by').notNull(),
    tracks: jsonb('tracks').$type<Track[]>().notNull(),
    trackCount: integer('track_count').notNull(),
    /** The tracks' total known duration, for lists that do not read the tracks. */
    durationMs: bigint('duration_ms', { mode: 'number' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(sql`now()`),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [uniqueIndex('saved_playlists_owner_name_key').on(t.guildId, t.owner, sql`lower(${t.name})`)],
);

/**
 * The Twitch channel linked to each guild (one per guild; one guild per channel). The bot account's
 * token is not here: it is read from TWITCH_OAUTH_TOKEN only, never stored.
 */
export const twitchLinks = pgTable('twitch_links', {
  guildId: text('guild_id').primaryKey(),
  /** The channel's login name, lowercase, without '#'. */
  channel: varchar('channel', { length: 25 }).notNull().unique(),
  /** The chat command words (without '!'), per intent. */
  commands: jsonb('commands').$type<Record<string, string>>().notNull(),
  /** Why the link is paused (a revoked token); null while it runs. */
  pausedReason: text('paused_reason'),
  pausedAt: timestamp('paused_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).default(sql`now()`),
  updatedAt: timestamp('updated_at', { withTimezone: true }).default(sql`now()`),
});
