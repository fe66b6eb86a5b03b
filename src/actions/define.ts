import { UserError } from '../core/errors.ts';
import { allowed, type Call, forbidden, type Permission } from './actor.ts';

/** An action: one user intent, plain values in and out, with who may run it declared beside it. */
export type Action<I, O> = ((call: Call, input: I) => Promise<O>) & { readonly permission: Permission };

/** Reads the guild's DJ role, for the refusal message only. */
export type DjRoleOf = (guildId: string) => Promise<string | null>;

/**
 * Declares an action with its permission; the check runs here, once, before `run`, for every front
 * end. `requester-or-dj` passes here and is checked by the action against the item it touches
 * (`requireRequesterOrDj`).
 */
export function defineAction<I, O>(
  permission: Permission,
  djRoleOf: DjRoleOf,
  run: (call: Call, input: I) => Promise<O>,
): Action<I, O> {
  const fn = async (call: Call, input: I): Promise<O> => {
    if (permission !== 'requester-or-dj' && !allowed(call.actor, permission)) {
      throw forbidden(permission, await djRoleOf(call.guildId));
    }
    return run(call, input);
  };
  return Object.assign(fn, { permission });
}

/** The item-level half of `requester-or-dj`, refused in the action's own words. @throws UserError FORBIDDEN */
export function requireRequesterOrDj(call: Call, requestedBy: string, refusal: string): void {
  if (!allowed(call.actor, 'requester-or-dj', requestedBy)) throw new UserError('FORBIDDEN', refusal);
}
