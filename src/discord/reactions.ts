import type { MessageReaction, PartialMessageReaction, PartialUser, User } from 'discord.js';
import { isUserError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { QueueService } from '../queue/service.ts';
import type { QueueStore } from '../storage/queue/store.ts';
import type { QueueMessagesPort } from './command.ts';

export const UP = '👍';
export const DOWN = '👎';

/**
 * Reactions on the bot's track messages are votes: 👍 up, 👎 down, removing it withdraws the vote.
 * The message -> item link lives in the queue store, so this works on messages sent before a restart
 * (the client has Partials.Message and Partials.Reaction) and on any instance. Bots never vote.
 */
export class ReactionVotes {
  private readonly queue: QueueService;
  private readonly store: Pick<QueueStore, 'itemForMessage'>;
  private readonly logger: Logger;
  private readonly messages: QueueMessagesPort;

  constructor(
    queue: QueueService,
    store: Pick<QueueStore, 'itemForMessage'>,
    messages: QueueMessagesPort,
    logger: Logger,
  ) {
    this.queue = queue;
    this.store = store;
    this.messages = messages;
    this.logger = logger;
  }

  async added(reaction: MessageReaction | PartialMessageReaction, user: User | PartialUser): Promise<void> {
    const target = await this.target(reaction, user);
    if (!target) return;
    try {
      await this.queue.vote(target.guildId, target.itemId, user.id, target.direction);
      this.follow(target, reaction);
    } catch (err) {
      this.ignore(err, target.guildId);
    }
  }

  async removed(reaction: MessageReaction | PartialMessageReaction, user: User | PartialUser): Promise<void> {
    const target = await this.target(reaction, user);
    if (!target) return;
    try {
      // Only withdraw the vote this reaction stands for: 👍 then 👎 switched it, and taking the 👍
      // away afterwards must not remove the 👎.
      const current = await this.queue.voteOf(target.guildId, target.itemId, user.id);
      if (current === target.direction) {
        await this.queue.unvote(target.guildId, target.itemId, user.id);
        this.follow(target, reaction);
      }
    } catch (err) {
      this.ignore(err, target.guildId);
    }
  }

  private async target(reaction: MessageReaction | PartialMessageReaction, user: User | PartialUser) {
    if (user.bot || user.id === reaction.client.user.id) return null;
    const guildId = reaction.message.guildId;
    const name = reaction.emoji.name;
    const direction = name === UP ? 1 : name === DOWN ? -1 : 0;
    if (!guildId || direction === 0) return null;
    const itemId = await this.store.itemForMessage(guildId, reaction.message.id);
    if (!itemId) return null;
    return { guildId, itemId, direction: direction as 1 | -1 };
  }

  /** Keeps the message current from now on (after a restart the bot learns it from the first vote). */
  private follow(
    target: { guildId: string; itemId: string },
    reaction: MessageReaction | PartialMessageReaction,
  ): void {
    const ref = { channelId: reaction.message.channelId, messageId: reaction.message.id };
    this.messages.watchTrackMessage(target.guildId, target.itemId, ref, '');
  }

  private ignore(err: unknown, guildId: string): void {
    if (isUserError(err)) this.logger.debug({ guildId, code: err.code }, 'reaction vote not counted');
    else this.logger.error({ err, guildId }, 'reaction vote failed');
  }
}
