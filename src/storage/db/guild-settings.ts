import { z } from 'zod';
import { UserError } from '../../core/errors.ts';
import { snowflakeSchema } from '../../core/ids.ts';
import { parseInput } from './validate.ts';

/** A guild's settings; a guild that never changed one gets `defaultGuildSettings`. */
export interface GuildSettings {
  guildId: string;
  /** Role that may use DJ commands; null: only members with Manage Server. */
  djRoleId: string | null;
  /** Share of listeners whose votes skip the current track, 0..1. */
  voteSkipRatio: number;
  /** Hash of the overlay key; null: no overlay key issued. */
  overlayKeyHash: string | null;
  /** Null: the global default from the config. */
  maxQueueLength: number | null;
  /** Null: the global default from the config. */
  maxPerUser: number | null;
  /** 0..100 */
  defaultVolume: number;
  /** 24/7: stay in the voice channel when the queue ends. */
  stayInVoice: boolean;
  /**
   * How Spotify items play: on the linked account's device, or matched and played into voice.
   * Absent: automatic (device once an account is linked, voice before); a patch with null returns to it.
   */
  spotifyMode?: SpotifyMode;
  /** Who may request songs: everyone, members of `requestRoleId` (and DJs), or DJs only. */
  requestAccess: RequestAccess;
  /** The role that may request when `requestAccess` is `role`. */
  requestRoleId: string | null;
  /** Longest track a request may queue, in seconds; 0: no cap. */
  maxTrackSeconds: number;
  /** Whether live streams may be requested. */
  allowLive: boolean;
  /** Seconds a member waits between two requests; 0: no cooldown. */
  requestCooldownSeconds: number;
  /** The sources requests may come from (direct links are `http`). */
  allowedSources: RequestSource[];
  /** Play order: by votes, then first come first served; or `fair`, round-robin between requesters inside one vote score. */
  queueOrder: QueueOrder;
}

export const requestAccessSchema = z.enum(['everyone', 'role', 'dj']);
export type RequestAccess = z.infer<typeof requestAccessSchema>;
export const requestSourceSchema = z.enum(['youtube', 'soundcloud', 'spotify', 'http']);
export type RequestSource = z.infer<typeof requestSourceSchema>;
export const REQUEST_SOURCES: readonly RequestSource[] = requestSourceSchema.options;
export const queueOrderSchema = z.enum(['votes', 'fair']);
export type QueueOrder = z.infer<typeof queueOrderSchema>;

/** Longest track cap a guild may set: one day, in seconds. */
export const MAX_TRACK_SECONDS = 86_400;
/** Longest cooldown a guild may set: one day, in seconds. */
export const MAX_COOLDOWN_SECONDS = 86_400;

/** At least one source, each once. */
export const allowedSourcesSchema = z
  .array(requestSourceSchema)
  .min(1, 'allow at least one source')
  .max(REQUEST_SOURCES.length)
  .refine((list) => new Set(list).size === list.length, { message: 'names a source twice' });

export const spotifyModeSchema = z.enum(['device', 'voice']);
export type SpotifyMode = z.infer<typeof spotifyModeSchema>;

/** A change to some settings; a field set to null goes back to its default where null is allowed. */
export const guildSettingsPatchSchema = z
  .strictObject({
    djRoleId: snowflakeSchema.nullable(),
    voteSkipRatio: z.number().min(0).max(1),
    overlayKeyHash: z.string().min(1).max(512).nullable(),
    maxQueueLength: z.int().min(1).max(10_000).nullable(),
    maxPerUser: z.int().min(1).max(10_000).nullable(),
    defaultVolume: z.int().min(0).max(100),
    stayInVoice: z.boolean(),
    spotifyMode: spotifyModeSchema.nullable(),
    requestAccess: requestAccessSchema,
    requestRoleId: snowflakeSchema.nullable(),
    maxTrackSeconds: z.int().min(0).max(MAX_TRACK_SECONDS),
    allowLive: z.boolean(),
    requestCooldownSeconds: z.int().min(0).max(MAX_COOLDOWN_SECONDS),
    allowedSources: allowedSourcesSchema,
    queueOrder: queueOrderSchema,
  })
  .partial();

export type GuildSettingsPatch = z.infer<typeof guildSettingsPatchSchema>;

export function defaultGuildSettings(guildId: string): GuildSettings {
  return {
    guildId,
    djRoleId: null,
    voteSkipRatio: 0.5,
    overlayKeyHash: null,
    maxQueueLength: null,
    maxPerUser: null,
    defaultVolume: 100,
    stayInVoice: false,
    requestAccess: 'everyone',
    requestRoleId: null,
    maxTrackSeconds: 0,
    allowLive: true,
    requestCooldownSeconds: 0,
    allowedSources: [...REQUEST_SOURCES],
    queueOrder: 'votes',
  };
}

/**
 * The settings a patch would leave, checked as a whole: `requestAccess` `role` needs a role.
 * @throws UserError INVALID_INPUT
 */
export function checkSettingsAfter(current: GuildSettings, patch: GuildSettingsPatch): void {
  const access = patch.requestAccess ?? current.requestAccess;
  const roleId = patch.requestRoleId !== undefined ? patch.requestRoleId : current.requestRoleId;
  if (access === 'role' && roleId === null) {
    throw new UserError(
      'INVALID_INPUT',
      'Invalid settings requestRoleId: requests limited to a role need the role (set request_role).',
    );
  }
}

/**
 * @throws UserError INVALID_INPUT naming the first bad field.
 */
export function parseGuildSettingsPatch(patch: unknown): GuildSettingsPatch {
  const parsed = parseInput(guildSettingsPatchSchema, patch, 'settings');
  // `{ field: undefined }` means no change, as an absent field does.
  return Object.fromEntries(Object.entries(parsed).filter(([, v]) => v !== undefined));
}

/** Where guild settings live (guild_settings). */
export interface GuildSettingsRepository {
  /**
   * The guild's settings, or the defaults when it has none stored.
   * @throws UserError INVALID_INPUT when `guildId` is not a snowflake.
   */
  get(guildId: string): Promise<GuildSettings>;
  /**
   * Applies a patch (creating the guild's row if needed) and returns the settings after it.
   * @throws UserError INVALID_INPUT when `guildId` is not a snowflake or the patch is invalid.
   */
  update(guildId: string, patch: GuildSettingsPatch): Promise<GuildSettings>;
}
