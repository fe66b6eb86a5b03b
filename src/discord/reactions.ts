import type { MessageReaction, PartialMessageReaction, PartialUser, User } from 'discord.js';
import type { Actions, Actor } from '../actions/index.ts';
import { isUserError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { QueueMessagesPort } from './command.ts';

export const UP = '👍';
export const DOWN = '👎';

/**
 * Reactions on the bot's track messages are votes: 👍 up, 👎 down, removing it withdraws the vote.
 * The message -> item link lives in the queue store, so this works on messages sent before a restart
 * (the client has Partials.Message and Partials.Reaction) and on any instance. Bots never vote.
 */
export class ReactionVotes {
  private readonly actions: Actions;
  private readonly logger: Logger;
  private readonly messages: QueueMessagesPort;

  constructor(actions: Actions, messages: QueueMessagesPort, logger: Logger) {
    this.actions = actions;
    this.messages = messages;
    this.logger = logger;
  }

  added(reaction: MessageReaction | PartialMessageReaction, user: User | PartialUser): Promise<void> {
    return this.vote(reaction, user, false);
  }

  /**
   * Only withdraws the vote this reaction stands for: 👍 then 👎 switched it, and taking the 👍 away
   * afterwards must not remove the 👎.
   */
  removed(reaction: MessageReaction | PartialMessageReaction, user: User | PartialUser): Promise<void> {
    return this.vote(reaction, user, true);
  }

  private async vote(
    reaction: MessageReaction | PartialMessageReaction,
    user: User | PartialUser,
    withdrawn: boolean,
  ): Promise<void> {
    if (user.bot || user.id === reaction.client.user.id) return;
    const guildId = reaction.message.guildId;
    const name = reaction.emoji.name;
    const direction = name === UP ? 1 : name === DOWN ? -1 : 0;
    if (!guildId || direction === 0) return;
    // A reaction says nothing of roles; votes are everyone's, so the actor needs none.
    const actor: Actor = {
      userId: user.id,
      displayName: user.username ?? user.id,
      isAdmin: false,
      isDj: false,
      voiceChannelId: null,
    };
    try {
      const result = await this.actions.queue.voteByMessage(
        { guildId, actor },
        withdrawn
          ? { messageId: reaction.message.id, direction: 0, was: direction }
          : { messageId: reaction.message.id, direction },
      );
      if (!result) return;
      // Keeps the message current from now on (after a restart the bot learns it from the first vote).
      const ref = { channelId: reaction.message.channelId, messageId: reaction.message.id };
      this.messages.watchTrackMessage(guildId, result.item.id, ref, '');
    } catch (err) {
      if (isUserError(err)) this.logger.debug({ guildId, code: err.code }, 'reaction vote not counted');
      else this.logger.error({ err, guildId }, 'reaction vote failed');
    }
  }
}
