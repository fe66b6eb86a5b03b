import { UserError } from '../core/errors.ts';
import type { AddLimits, AddOutcome, VoteOutcome } from '../storage/queue/store.ts';
import { notQueued } from './validate.ts';

/** A store's refusal of an add, in plain words for the person who asked. */
export function addRefusal(outcome: AddOutcome & { ok: false }, limits: AddLimits): UserError {
  return outcome.reason === 'QUEUE_FULL'
    ? new UserError(
        'QUEUE_FULL',
        `The queue is full (${limits.maxLength} songs). Try again after a few play.`,
      )
    : new UserError(
        'USER_QUEUE_LIMIT',
        `You already have ${limits.maxPerUser} songs in the queue. Wait for one to play first.`,
      );
}

/**
 * A store's refusal of a vote (direction 1 or -1) or of taking one back (direction 0), in plain
 * words; anything else a store answers means the item is no longer queued.
 */
export function voteRefusal(outcome: VoteOutcome & { ok: false }, direction: 1 | -1 | 0): UserError {
  if (outcome.reason === 'ALREADY_VOTED' && direction !== 0) {
    return new UserError(
      'ALREADY_VOTED',
      `You already voted ${direction === 1 ? 'up' : 'down'} on that song.`,
      {
        votes: outcome.votes,
        position: outcome.position,
      },
    );
  }
  if (outcome.reason === 'NOT_VOTED' && direction === 0) {
    return new UserError('NOT_VOTED', 'You have not voted on that song.');
  }
  return notQueued();
}
