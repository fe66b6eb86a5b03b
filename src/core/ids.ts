import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/** A Discord snowflake: 17 to 20 decimal digits, always kept as a string. */
export const snowflakeSchema = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17-20 digits)');

export const uuidSchema = z.uuid({ message: 'must be a UUID' });

export function newId(): string {
  return randomUUID();
}

export function isSnowflake(value: unknown): value is string {
  return typeof value === 'string' && /^\d{17,20}$/.test(value);
}
