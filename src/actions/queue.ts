import type { QueueItem } from '../core/track.ts';
import type { QueuePage, QueueService, QueueStats, VoteResult } from '../queue/service.ts';
import { type AddDeps, type AddInput, type AddResult, addFromQuery } from './add.ts';
import { type DjRoleOf, defineAction, requireRequesterOrDj } from './define.ts';

export interface QueueActionsDeps extends AddDeps {
  queue: QueueService;
  djRoleOf: DjRoleOf;
}

/**
 * The queue's user intents. An item is named by its id, or (from Discord) by its position or what
 * autocomplete offered; `find` resolves either.
 */
export function queueActions(deps: QueueActionsDeps) {
  const { queue, djRoleOf } = deps;
  const act = <I, O>(
    permission: Parameters<typeof defineAction>[0],
    run: Parameters<typeof defineAction<I, O>>[2],
  ) => defineAction<I, O>(permission, djRoleOf, run);
  return {
    /** Resolve a query, queue what fits and start playback (see `addFromQuery`). */
    add: act<AddInput, AddResult>('everyone', (call, input) => addFromQuery(deps, call, input)),
    /** @throws UserError ITEM_NOT_FOUND, ALREADY_VOTED, INVALID_INPUT */
    vote: act<{ item: string; direction: 1 | -1 }, VoteResult>('everyone', async (call, input) => {
      const item = await queue.find(call.guildId, input.item);
      return queue.vote(call.guildId, item.id, call.actor.userId, input.direction);
    }),
    /** @throws UserError ITEM_NOT_FOUND, NOT_VOTED */
    unvote: act<{ item: string }, VoteResult>('everyone', async (call, input) => {
      const item = await queue.find(call.guildId, input.item);
      return queue.unvote(call.guildId, item.id, call.actor.userId);
    }),
    /**
     * A vote from a reaction on a message linked to an item: a vote that is already there is left be,
     * and `direction` 0 withdraws the actor's vote only if it was `was` (a reaction taken back).
     */
    voteByMessage: act<{ messageId: string; direction: 1 | -1 | 0; was?: 1 | -1 }, VoteResult | null>(
      'everyone',
      async (call, input) => {
        const itemId = await queue.itemForMessage(call.guildId, input.messageId);
        if (!itemId) return null;
        if (input.direction !== 0)
          return queue.vote(call.guildId, itemId, call.actor.userId, input.direction);
        const current = await queue.voteOf(call.guildId, itemId, call.actor.userId);
        if (current === 0 || current !== input.was) return null;
        return queue.unvote(call.guildId, itemId, call.actor.userId);
      },
    ),
    /** Requesters remove their own songs, DJs any. @throws UserError ITEM_NOT_FOUND, FORBIDDEN */
    remove: act<{ item: string }, QueueItem>('requester-or-dj', async (call, input) => {
      const item = await queue.find(call.guildId, input.item);
      requireRequesterOrDj(
        call,
        item.requestedBy,
        'You can only remove songs you asked for (DJs can remove any).',
      );
      return queue.remove(call.guildId, item.id);
    }),
    /** @throws UserError ITEM_NOT_FOUND, INVALID_INPUT */
    move: act<{ item: string; position: number }, { item: QueueItem; from: number; to: number }>(
      'dj',
      async (call, input) => {
        const item = await queue.find(call.guildId, input.item);
        return { item, ...(await queue.move(call.guildId, item.id, input.position)) };
      },
    ),
    shuffle: act<void, number>('dj', (call) => queue.shuffle(call.guildId)),
    clear: act<void, number>('dj', (call) => queue.clear(call.guildId)),
    /** A page of the queue in play order. */
    page: act<{ page: number; size?: number }, QueuePage>('everyone', (call, input) =>
      queue.list(call.guildId, input.page, input.size ?? 10),
    ),
    all: act<void, { items: QueueItem[]; playing: QueueItem | null }>('everyone', (call) =>
      queue.all(call.guildId),
    ),
    /** One item, by id or position. @throws UserError ITEM_NOT_FOUND */
    find: act<{ item: string }, QueueItem>('everyone', (call, input) => queue.find(call.guildId, input.item)),
    nowPlaying: act<void, QueueItem | null>('everyone', (call) => queue.nowPlaying(call.guildId)),
    history: act<{ limit: number }, QueueItem[]>('everyone', (call, input) =>
      queue.history(call.guildId, input.limit),
    ),
    stats: act<void, QueueStats>('everyone', (call) => queue.stats(call.guildId)),
    /** Links a message showing an item to it, so that reactions on the message vote on the item. */
    linkMessage: act<{ messageId: string; itemId: string }, void>('everyone', (call, input) =>
      queue.linkMessage(call.guildId, input.messageId, input.itemId),
    ),
  };
}

export type QueueActions = ReturnType<typeof queueActions>;
