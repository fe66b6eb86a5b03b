import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/** A Discord snowflake: 17 to 20 decimal digits, always kept as a string. */
export const snowflakeSchema = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17-20 digits)');

/**
 * Who asked or voted: a Discord user (a snowflake) or a Twitch chat viewer (`twitch:<user-id>`), so that
 * a Twitch viewer's requests, limits and votes never mix with a Discord member's.
 */
export const requesterIdSchema = z
  .string()
  .regex(/^(\d{17,20}|twitch:\d{1,20})$/, 'must be a Discord id (17-20 digits) or twitch:<user id>');

export const uuidSchema = z.uuid({ message: 'must be a UUID' });

export function newId(): string {
  return randomUUID();
}

export function isSnowflake(value: unknown): value is string {
  return typeof value === 'string' && /^\d{17,20}$/.test(value);
}
