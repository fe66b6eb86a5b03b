import { z } from 'zod';
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
}

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
  };
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
