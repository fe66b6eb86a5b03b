import type { z } from 'zod';
import { UserError } from '../../core/errors.ts';
import { snowflakeSchema } from '../../core/ids.ts';
import { summarizeIssues } from '../../core/issues.ts';

/**
 * Parses input with a zod schema.
 *
 * @throws UserError INVALID_INPUT naming the first bad field.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const { issues, omitted } = summarizeIssues(parsed.error.issues);
  const issue = issues[0];
  const field = issue?.path ? ` ${issue.path}` : '';
  throw new UserError('INVALID_INPUT', `Invalid ${what}${field}: ${issue?.message ?? 'invalid value'}`, {
    issues,
    ...(omitted > 0 ? { omitted_issues: omitted } : {}),
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
