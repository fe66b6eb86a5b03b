import { UserError } from '../core/errors.ts';
import { type DjRoleOf, defineAction } from './define.ts';
import type { ChatCommandWords, TwitchPort, TwitchStatus } from './ports.ts';

export interface TwitchActionsDeps {
  /** Null when the bot has no Twitch account (TWITCH_USERNAME / TWITCH_OAUTH_TOKEN unset). */
  twitch: TwitchPort | null;
  djRoleOf: DjRoleOf;
}

/** Linking a guild to a Twitch channel, whose chat then requests songs into the guild's queue. */
export function twitchActions(deps: TwitchActionsDeps) {
  const act = <I, O>(
    permission: Parameters<typeof defineAction>[0],
    run: Parameters<typeof defineAction<I, O>>[2],
  ) => defineAction<I, O>(permission, deps.djRoleOf, run);
  const twitch = (): TwitchPort => {
    if (!deps.twitch) {
      throw new UserError(
        'UNAVAILABLE',
        'Twitch chat requests are not set up on this bot (its owner sets TWITCH_USERNAME and TWITCH_OAUTH_TOKEN to turn them on).',
      );
    }
    return deps.twitch;
  };
  return {
    /** Links (or re-links, resuming a paused link) a channel. @throws UserError INVALID_INPUT, CONFLICT, UNAVAILABLE */
    link: act<{ channel: string; commands?: Partial<ChatCommandWords> }, TwitchStatus>(
      'admin',
      (call, input) => twitch().link(call.guildId, input.channel, input.commands),
    ),
    /** @throws UserError NOT_FOUND, UNAVAILABLE */
    unlink: act<void, TwitchStatus>('admin', (call) => twitch().unlink(call.guildId)),
    /** @throws UserError UNAVAILABLE */
    status: act<void, TwitchStatus>('dj', (call) => twitch().status(call.guildId)),
  };
}

export type TwitchActions = ReturnType<typeof twitchActions>;
