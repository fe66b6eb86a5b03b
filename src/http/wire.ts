import { z } from 'zod';
import { apiActor, type Call } from '../actions/index.ts';
import { UserError } from '../core/errors.ts';
import { snowflakeSchema, uuidSchema } from '../core/ids.ts';

export { wireItem, wireTrack } from '../queue/wire.ts';

export const communityParams = z.object({ community_id: snowflakeSchema });

/**
 * The `{community_id}` of a route: a snowflake (else 400) of a guild the bot serves (else 404).
 * @throws ZodError, UserError NOT_FOUND
 */
export function communityOf(
  params: Record<string, string>,
  hasCommunity: (guildId: string) => boolean,
): string {
  const { community_id } = communityParams.parse(params);
  if (!hasCommunity(community_id))
    throw new UserError('NOT_FOUND', `The bot is not in community ${community_id}.`);
  return community_id;
}

/**
 * The call of a REST route: its `{community_id}` (checked as `communityOf` does) and the API's actor,
 * acting for `userId` where the body names a member.
 */
export function apiCallOf(hasCommunity: (guildId: string) => boolean) {
  return (params: Record<string, string>, userId?: string): Call => ({
    guildId: communityOf(params, hasCommunity),
    actor: apiActor(userId),
  });
}

/** A queue item named in a path: its id only (a title or a position is for people typing in Discord). */
export function itemIdOf(params: Record<string, string>): string {
  const id = params.queue_item_id ?? '';
  if (!uuidSchema.safeParse(id).success) {
    throw new UserError('INVALID_INPUT', 'That is not a queue item id.', { field: 'item_id' });
  }
  return id;
}

export const addBody = z.strictObject({
  track_url: z.string().min(1).max(2000),
  requested_by_user_id: snowflakeSchema,
  provider: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,31}$/)
    .optional(),
  /** Where to start playing when the bot is in no voice channel yet (else it plays where it is). */
  voice_channel_id: snowflakeSchema.optional(),
});

export const voteBody = z.strictObject({
  user_id: snowflakeSchema,
  direction: z.enum(['up', 'down']),
});

export const unvoteBody = z.strictObject({ user_id: snowflakeSchema });

export const historyQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) });
