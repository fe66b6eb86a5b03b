import { UserError } from '../core/errors.ts';

/**
 * Who asks for an action, as every front end describes them: a Discord member (from their roles and
 * permissions), the REST API's bearer token (an admin), a Twitch chat viewer. Actions never see the
 * front end's own objects.
 */
export interface Actor {
  /** The person's id (a Discord snowflake); the REST API names the user in the request body. */
  userId: string;
  displayName: string;
  /** Manage Server in Discord; the REST API's token. */
  isAdmin: boolean;
  /** The guild's DJ role, or admin. */
  isDj: boolean;
  /** The voice channel the person is in, when the front end knows one. */
  voiceChannelId: string | null;
  /** The person's roles, when the front end knows them (request rules limited to a role read them). */
  roleIds?: readonly string[];
  /** A Twitch chat viewer (`userId` is then `twitch:<user-id>`); absent for Discord and the REST API. */
  source?: 'twitch';
}

/** Who may run an action. `requester-or-dj` is checked by the action against the item it touches. */
export type Permission = 'everyone' | 'requester-or-dj' | 'dj' | 'admin';

/** One call of an action: the guild it is for and who asks. */
export interface Call {
  guildId: string;
  actor: Actor;
}

/** The REST API's caller: its bearer token is an admin; `userId` is the user a body names, if any. */
export function apiActor(userId = '0'): Actor {
  return { userId, displayName: 'REST API', isAdmin: true, isDj: true, voiceChannelId: null };
}

/**
 * Whether `actor` may run an action that needs `permission`. `requestedBy`: the item's requester, for
 * `requester-or-dj`.
 */
export function allowed(actor: Actor, permission: Permission, requestedBy?: string): boolean {
  switch (permission) {
    case 'everyone':
      return true;
    case 'requester-or-dj':
      return actor.isDj || (requestedBy !== undefined && requestedBy === actor.userId);
    case 'dj':
      return actor.isDj;
    case 'admin':
      return actor.isAdmin;
  }
}

/** The refusal a member reads; `djRoleId` names the DJ role when the guild has one. */
export function forbidden(permission: Permission, djRoleId: string | null): UserError {
  if (permission === 'admin') {
    return new UserError('FORBIDDEN', 'Only server admins (Manage Server permission) can do that.');
  }
  return new UserError(
    'FORBIDDEN',
    djRoleId
      ? `Only DJs (the <@&${djRoleId}> role) or admins can do that.`
      : 'Only admins can do that until an admin sets a DJ role with /settings.',
  );
}

/** A voice channel to play in: the actor's own. @throws UserError NOT_IN_VOICE */
export function voiceChannelOf(actor: Actor): string {
  if (!actor.voiceChannelId) {
    throw new UserError('NOT_IN_VOICE', 'Join a voice channel first, then try again.');
  }
  return actor.voiceChannelId;
}
