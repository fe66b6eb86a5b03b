import { UserError } from '../core/errors.ts';
import { requesterIdSchema, snowflakeSchema, uuidSchema } from '../core/ids.ts';

/** Input checks shared by the queue service's methods; each throws a `UserError` in plain words. */

export function notQueued(): UserError {
  return new UserError(
    'ITEM_NOT_FOUND',
    'That song is not in the queue (it may have played or been removed).',
  );
}

export function checkGuild(guildId: string): void {
  if (!snowflakeSchema.safeParse(guildId).success) {
    throw new UserError('INVALID_INPUT', 'That is not a valid server id.', { field: 'guild_id' });
  }
}

export function checkUser(userId: string): void {
  if (!requesterIdSchema.safeParse(userId).success) {
    throw new UserError('INVALID_INPUT', 'That is not a valid user id.', { field: 'user_id' });
  }
}

export function checkItem(itemId: string): void {
  if (!uuidSchema.safeParse(itemId).success) {
    throw new UserError('INVALID_INPUT', 'That is not a queue item id.', { field: 'item_id' });
  }
}
