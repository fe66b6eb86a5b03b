import type { z } from 'zod';
import { UserError } from '../../core/errors.ts';
import { snowflakeSchema } from '../../core/ids.ts';

/**
 * Parses input with a zod schema.
 *
 * @throws UserError INVALID_INPUT naming the first bad field.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue && issue.path.length > 0 ? ` ${issue.path.join('.')}` : '';
  throw new UserError('INVALID_INPUT', `Invalid ${what}${field}: ${issue?.message ?? 'invalid value'}`, {
    issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  });
}

/**
 * Checks that a guild id is a Discord snowflake before it reaches a query.
 *
 * @throws UserError INVALID_INPUT when it is not.
 */
export function parseGuildId(guildId: unknown): string {
  return parseInput(snowflakeSchema, guildId, 'guild id');
}
