import { z } from 'zod';

/** What a viewer types after `!` for each intent; a guild may rename any of them. */
export const DEFAULT_CHAT_COMMANDS = {
  request: 'sr',
  voteUp: 'voteup',
  voteDown: 'votedown',
  song: 'song',
  queue: 'queue',
} as const;

export type ChatCommandWords = { [K in keyof typeof DEFAULT_CHAT_COMMANDS]: string };

const word = z
  .string()
  .regex(/^[a-z0-9_]{1,20}$/, 'must be 1-20 lowercase letters, digits or _ (typed after !)');

/** A chat command word set: each given word replaces its default; no two intents may share a word. */
export const chatCommandsSchema = z
  .strictObject({
    request: word,
    voteUp: word,
    voteDown: word,
    song: word,
    queue: word,
  })
  .partial()
  .transform((given): ChatCommandWords => ({ ...DEFAULT_CHAT_COMMANDS, ...given }))
  .refine((words) => new Set(Object.values(words)).size === Object.keys(words).length, {
    message: 'two commands cannot use the same word',
  });

/** A Twitch channel's login: 4-25 letters, digits or underscores (3 for old accounts), case-insensitive. */
export const twitchChannelSchema = z
  .string()
  .trim()
  .transform((name) => name.replace(/^#/, '').toLowerCase())
  .pipe(z.string().regex(/^[a-z0-9_]{3,25}$/, 'must be a Twitch channel name (3-25 letters, digits or _)'));

/** A guild's linked Twitch channel. */
export interface TwitchLink {
  guildId: string;
  channel: string;
  commands: ChatCommandWords;
  /** Set while the link is paused (the bot's token was refused); the chat is not read then. */
  paused: { reason: string; at: number } | null;
}

/** Where the guilds' Twitch links live (twitch_links). */
export interface TwitchLinkRepository {
  /** @throws UserError INVALID_INPUT when `guildId` is not a snowflake */
  get(guildId: string): Promise<TwitchLink | null>;
  /** Every link, paused or not (read once at start). */
  all(): Promise<TwitchLink[]>;
  /**
   * Creates or replaces the guild's link (unpaused).
   * @throws UserError INVALID_INPUT; CONFLICT when another guild has the channel
   */
  save(link: Omit<TwitchLink, 'paused'>): Promise<TwitchLink>;
  /** Pauses the link with a reason; false when there is none. */
  pause(guildId: string, reason: string, at: number): Promise<boolean>;
  /** Deletes the guild's link; false when there was none. */
  delete(guildId: string): Promise<boolean>;
}
