import { z } from 'zod';
import { snowflakeSchema } from '../../core/ids.ts';
import { parseInput } from './validate.ts';

export const radioModeSchema = z.enum(['music', 'radio', 'none']);
export type RadioMode = z.infer<typeof radioModeSchema>;

/**
 * A guild's mode as stored in music_radio_state. Same shape as the mode controller's `ModeState`,
 * so the composition root can hand this repository to it without a mapping.
 */
export interface RadioState {
  guildId: string;
  mode: RadioMode;
  previousMode: RadioMode | null;
  musicPausedOnSwitch: boolean;
  /** ISO 8601, UTC. */
  switchedAt: string | null;
  stationName: string | null;
  stationUrl: string | null;
  /** The voice channel the station played in (to rejoin after a restart); left out when none. */
  voiceChannelId?: string | null;
}

export const radioStateSchema = z.strictObject({
  guildId: snowflakeSchema,
  mode: radioModeSchema,
  previousMode: radioModeSchema.nullable(),
  musicPausedOnSwitch: z.boolean(),
  switchedAt: z.iso.datetime({ offset: true }).nullable(),
  stationName: z.string().min(1).max(100).nullable(),
  stationUrl: z.string().min(1).max(2048).nullable(),
  voiceChannelId: snowflakeSchema.nullable().optional(),
});

/**
 * Checks a state before it is saved; `switchedAt` comes back in UTC (`...Z`), as it is read.
 * @throws UserError INVALID_INPUT naming the first bad field.
 */
export function parseRadioState(state: unknown): RadioState {
  const { voiceChannelId, ...parsed } = parseInput(radioStateSchema, state, 'radio state');
  return {
    ...parsed,
    switchedAt: parsed.switchedAt === null ? null : new Date(parsed.switchedAt).toISOString(),
    ...(voiceChannelId ? { voiceChannelId } : {}),
  };
}

/**
 * @throws UserError INVALID_INPUT when the mode is not music, radio or none.
 */
export function parseRadioMode(mode: unknown): RadioMode {
  return parseInput(radioModeSchema, mode, 'mode');
}

/** Guild ids in numeric order (a shorter snowflake is a smaller one), the same in every implementation. */
export function byGuildId(a: RadioState, b: RadioState): number {
  return a.guildId.length - b.guildId.length || (a.guildId < b.guildId ? -1 : a.guildId > b.guildId ? 1 : 0);
}

/** Where each guild's mode lives (music_radio_state), so that a restart can restore it. */
export interface RadioStateRepository {
  /**
   * The guild's saved state, or null when it never switched.
   * @throws UserError INVALID_INPUT when `guildId` is not a snowflake.
   */
  get(guildId: string): Promise<RadioState | null>;
  /**
   * Creates or replaces the guild's state.
   * @throws UserError INVALID_INPUT when the state is invalid.
   */
  save(state: RadioState): Promise<void>;
  /**
   * Every guild's state in that mode, by guild id: at start, the guilds to put back on the radio.
   * @throws UserError INVALID_INPUT when the mode is not music, radio or none.
   */
  listByMode(mode: RadioMode): Promise<RadioState[]>;
}
