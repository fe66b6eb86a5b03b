import type { MessageReaction, PartialMessageReaction, PartialUser, User } from 'discord.js';
import { isUserError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { QueueService } from '../queue/service.ts';
import type { QueueStore } from '../queue/store.ts';

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

  constructor(queue: QueueService, store: Pick<QueueStore, 'itemForMessage'>, logger: Logger) {
    this.queue = queue;
    this.store = store;
    this.logger = logger;
  }

  async added(reaction: MessageReaction | PartialMessageReaction, user: User | PartialUser): Promise<void> {
    const target = await this.target(reaction, user);
    if (!target) return;
    try {
      await this.queue.vote(target.guildId, target.itemId, user.id, target.direction);
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
      if (current === target.direction) await this.queue.unvote(target.guildId, target.itemId, user.id);
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

  private ignore(err: unknown, guildId: string): void {
    if (isUserError(err)) this.logger.debug({ guildId, code: err.code }, 'reaction vote not counted');
    else this.logger.error({ err, guildId }, 'reaction vote failed');
  }
}
