import type { Actions } from '../actions/index.ts';
import type { Config } from '../config/index.ts';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { Database } from '../storage/db/connection.ts';
import { PgTwitchLinkRepository } from '../storage/db/twitch-links-repository.ts';
import { ChatCommands } from '../twitch/chat-commands.ts';
import { TwitchChat } from '../twitch/service.ts';
import type { Closers } from './types.ts';

/**
 * Part of the composition root: Twitch chat requests, when the bot has a Twitch account. The chat's
 * commands call the same queue actions as every other front end (`actions()` is read at each call:
 * the actions are built after this part, with it as their Twitch port). One process reads the chats:
 * the one with shard 0, or the only one.
 */
export function createTwitch(deps: {
  config: Config;
  logger: Logger;
  clock: Clock;
  db: Database;
  actions: () => Actions;
  noticeAdmins(guildId: string, text: string): void;
  runsChat: boolean;
  closers: Closers;
}): TwitchChat | null {
  const settings = deps.config.twitch;
  const logger = deps.logger.child({ component: 'twitch' });
  if (!settings) {
    logger.info('Twitch chat requests are off (TWITCH_USERNAME and TWITCH_OAUTH_TOKEN are not set)');
    return null;
  }
  const queue = {
    add: ((...a) => deps.actions().queue.add(...a)) as Actions['queue']['add'],
    vote: ((...a) => deps.actions().queue.vote(...a)) as Actions['queue']['vote'],
    nowPlaying: ((...a) => deps.actions().queue.nowPlaying(...a)) as Actions['queue']['nowPlaying'],
    page: ((...a) => deps.actions().queue.page(...a)) as Actions['queue']['page'],
  };
  const chat = new TwitchChat({
    settings,
    links: new PgTwitchLinkRepository(deps.db),
    commands: new ChatCommands({ queue, logger }),
    noticeAdmins: deps.noticeAdmins,
    logger,
    clock: deps.clock,
    runsChat: deps.runsChat,
  });
  deps.closers.push(() => chat.close());
  return chat;
}
